import fcntl
import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing, contextmanager
from functools import cached_property

import pytest
from pytest_django.plugin import blocking_manager_key

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connections

from groups.membership.services import membership_leave, membership_suspend
from tests import hypothesis_profiles
from tests.factories import (
    GuidanceIndexPageFactory,
    GuidancePageFactory,
    MembersAreaIndexPageFactory,
    OrganisationFactory,
    UserFactory,
    WorkingGroupPageFactory,
    make_administrator,
    make_editor,
    make_member,
    make_site,
    with_authenticator,
)
from tests.fast import clear_caches, fast_settings
from tests.sqlite_files import PROJECT_ROOT, sqlite_copy, sqlite_environment

hypothesis_profiles.load()  # before any test module applies @settings

# The modules that take longest, longest first (worker-seconds, from `--durations=0`).
# Under pytest-xdist, modules are handed to the workers in collection order (pyproject.toml
# turns off xdist's own reordering by number of tests), so these start first and the run
# does not end with one worker on a long module while the other waits. The browser tests'
# modules follow them, together, so that a worker builds their shared site once.
SLOW_MODULES = [
    "tests/e2e/test_external_checks.py",
    "tests/portal/admin/test_admin_choosers_matrix.py",
    "tests/home/demo/test_run_demo.py",
    "tests/e2e/test_screen_widths.py",
    "tests/portal/operations/test_two_servers.py",
    "tests/groups/dashboard/test_query_counts.py",
    "tests/portal/settings/test_sqlite_concurrency.py",
    "tests/portal/outbox/test_outbox_worker_crash.py",
]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist, the browser tests' modules first, the slow ones among them
    first, then the other slow modules, then the rest in pytest-django's order (see
    SLOW_MODULES). A run in one process keeps pytest-django's order."""
    if not hasattr(config, "workerinput"):
        return
    rank = {path: index for index, path in enumerate(SLOW_MODULES)}
    root = config.rootpath

    def key(item):
        path = item.path.relative_to(root).as_posix()
        e2e = path.startswith("tests/e2e/")
        return (not e2e, rank.get(path, len(rank)))

    items.sort(key=key)


def _is_transactional(item):
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(marker and marker.kwargs.get("transaction")) or "transactional_db" in fixtures


_EMPTIED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Note a transactional test: it ends by emptying every table (see below)."""
    result = yield
    if _is_transactional(item) and "live_server" not in getattr(item, "fixturenames", ()):
        item.config.stash[_EMPTIED] = True
    return result


def pytest_runtest_setup(item):
    """Before the next test after a transactional one, put back what the migrations made
    (sites, groups, collections, content types), as a serialized rollback would.

    Django runs transactional tests last because each ends by emptying every table. Tests
    run in parallel by module (pytest-xdist), so a worker may go on to other modules after
    one: they would find an empty database. Done before the next test rather than after
    the last one, so that whatever processes that test started have finished. Browser
    tests put their own site back (tests/e2e/database.py)."""
    if not item.config.stash.get(_EMPTIED, False):
        return
    item.config.stash[_EMPTIED] = False
    with item.config.stash[blocking_manager_key].unblock():
        for connection in connections.all():
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                _restore(connection, contents)


def _restore(connection, contents):
    # Emptied again without post-migrate signals: those would have made new content types
    # and permissions whose keys clash with the serialized ones.
    call_command(
        "flush",
        database=connection.alias,
        interactive=False,
        verbosity=0,
        inhibit_post_migrate=True,
        reset_sequences=False,
    )
    # Content types first: building some rows (Wagtail's tasks) looks one up, and would
    # otherwise create it under a new key before its serialized row arrives.
    content_types, others = [], []
    for row in json.loads(contents):
        (content_types if row["model"] == "contenttypes.contenttype" else others).append(row)
    connection.creation.deserialize_db_from_string(json.dumps(content_types))
    ContentType.objects.clear_cache()
    connection.creation.deserialize_db_from_string(json.dumps(others))


def _shared_folder(tmp_path_factory, worker_id):
    """The run's temporary folder, which every pytest-xdist worker sees (each has its own below it)."""
    base = tmp_path_factory.getbasetemp()
    return base if worker_id == "master" else base.parent


