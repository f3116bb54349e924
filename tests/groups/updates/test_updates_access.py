"""Security rows C01, C09 and C10 for members' updates.

C01: every update URL for every persona, GET and POST, as a table that includes the denials.
C09: another group's update ids, under either group's address, always answer 404
(hypothesis over ids), and lists never include them. C10: fields a member adds to a
POST (group, author, organisation, hidden, times) are ignored.
"""

import datetime
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from django.urls import reverse
from django.utils import timezone

from groups.models import Update
from tests.access import members_url_patterns
from tests.conftest import make_groups
from tests.factories import (
    OrganisationFactory,
    make_member,
    make_update,
)
from tests.fast import built_once
from tests.hypothesis_profiles import scaled

pytestmark = pytest.mark.django_db

SECRET = "quokkabasalt"
# The shared personas (`member` and `coordinator` of Cumbria, group A; `other_group_member`
# of Yorkshire, group B) and the author of A's update, another member of A.
PERSONAS = ["anonymous", "other_group_member", "editor", "member", "author", "coordinator", "administrator"]
A_MEMBERS = {"member", "author", "coordinator", "administrator"}
COORDINATORS = {"coordinator", "administrator"}
UPDATE_URL_NAMES = [
    "update_list",
    "update_create",
    "update_detail",
    "update_edit",
    "update_delete",
    "update_hide",
    "update_unhide",
]


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, tmp_path_factory):
    """Both groups, the people and A's update, built once for the module: each test is
    rolled back to them (`built_once`)."""
    with built_once(django_db_blocker, tmp_path_factory.mktemp("updates-access-media")):
        objects = make_groups()
        personas, cumbria = objects["personas"], objects["cumbria"]
        # The shared personas, and the update's author: another member of the Cumbria group.
        people = {name: personas[name] for name in PERSONAS if name != "author"} | {"author": make_member(cumbria)}
        update = make_update(cumbria, author=people["author"], title=f"Title {SECRET}", body=f"Body {SECRET}")
        yield SimpleNamespace(cumbria=cumbria, yorkshire=objects["yorkshire"], people=people, update=update)


@pytest.fixture
def cumbria(built):
    return built.cumbria


@pytest.fixture
def yorkshire(built):
    return built.yorkshire


@pytest.fixture
def people(built):
    return built.people


@pytest.fixture
def update(built):
    return built.update


def url_for(name, group, update):
    kwargs = {"group_slug": group.slug}
    if name not in ("update_list", "update_create"):
        kwargs["pk"] = update.pk
    return reverse(f"groups:{name}", kwargs=kwargs)


def expected_get(name, persona):
    """What a GET answers: 200 for those allowed, 405 for POST-only URLs, else a denial."""
    if persona == "anonymous":
        return 302
    if name in ("update_hide", "update_unhide"):
        return 405  # POST only, whoever asks and whatever the id: it confirms nothing
    if name in ("update_edit", "update_delete"):
        return 200 if persona == "author" else 404
    if name == "update_create":
        # Administrators see every group but post only where they are members.
        return 200 if persona in A_MEMBERS - {"administrator"} else 404
    return 200 if persona in A_MEMBERS else 404


def expected_post(name, persona):
    """What a valid POST answers: a redirect where the action is allowed, else a denial."""
    if persona == "anonymous":
        return 302
    if name in ("update_hide", "update_unhide"):
        return 302 if persona in COORDINATORS else 404
    if name in ("update_edit", "update_delete"):
        return 302 if persona == "author" else 404
    if name == "update_create":
        return 302 if persona in A_MEMBERS - {"administrator"} else 404
    return 405  # the feed and an update's page are read-only


def assert_answer(response, expected, persona):
    assert response.status_code == expected, (persona, response.status_code)
    if persona == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    if expected in (302, 404, 405):
        assert SECRET not in response.content.decode()


def test_every_update_url_is_in_the_matrix():
    """A new update URL must be added to this matrix: the walker finds them all."""
    patterns = set(members_url_patterns(prefix="members/<slug:group_slug>/updates/"))
    found = {pattern.format(group_slug="g", pk=1) for pattern in patterns}
    listed = {
        reverse(
            f"groups:{name}",
            kwargs={"group_slug": "g", **({} if name in ("update_list", "update_create") else {"pk": 1})},
        )
        for name in UPDATE_URL_NAMES
    }
    assert found == listed


