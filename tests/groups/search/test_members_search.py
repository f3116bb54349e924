"""Members' search (security row C03): signed in, the site search also finds the meetings,
updates and documents of the member's own groups, in a section of its own, and nothing
of any other group; anonymous visitors' results are unchanged."""

import datetime

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from groups.membership.services import membership_leave, membership_suspend
from groups.models import Update
from groups.updates.services import update_hide
from tests.factories import (
    GuidancePageFactory,
    UserFactory,
    make_document,
    make_editor,
    make_meeting,
    make_member,
    make_update,
    with_authenticator,
)
from tests.html import main_text, soup

pytestmark = pytest.mark.django_db

TOKEN = "wombatnebula"
# Words next to the token in each private title: the query echoes the token, never these.
MEETING_TITLE = f"Lanternfish review {TOKEN}"
UPDATE_TITLE = f"Quillwort scripts {TOKEN}"
DOCUMENT_TITLE = f"Pemmican minutes {TOKEN}"
PRIVATE_WORDS = ["Lanternfish", "Quillwort", "Pemmican", "Marmoset"]


@pytest.fixture
def member_a(cumbria, police):
    return make_member(cumbria, organisation=police, first_name="Ada", last_name="Member")


@pytest.fixture
def private(cumbria, member_a):
    """Group A's meeting (the token in its agenda notes only), update and document."""
    meeting = make_meeting(
        cumbria,
        start=timezone.now() - datetime.timedelta(days=3),
        title="Lanternfish review",
        agenda=[("Trends", f"<p>Marmoset accounts moving to {TOKEN} chat.</p>")],
    )
    update = make_update(cumbria, author=member_a, title=UPDATE_TITLE)
    document = make_document(collection=cumbria.collection, title=DOCUMENT_TITLE)
    return {"meeting": meeting, "update": update, "document": document}


def search(client, user, query, **params):
    if user is not None:
        client.force_login(with_authenticator(user))
    response = client.get("/search/", {"query": query, **params})
    assert response.status_code == 200
    return response


def member_results(response):
    return soup(response).select("li.portal-member-result")


def test_a_member_finds_the_token_in_notes_update_and_document_of_their_group(client, member_a, private):
    response = search(client, member_a, TOKEN)
    results = member_results(response)
    assert [" ".join(r.find("h3").get_text().split()) for r in results] == [
        "Lanternfish review",
        UPDATE_TITLE,
        DOCUMENT_TITLE,
    ]
    hrefs = [r.find("a")["href"] for r in results]
    assert hrefs == [private["meeting"].url, private["update"].get_absolute_url(), private["document"].url]
    text = main_text(response)
    assert "From your working groups" in text
    assert "3 results for “wombatnebula” in your working groups." in text
    assert "Meeting Cumbria working group" in text
    # The notes' excerpt says why the meeting matched, with the word marked.
    assert f"Trends: Marmoset accounts moving to <mark>{TOKEN}</mark> chat." in str(results[0])


def test_every_word_must_match(client, member_a, private):
    assert len(member_results(search(client, member_a, f"{TOKEN} quillwort"))) == 1
    assert len(member_results(search(client, member_a, f"{TOKEN} notthere"))) == 0


@pytest.mark.parametrize("who", ["member of B", "editor", "administrator, not a member", "anonymous"])
def test_nobody_outside_the_group_finds_anything_of_it(client, yorkshire, private, admin_user, who):
    person = {
        "member of B": lambda: make_member(yorkshire),
        "editor": make_editor,
        "administrator, not a member": lambda: admin_user,
        "anonymous": lambda: None,
    }[who]()
    response = search(client, person, TOKEN)
    html = response.content.decode()
    assert not member_results(response)
    assert not soup(response).select("li.portal-result")
    for word in PRIVATE_WORDS:
        assert word not in html
    for obj in (private["meeting"], private["update"]):
        assert f'href="{obj.url if obj is private["meeting"] else obj.get_absolute_url()}"' not in html
    assert private["document"].url not in html


def test_a_member_of_b_sees_their_own_section_saying_nothing_matches(client, yorkshire, private):
    text = main_text(search(client, make_member(yorkshire), TOKEN))
    assert "Nothing in your working groups matches “wombatnebula”." in text


@pytest.mark.parametrize("leave", [membership_leave, membership_suspend], ids=["left", "suspended"])
def test_leavers_and_suspended_members_find_nothing(client, cumbria, yorkshire, private, leave):
    person = make_member(cumbria)
    make_member(yorkshire, user=person)  # still in a group, so still signed in with a section
    leave(membership=person.memberships.get(working_group=cumbria))
    response = search(client, person, TOKEN)
    assert not member_results(response)
    assert "Lanternfish" not in response.content.decode()


def test_hidden_updates_are_not_found(client, cumbria, member_a, private):
    update_hide(update=private["update"], hidden_by=make_member(cumbria, role="coordinator"))
    titles = [r.find("h3").get_text() for r in member_results(search(client, member_a, TOKEN))]
    assert UPDATE_TITLE not in " ".join(titles)
    assert len(titles) == 2