@contextmanager
def _locked(path):
    """Hold an exclusive lock on `path` (shared by the pytest-xdist workers)."""
    with path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _publish_migrated(template, write):
    """Have `write(path)` make the migrated SQLite file `template`, unless it is there."""
    if template.exists():
        return
    partial = template.with_suffix(".partial")
    write(partial)
    with sqlite3.connect(partial) as database:
        # As the site's own connections leave the file (portal.settings' init_command).
        database.execute("PRAGMA journal_mode=WAL")
    database.close()
    os.replace(partial, template)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory, worker_id):
    """pytest-django's test database; on SQLite, also kept as the run's migrated SQLite
    file (see `migrated_sqlite`), before any test has touched it."""
    if _sqlite_test_database():
        connection = connections["default"]

        def backup(path):
            with closing(sqlite3.connect(path)) as copy:
                connection.connection.backup(copy)

        with django_db_blocker.unblock(), _locked(_shared_folder(tmp_path_factory, worker_id) / "migrated.lock"):
            connection.ensure_connection()
            _publish_migrated(_shared_folder(tmp_path_factory, worker_id) / "migrated.sqlite3", backup)
    yield


def _sqlite_test_database():
    """Whether the default database is pytest-django's in-memory SQLite test database (not
    when no test of the run uses the database: then it was never made)."""
    connection = connections["default"]
    return connection.vendor == "sqlite" and connection.creation.is_in_memory_db(connection.settings_dict["NAME"])


@pytest.fixture(scope="session")
def migrated_sqlite(request, tmp_path_factory, worker_id):
    """`copy(path)` puts a freshly migrated SQLite database at `path`, for tests that run the
    site as real processes on a file of their own (whatever database the suite uses).

    The migrations run once a run, not once a test: on SQLite the migrated file is a copy
    of the test database as pytest-django made it (see `django_db_setup`); otherwise
    `manage.py migrate` makes it, in a process of its own, under a lock that the
    pytest-xdist workers share. Each test gets a copy, through SQLite's backup API."""
    shared = _shared_folder(tmp_path_factory, worker_id)
    template = shared / "migrated.sqlite3"
    if connections["default"].vendor == "sqlite":
        request.getfixturevalue("django_db_setup")  # the test database is copied, if it was made

    def migrate(path):
        migrated = shared / f"migrated-by-{worker_id}.sqlite3"
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
            cwd=PROJECT_ROOT,
            env=sqlite_environment(migrated, also_without=("REDIS_",)),
            check=True,
            timeout=600,
        )
        sqlite_copy(migrated, path)

    with _locked(shared / "migrated.lock"):
        _publish_migrated(template, migrate)

    def copy(path):
        sqlite_copy(template, path)
        return path

    return copy


@pytest.fixture
def media_root(tmp_path):
    """Where a test's uploads go; a module whose data is built once overrides it."""
    return tmp_path / "media"


@pytest.fixture(autouse=True)
def _test_settings(settings, media_root):
    """`fast_settings` for every test, and empty caches."""
    for name, value in fast_settings(media_root).items():
        setattr(settings, name, value)
    clear_caches()


@pytest.fixture
def people_kept(settings):
    """People (and their memberships) are kept beside their sessions in the shared cache, as
    they are with Redis (portal.auth), here in the test cache. Yields the settings."""
    from django.core.cache import cache

    settings.AUTH_USER_CACHE_SECONDS = 60
    settings.SESSION_ENGINE = "portal.sessions.cached_db"
    cache.clear()
    yield settings
    cache.clear()


@pytest.fixture
def home_page(db):
    return make_site()


@pytest.fixture
def guidance_index(home_page):
    return GuidanceIndexPageFactory(parent=home_page, slug="guidance")


@pytest.fixture
def guidance_page(guidance_index):
    return GuidancePageFactory(parent=guidance_index, slug="what-to-do", title="What to do")


@pytest.fixture
def admin_user(db, django_user_model):
    """pytest-django's administrator, with an authenticator: every account must have MFA."""
    from tests.accounts import make_account

    user, _ = make_account("admin@example.org", is_staff=True, is_superuser=True)
    return user


@pytest.fixture
def members_area(home_page):
    return MembersAreaIndexPageFactory(parent=home_page)


@pytest.fixture
def cumbria(members_area):
    return WorkingGroupPageFactory(parent=members_area, region="cumbria")


