"""Settings parsing and deployment checks, each in a fresh interpreter with exactly the
variables under test (tests.fresh_process); the deployment checks run `manage.py check`
in full."""

import re
import sys

import pytest

from tests.fresh_process import PROJECT_ROOT, SECRET_KEY, load_settings, read_settings, run

ONE_YEAR = 31_536_000


def test_debug_is_off_by_default():
    assert read_settings({"DJANGO_SECRET_KEY": SECRET_KEY}, "DEBUG") == {"DEBUG": False}


@pytest.mark.parametrize(
    "env",
    [
        pytest.param({}, id="nothing-set"),
        pytest.param({"DJANGO_DEBUG": "0"}, id="debug-explicitly-off"),
        pytest.param({"DJANGO_SECRET_KEY": ""}, id="empty-secret-key"),
    ],
)
def test_startup_fails_without_secret_key_when_debug_is_off(env):
    result = load_settings(env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_debug_starts_without_secret_key():
    values = read_settings({"DJANGO_DEBUG": "1"}, "DEBUG", "SECRET_KEY")

    assert values["DEBUG"] is True
    assert values["SECRET_KEY"]


@pytest.mark.parametrize(
    ("env", "debug_pages"),
    [
        pytest.param({"DJANGO_DEBUG": "1"}, False, id="debug-shows-the-portals-error-pages"),
        pytest.param({"DJANGO_DEBUG": "1", "DJANGO_DEBUG_PAGES": "1"}, True, id="asked-for"),
        pytest.param({"DJANGO_SECRET_KEY": SECRET_KEY, "DJANGO_DEBUG_PAGES": "1"}, False, id="never-without-debug"),
    ],
)
def test_djangos_technical_error_pages_only_when_a_developer_asks(env, debug_pages):
    assert read_settings(env, "DEBUG_PAGES") == {"DEBUG_PAGES": debug_pages}


@pytest.mark.parametrize(
    ("env", "https"),
    [
        pytest.param({"DJANGO_SECRET_KEY": SECRET_KEY}, True, id="default-with-debug-off"),
        pytest.param({"DJANGO_SECRET_KEY": SECRET_KEY, "DJANGO_HTTPS": "1"}, True, id="explicitly-on"),
        pytest.param({"DJANGO_SECRET_KEY": SECRET_KEY, "DJANGO_HTTPS": "0"}, False, id="explicitly-off"),
        pytest.param({"DJANGO_DEBUG": "1"}, False, id="default-with-debug-on"),
    ],
)
def test_https_hardening_follows_django_https(env, https):
    values = read_settings(
        env,
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_NAME",
        "CSRF_COOKIE_NAME",
    )

    assert values["SECURE_SSL_REDIRECT"] is https
    assert (values["SECURE_HSTS_SECONDS"] >= ONE_YEAR) is https
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is https
    assert values["SESSION_COOKIE_SECURE"] is https
    assert values["CSRF_COOKIE_SECURE"] is https
    assert values["SESSION_COOKIE_NAME"].startswith("__Host-") is https
    assert values["CSRF_COOKIE_NAME"].startswith("__Host-") is https
    if not https:
        assert values["SECURE_HSTS_SECONDS"] == 0


@pytest.mark.parametrize(
    ("env", "allowed_hosts", "trusted_origins"),
    [
        pytest.param({}, [], [], id="defaults-with-debug-off"),
        pytest.param({"DJANGO_ALLOWED_HOSTS": "portal.example.org"}, ["portal.example.org"], [], id="one-host"),
        pytest.param(
            {
                "DJANGO_ALLOWED_HOSTS": "portal.example.org,www.portal.example.org",
                "CSRF_TRUSTED_ORIGINS": "https://portal.example.org,https://www.portal.example.org",
            },
            ["portal.example.org", "www.portal.example.org"],
            ["https://portal.example.org", "https://www.portal.example.org"],
            id="comma-separated",
        ),
    ],
)
def test_allowed_hosts_and_trusted_origins_are_comma_separated_lists(env, allowed_hosts, trusted_origins):
    values = read_settings({"DJANGO_SECRET_KEY": SECRET_KEY, **env}, "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS")

    assert values == {"ALLOWED_HOSTS": allowed_hosts, "CSRF_TRUSTED_ORIGINS": trusted_origins}


def test_database_defaults_to_sqlite_in_the_project():
    database = read_settings({"DJANGO_SECRET_KEY": SECRET_KEY}, "DATABASES")["DATABASES"]["default"]

    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(PROJECT_ROOT / "db.sqlite3")
    # The development server and the task worker share the file (see test_sqlite_concurrency.py).
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "PRAGMA journal_mode=WAL" in database["OPTIONS"]["init_command"]
    assert database["OPTIONS"]["timeout"] >= 5


def test_postgres_database_url_selects_postgresql():
    env = {"DJANGO_SECRET_KEY": SECRET_KEY, "DATABASE_URL": "postgres://portal@db.example.org:5433/portal"}

    database = read_settings(env, "DATABASES")["DATABASES"]["default"]

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["HOST"], database["PORT"]) == ("portal", "db.example.org", 5433)