def test_draft_meetings_are_not_found(client, cumbria, member_a):
    make_meeting(cumbria, title=f"Draft {TOKEN}", publish=False)
    assert not member_results(search(client, member_a, TOKEN))


def test_the_private_pages_never_reach_the_search_index(private):
    assert not list(get_search_backend().search(TOKEN, Page))
    assert not list(get_search_backend().search("Lanternfish", Page))


def test_anonymous_search_is_unchanged(client, guidance_index, private):
    GuidancePageFactory(parent=guidance_index, title=f"Public {TOKEN}")
    response = search(client, None, TOKEN)
    page = soup(response)
    assert page.find("label", string="Search the guidance and resources")
    assert "From your working groups" not in main_text(response)
    assert [h.get_text() for h in page.select("li.portal-result h2")] == [f"Public {TOKEN}"]


def test_a_member_sees_the_public_results_under_their_own_heading(client, guidance_index, member_a, private):
    GuidancePageFactory(parent=guidance_index, title=f"Public {TOKEN}")
    response = search(client, member_a, TOKEN)
    page = soup(response)
    assert page.find("label", string="Search the guidance, resources and your working groups")
    headings = [" ".join(h.get_text().split()) for h in page.find("main").find_all(["h1", "h2"])]
    assert headings == ["Search", "From your working groups", "Guidance and resources"]
    assert [h.get_text() for h in page.select("li.portal-result h3")] == [f"Public {TOKEN}"]
    assert "1 result for “wombatnebula” in the guidance and resources" in main_text(response)


def test_a_member_with_no_public_match_is_told_which_part_found_nothing(client, member_a, private):
    text = main_text(search(client, member_a, TOKEN))
    assert "No guidance or resources match “wombatnebula”." in text
    assert "No results for" not in text


def test_many_matches_are_limited_and_say_how_to_narrow(client, cumbria, member_a):
    for n in range(12):
        make_update(cumbria, author=member_a, title=f"Update {n} {TOKEN}", created_at=timezone.now())
    response = search(client, member_a, TOKEN)
    assert len(member_results(response)) == 10
    assert "12 results" in main_text(response)
    assert "add words to narrow the search" in main_text(response)


@pytest.mark.parametrize(
    "query", ["<script>alert(1)</script>", "%", "_", "100%_", '"' * 300, "\x00null", "x" * 5000, TOKEN.upper()]
)
def test_hostile_queries_are_safe_for_members(client, member_a, private, query):
    response = search(client, member_a, query)
    assert "<script>alert(1)</script>" not in response.content.decode()
    found = len(member_results(response))
    assert found == (3 if query == TOKEN.upper() else 0)  # LIKE wildcards are matched literally


def test_update_bodies_are_searched_and_shown_as_plain_text(client, cumbria, member_a):
    make_update(cumbria, author=member_a, title="Plain title", body=f"<b>Bold</b> claims about {TOKEN} here.")
    result = member_results(search(client, member_a, TOKEN))[0]
    assert "<b>" not in str(result)
    assert "&lt;b&gt;" not in str(result)  # tags are removed, not shown
    assert f"<mark>{TOKEN}</mark>" in str(result)


def test_meeting_notes_keep_a_space_between_paragraphs_and_list_items(client, cumbria, member_a):
    notes = f"<p>Moving to a messaging app within the same {TOKEN}.</p><ul><li>Most approaches were to boys.</li></ul>"
    make_meeting(cumbria, start=timezone.now() - datetime.timedelta(days=1), agenda=[("Gaming", notes)])
    [result] = member_results(search(client, member_a, TOKEN))
    text = " ".join(result.get_text().split())
    assert f"same {TOKEN}. Most approaches were to boys." in text


def test_search_queries_stay_the_same_when_matches_grow_tenfold(client, cumbria, member_a, police):
    client.force_login(with_authenticator(member_a))

    def grow(n):
        for i in range(n):
            make_meeting(cumbria, start=timezone.now() - datetime.timedelta(days=i + 1), agenda=[("Item", TOKEN)])
            make_update(cumbria, author=member_a, title=f"Update {TOKEN}")
            make_document(collection=cumbria.collection, title=f"Document {TOKEN}")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/search/", {"query": TOKEN}).status_code == 200
        return len(captured)

    grow(2)
    queries()  # warm the site-root cache
    few = queries()
    grow(18)
    queries()  # new pages clear the cached site frame: warm it again
    assert queries() == few
    assert Update.objects.count() == 20
    print(f"search, signed in as a member: {few} queries with 2 or 20 matches of each kind")


def test_someone_signed_in_without_a_group_has_no_section(client, private):
    response = search(client, UserFactory(), TOKEN)
    assert "From your working groups" not in main_text(response)
    assert soup(response).find("label", string="Search the guidance and resources")