@pytest.fixture
def yorkshire(members_area):
    return WorkingGroupPageFactory(parent=members_area, region="yorkshire")


@pytest.fixture
def police():
    return make_police()


def make_police():
    """Cumbria Constabulary, the `police` fixture's organisation."""
    return OrganisationFactory(name="Cumbria Constabulary", sector="police", email_domains="cumbria.police.uk")


def make_groups():
    """What the `home_page`, `members_area`, `cumbria`, `yorkshire` and `police` fixtures
    give, by those names, for data built once for a module (`tests.fast.built_once`); with
    `personas`, the same people as the fixture of that name (see `Personas`)."""
    home_page = make_site()
    members_area = MembersAreaIndexPageFactory(parent=home_page)
    objects = {
        "home_page": home_page,
        "members_area": members_area,
        "cumbria": WorkingGroupPageFactory(parent=members_area, region="cumbria"),
        "yorkshire": WorkingGroupPageFactory(parent=members_area, region="yorkshire"),
        "police": make_police(),
    }
    objects["personas"] = Personas(objects.__getitem__)
    return objects


class Personas:
    """The people tests act as, by fixed role names; each made on first use.

    - `anonymous`: nobody signed in (None);
    - `member`: Mo Member of Cumbria Constabulary, a member of the Cumbria group;
    - `coordinator`: Cara Coord, coordinator of the Cumbria group;
    - `other_group_member`: Yasmin Yorkshire, a member of the Yorkshire group only;
    - `other_group_coordinator`: Yusuf York, coordinator of the Yorkshire group;
    - `editor`: one of the coordinating organisation's staff (the Editors group);
    - `administrator`: a superuser;
    and, for tests about people whose membership is not (or no longer) active:
    - `suspended_coordinator`: a coordinator of the Cumbria group, suspended;
    - `former_member`: left the Cumbria group, still a member of the Yorkshire group (so
      the account stays active);
    - `invited`: invited to the Cumbria group, not yet accepted;
    - `no_group`: signed in, a member of no group.

    Every account has an authenticator app, as production requires. `personas["member"]`
    reads a persona by name, for tables of persona x action -> outcome.
    """

    anonymous = None

    def __init__(self, fixture):
        self._fixture = fixture  # by name; the groups are made only when a persona needs them

    def __getitem__(self, name):
        return getattr(self, name)

    @cached_property
    def member(self):
        return make_member(
            self._fixture("cumbria"), organisation=self._fixture("police"), first_name="Mo", last_name="Member"
        )

    @cached_property
    def coordinator(self):
        return make_member(self._fixture("cumbria"), role="coordinator", first_name="Cara", last_name="Coord")

    @cached_property
    def other_group_member(self):
        return make_member(self._fixture("yorkshire"), first_name="Yasmin", last_name="Yorkshire")

    @cached_property
    def other_group_coordinator(self):
        return make_member(self._fixture("yorkshire"), role="coordinator", first_name="Yusuf", last_name="York")

    @cached_property
    def suspended_coordinator(self):
        user = make_member(self._fixture("cumbria"), organisation=self._fixture("police"), role="coordinator")
        membership_suspend(membership=user.memberships.get())
        return user

    @cached_property
    def former_member(self):
        cumbria = self._fixture("cumbria")
        user = make_member(cumbria, organisation=self._fixture("police"))
        make_member(self._fixture("yorkshire"), organisation=self._fixture("police"), user=user)
        membership_leave(membership=user.memberships.get(working_group=cumbria))
        return user

    @cached_property
    def invited(self):
        return make_member(self._fixture("cumbria"), organisation=self._fixture("police"), status="invited")

    @cached_property
    def no_group(self):
        return with_authenticator(UserFactory())

    @cached_property
    def editor(self):
        return make_editor()

    @cached_property
    def administrator(self):
        return make_administrator()


@pytest.fixture
def personas(request, db):
    """The people tests act as, by role (see `Personas`)."""
    return Personas(request.getfixturevalue)


@pytest.fixture
def member(personas):
    """Shorthand for `personas.member`."""
    return personas.member


@pytest.fixture
def coordinator(personas):
    """Shorthand for `personas.coordinator`."""
    return personas.coordinator


@pytest.fixture
def feedback_page(home_page):
    from tests.factories import FeedbackFormPageFactory

    return FeedbackFormPageFactory(parent=home_page)