def test_shared_cache_defaults_to_the_database_so_rate_limits_hold_across_processes():
    caches = read_settings({"DJANGO_SECRET_KEY": SECRET_KEY}, "CACHES")["CACHES"]

    assert caches["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert caches["pages"]["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"


def test_page_cache_can_move_to_redis():
    env = {"DJANGO_SECRET_KEY": SECRET_KEY, "PAGE_CACHE_URL": "redis://cache.example.org:6379/2"}
    caches = read_settings(env, "CACHES")["CACHES"]

    assert caches["pages"]["BACKEND"] == "portal.redis_cache.RedisCache"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        pytest.param({}, {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, id="default-console"),
        pytest.param(
            {"EMAIL_URL": "smtp://mail.example.org:1025"},
            {
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "mail.example.org",
                "EMAIL_PORT": 1025,
            },
            id="smtp",
        ),
    ],
)
def test_email_url_selects_the_backend(env, expected):
    values = read_settings({"DJANGO_SECRET_KEY": SECRET_KEY, **env}, *expected)

    assert values == expected


def test_deploy_check_passes_with_production_variables():
    """Security matrix row H01."""
    env = {"DJANGO_SECRET_KEY": SECRET_KEY, "DJANGO_ALLOWED_HOSTS": "portal.example.org"}

    result = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_no_security_checks_are_silenced():
    silenced = read_settings({"DJANGO_SECRET_KEY": SECRET_KEY}, "SILENCED_SYSTEM_CHECKS")["SILENCED_SYSTEM_CHECKS"]

    assert not [check for check in silenced if check.startswith("security.")]


# The one view exempt from CSRF, and why: the "Is this page useful?" Yes and No on guidance
# pages, which are served from the shared page cache and so carry no token; it counts an
# anonymous "yes" only, and checks the request's origin itself (home.views).
CSRF_EXEMPT_VIEWS = [("home/views.py", "page_feedback_useful")]


def test_project_code_exempts_no_view_from_csrf_but_the_one_listed():
    own_code = [
        path
        for package in ("portal", "home", "resources", "groups")
        if (PROJECT_ROOT / package).is_dir()
        for path in (PROJECT_ROOT / package).rglob("*.py")
    ]

    exempt, other_uses = [], []
    for path in own_code:
        text = path.read_text(encoding="utf-8")
        name = str(path.relative_to(PROJECT_ROOT))
        # Each @csrf_exempt decorator and the function it (with any decorators below it) wraps.
        exempt += [(name, view) for view in re.findall(r"^@csrf_exempt\n(?:@.*\n)*def (\w+)", text, re.M)]
        uses = len(re.findall(r"\bcsrf_exempt\b", text))
        imports = len(re.findall(r"^from django\.views\.decorators\.csrf import .*\bcsrf_exempt\b", text, re.M))
        decorators = len(re.findall(r"^@csrf_exempt$", text, re.M))
        if uses != imports + decorators:
            other_uses.append(name)

    assert own_code
    assert exempt == CSRF_EXEMPT_VIEWS
    assert other_uses == []