@pytest.mark.parametrize("name", UPDATE_URL_NAMES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_get_matrix(client, cumbria, people, update, name, persona):
    if people[persona] is not None:
        client.force_login(people[persona])
    response = client.get(url_for(name, cumbria, update))
    assert_answer(response, expected_get(name, persona), persona)


@pytest.mark.parametrize("name", UPDATE_URL_NAMES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_post_matrix(client, cumbria, people, update, name, persona):
    if people[persona] is not None:
        client.force_login(people[persona])
    before = list(Update.objects.values())
    response = client.post(url_for(name, cumbria, update), {"title": "Changed", "body": "Changed", "tags": "other"})
    expected = expected_post(name, persona)
    assert_answer(response, expected, persona)
    if persona == "anonymous" or expected != 302:
        assert list(Update.objects.values()) == before  # refused: nothing changed


def test_denial_share_of_the_matrix():
    """The matrix's size and how much of it denies, for the report."""
    cells = [(name, persona, method) for name in UPDATE_URL_NAMES for persona in PERSONAS for method in ("GET", "POST")]
    allowed = 0
    for name, persona, method in cells:
        expected = (expected_get if method == "GET" else expected_post)(name, persona)
        allowed += persona != "anonymous" and expected in (200, 302)
    denied = len(cells) - allowed
    print(f"updates matrix: {len(cells)} cells, {denied} deny ({100 * denied // len(cells)}%)")
    assert 0 < allowed < len(cells) // 2


# C09: another group's ids.


@settings(max_examples=scaled(0.25), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offset=st.integers(min_value=-5, max_value=5), name=st.sampled_from(UPDATE_URL_NAMES[2:]))
def test_member_of_b_gets_404_for_any_update_id(client, cumbria, yorkshire, people, update, offset, name):
    client.force_login(people["other_group_member"])
    pk = max(update.pk + offset, 1)
    for group in (cumbria, yorkshire):  # A's address, and B's own address with A's ids
        url = reverse(f"groups:{name}", kwargs={"group_slug": group.slug, "pk": pk})
        assert client.get(url).status_code == (405 if name in ("update_hide", "update_unhide") else 404)
        answer = client.post(url, {"title": "x", "body": "x", "tags": "other"}).status_code
        assert answer == (405 if name == "update_detail" else 404)
    assert Update.objects.filter(pk=update.pk, title=f"Title {SECRET}", hidden_at=None).exists()


def test_another_groups_update_id_under_own_group_is_404(client, yorkshire, people, update):
    client.force_login(people["other_group_member"])
    for name in ("update_detail", "update_edit", "update_delete"):
        assert (
            client.get(reverse(f"groups:{name}", kwargs={"group_slug": yorkshire.slug, "pk": update.pk})).status_code
            == 404
        )
    # Even a coordinator of B cannot hide A's update through B's address.
    coordinator_b = make_member(yorkshire, role="coordinator")
    client.force_login(coordinator_b)
    response = client.post(reverse("groups:update_hide", kwargs={"group_slug": yorkshire.slug, "pk": update.pk}))
    assert response.status_code == 404
    update.refresh_from_db()
    assert update.hidden_at is None


def test_lists_never_include_another_groups_updates(client, yorkshire, people, update):  # A's update exists
    make_update(yorkshire, author=people["other_group_member"], title="Yorkshire only")
    client.force_login(people["other_group_member"])
    body = client.get(reverse("groups:update_list", kwargs={"group_slug": yorkshire.slug})).content.decode()
    assert "Yorkshire only" in body
    assert SECRET not in body


# C10: mass assignment.


def test_posting_ignores_extra_fields(client, cumbria, yorkshire, people, update):
    author = people["author"]
    client.force_login(author)
    other_org = OrganisationFactory(name="Someone else's agency")
    response = client.post(
        reverse("groups:update_create", kwargs={"group_slug": cumbria.slug}),
        {
            "title": "New tactic",
            "body": "Seen twice this week.",
            "tags": ["tactics"],
            "working_group": yorkshire.pk,
            "group_slug": yorkshire.slug,
            "author": people["other_group_member"].pk,
            "organisation": other_org.pk,
            "hidden_at": "2020-01-01T00:00:00Z",
            "hidden_by": people["coordinator"].pk,
            "created_at": "2020-01-01T00:00:00Z",
            "edited_at": "2020-01-01T00:00:00Z",
            "is_staff": "on",
            "groups": "1",
        },
    )
    assert response.status_code == 302
    update = Update.objects.get(title="New tactic")
    assert update.working_group_id == cumbria.pk
    assert update.author == author
    assert update.organisation == author.memberships.get().organisation
    assert update.hidden_at is None and update.hidden_by is None and update.edited_at is None
    assert timezone.now() - update.created_at < datetime.timedelta(minutes=5)
    author.refresh_from_db()
    assert not author.is_staff
    assert not Update.objects.filter(working_group=yorkshire).exists()


def test_editing_ignores_extra_fields(client, cumbria, yorkshire, people, update):
    client.force_login(people["author"])
    before = Update.objects.values("working_group", "author", "organisation", "created_at", "hidden_at").get()
    response = client.post(
        reverse("groups:update_edit", kwargs={"group_slug": cumbria.slug, "pk": update.pk}),
        {
            "title": "Edited",
            "body": "Edited body",
            "tags": ["events"],
            "working_group": yorkshire.pk,
            "author": people["other_group_member"].pk,
            "organisation": OrganisationFactory().pk,
            "hidden_at": "2020-01-01T00:00:00Z",
            "created_at": "2020-01-01T00:00:00Z",
        },
    )
    assert response.status_code == 302
    after = Update.objects.values("working_group", "author", "organisation", "created_at", "hidden_at").get()
    assert after == before
    assert Update.objects.get().title == "Edited"
