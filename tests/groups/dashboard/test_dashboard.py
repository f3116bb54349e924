"""The member dashboard (/members/): for each of my groups, the next meeting, my open
actions (overdue first), the latest updates and the new documents; nothing from any
group I am not an active member of."""

import pytest

from django.urls import reverse

from groups.membership.services import membership_leave, membership_suspend
from groups.updates.services import update_hide
from tests.factories import (
    OrganisationFactory,
    UserFactory,
    days,
    due,
    make_document,
    make_editor,
    make_meeting,
    make_member,
    make_trend_summary,
    make_update,
    with_authenticator,
)
from tests.html import main_text, soup

pytestmark = pytest.mark.django_db

SECRET_B = "okapimarmalade"


@pytest.fixture
def colleague(cumbria, police):
    """Another member of the same organisation in the same group."""
    return make_member(cumbria, organisation=police, first_name="Col", last_name="League")


@pytest.fixture
def group_b_content(yorkshire):
    """A meeting, actions, an update and a document of Yorkshire, each carrying SECRET_B."""
    someone = make_member(yorkshire)
    make_meeting(
        yorkshire,
        start=days(2),
        title=f"Yorkshire meeting {SECRET_B}",
        actions=[{"description": f"Action {SECRET_B}", "owner_user": someone, "due_date": due(1)}],
    )
    make_update(yorkshire, author=someone, title=f"Update {SECRET_B}")
    make_document(collection=yorkshire.collection, title=f"Document {SECRET_B}")


def dashboard_page(client, user):
    client.force_login(with_authenticator(user))
    response = client.get("/members/")
    assert response.status_code == 200
    return response


def section_text(response, group, section):
    """The text of one section (next-meeting, actions, updates, documents) of a group."""
    heading = soup(response).find(id=f"{group.slug}-{section}")
    assert heading is not None, f"no {section} section for {group.slug}"
    return " ".join(heading.parent.get_text(" ").split())


def action_rows(response, group):
    heading = soup(response).find(id=f"{group.slug}-actions")
    return [" ".join(row.get_text(" ").split()) for row in heading.parent.select("tbody tr")]


# The next meeting


def test_shows_the_next_meeting_not_a_past_one_nor_a_draft(client, cumbria, member):
    make_meeting(cumbria, start=days(-7), title="Last week's meeting")
    make_meeting(cumbria, start=days(3), title="Draft meeting", publish=False)
    make_meeting(cumbria, start=days(30), title="Next month's meeting")
    soonest = make_meeting(cumbria, start=days(10), title="Meeting in ten days", location="Carlisle")
    response = dashboard_page(client, member)
    text = section_text(response, cumbria, "next-meeting")
    assert "Meeting in ten days" in text
    assert "Carlisle" in text
    for other in ("Last week's meeting", "Draft meeting", "Next month's meeting"):
        assert other not in text
    assert soup(response).find("a", href=soonest.url)


def test_a_meeting_under_way_is_still_the_next_meeting(client, cumbria, member):
    make_meeting(cumbria, start=days(-1 / 24), end=days(1 / 24), title="Meeting happening now")
    make_meeting(cumbria, start=days(5), title="Later meeting")
    text = section_text(dashboard_page(client, member), cumbria, "next-meeting")
    assert "Meeting happening now" in text
    assert "Later meeting" not in text


# My open actions


def test_my_open_actions_are_mine_or_my_organisations_overdue_first(client, cumbria, member, colleague, police):
    other_agency = OrganisationFactory(name="Cumbria County Council")
    make_meeting(
        cumbria,
        start=days(-20),
        actions=[
            {"description": "Mine, on track", "owner_user": member, "due_date": due(30)},
            {"description": "Mine, overdue", "owner_user": member, "due_date": due(-2)},
            {"description": "My agency's, due soon", "owner_organisation": police, "due_date": due(2)},
            {
                "description": "Colleague's for my agency",
                "owner_user": colleague,
                "owner_organisation": police,
                "due_date": due(1),
            },
            {"description": "Another agency's", "owner_organisation": other_agency, "due_date": due(1)},
            {"description": "Mine, done", "owner_user": member, "due_date": due(-5), "status": "done"},
            {"description": "Mine, dropped", "owner_user": member, "due_date": due(-5), "status": "dropped"},
            {"description": "Nobody's", "due_date": due(-9)},
        ],
    )
    make_meeting(
        cumbria,
        start=days(-60),
        actions=[
            {"description": "Mine, in progress", "owner_user": member, "due_date": due(-1), "status": "in_progress"}
        ],
    )
    make_meeting(
        cumbria,
        start=days(-40),
        publish=False,
        actions=[{"description": "Mine, in a draft meeting", "owner_user": member, "due_date": due(-3)}],
    )
    rows = action_rows(dashboard_page(client, member), cumbria)
    assert [row.split(" Update status")[0] for row in rows] == [
        "Mine, overdue",
        "Mine, in progress",
        "My agency's, due soon",
        "Mine, on track",
    ]
    # The status is in words, not colour alone.
    assert "Overdue" in rows[0] and "Open" in rows[0]
    assert "Overdue" in rows[1] and "In progress" in rows[1]
    assert "Due soon" in rows[2]
    assert "On track" in rows[3]


def test_each_action_links_to_its_page_to_update_it(client, cumbria, member):
    make_meeting(cumbria, start=days(-3), actions=[{"description": "Do it", "owner_user": member, "due_date": due(9)}])
    response = dashboard_page(client, member)
    action = member.owned_actions.get()
    link = soup(response).find(
        "a", href=reverse("groups:action_detail", kwargs={"group_slug": "cumbria", "pk": action.pk})
    )
    assert "Update status" in link.get_text()


def test_no_open_actions_says_so(client, cumbria, member):
    text = section_text(dashboard_page(client, member), cumbria, "actions")
    assert "You have no open actions in this group." in text


# Updates and documents


def test_shows_the_three_latest_updates_without_hidden_ones(client, cumbria, member):
    coordinator = make_member(cumbria, role="coordinator")
    for n in range(4):
        make_update(cumbria, author=member, title=f"Update number {n}", created_at=days(-10 + n))
    hidden = make_update(cumbria, author=member, title="A hidden update", created_at=days(0))
    update_hide(update=hidden, hidden_by=coordinator)
    response = dashboard_page(client, member)
    text = section_text(response, cumbria, "updates")
    titles = [a.get_text() for a in soup(response).find(id="cumbria-updates").parent.select(".portal-card-list li a")]
    assert titles == ["Update number 3", "Update number 2", "Update number 1"]
    assert "A hidden update" not in main_text(response)
    assert "Mo Member, Cumbria Constabulary" in text
    assert soup(response).find("a", href=reverse("groups:update_list", kwargs={"group_slug": "cumbria"}))
    assert soup(response).find("a", href=reverse("groups:update_create", kwargs={"group_slug": "cumbria"}))


def test_shows_documents_added_in_the_last_thirty_days_newest_first(client, cumbria, member):
    from wagtail.documents import get_document_model

    old = make_document(collection=cumbria.collection, title="Terms of reference")
    get_document_model().objects.filter(pk=old.pk).update(created_at=days(-31))
    for n, age in enumerate([-20, -1, -5, -10]):
        document = make_document(collection=cumbria.collection, title=f"Paper {n}")
        get_document_model().objects.filter(pk=document.pk).update(created_at=days(age))
    response = dashboard_page(client, member)
    links = soup(response).find(id="cumbria-documents").parent.select("li a")
    assert [a.get_text() for a in links] == ["Paper 1", "Paper 2", "Paper 3"]
    assert "Terms of reference" not in main_text(response)
    assert "PDF" in section_text(response, cumbria, "documents")


def test_a_new_group_says_what_to_do_in_each_section(client, cumbria, member):
    response = dashboard_page(client, member)
    assert "No meeting is planned yet." in section_text(response, cumbria, "next-meeting")
    assert "No updates yet. Post one" in section_text(response, cumbria, "updates")
    assert "No documents have been added in the last 30 days." in section_text(response, cumbria, "documents")
    for name in ("meeting_index", "update_list", "document_list"):
        assert soup(response).find("a", href=reverse(f"groups:{name}", kwargs={"group_slug": "cumbria"}))


# The latest trend summary


def test_no_trend_summary_section_until_one_is_published(client, cumbria, member):
    make_trend_summary(cumbria, title="Unpublished summary", publish=False)
    response = dashboard_page(client, member)
    assert soup(response).find(id="cumbria-trend-summary") is None
    assert "Unpublished summary" not in main_text(response)


def test_the_latest_published_trend_summary_is_linked(client, cumbria, member):
    make_trend_summary(cumbria, title="Cumbria trends this quarter")
    response = dashboard_page(client, member)
    assert "Cumbria trends this quarter" in section_text(response, cumbria, "trend-summary")


# Nothing from other groups


def test_nothing_from_a_group_i_do_not_belong_to(client, cumbria, yorkshire, member, group_b_content):
    response = dashboard_page(client, member)
    assert SECRET_B not in response.content.decode()
    assert soup(response).find(id="group-yorkshire") is None
    assert "/members/yorkshire/" not in response.content.decode()


def test_a_member_of_two_groups_sees_each_with_its_own_content(client, cumbria, yorkshire, member, group_b_content):
    make_member(yorkshire, user=member)
    make_update(cumbria, author=member, title="Cumbria's own update")
    response = dashboard_page(client, member)
    assert [a.get_text() for a in soup(response).select("nav.portal-contents a")] == [
        "Cumbria working group",
        "Yorkshire working group",
    ]
    assert "Cumbria's own update" in section_text(response, cumbria, "updates")
    assert "Cumbria's own update" not in section_text(response, yorkshire, "updates")
    assert f"Update {SECRET_B}" in section_text(response, yorkshire, "updates")
    assert f"Update {SECRET_B}" not in section_text(response, cumbria, "updates")
    assert f"Yorkshire meeting {SECRET_B}" in section_text(response, yorkshire, "next-meeting")
    # Another member's action in Yorkshire is not mine.
    assert f"Action {SECRET_B}" not in main_text(response)


@pytest.mark.parametrize("leave", [membership_leave, membership_suspend], ids=["left", "suspended"])
def test_leavers_and_suspended_members_see_nothing_of_the_group(client, cumbria, yorkshire, police, leave):
    person = make_member(cumbria, organisation=police)
    make_member(yorkshire, user=person)  # still in another group, so the account stays active
    make_meeting(
        cumbria,
        start=days(2),
        title="Cumbria secret meeting",
        actions=[{"description": "Cumbria secret action", "owner_user": person, "due_date": due(-1)}],
    )
    make_update(cumbria, title="Cumbria secret update")
    make_document(collection=cumbria.collection, title="Cumbria secret document")
    leave(membership=person.memberships.get(working_group=cumbria))
    response = dashboard_page(client, person)
    assert "Cumbria" not in main_text(response)
    assert "Yorkshire working group" in main_text(response)


@pytest.mark.parametrize("who", ["editor", "no group"])
def test_someone_in_no_group_sees_how_to_join_and_nothing_else(client, cumbria, member, who):
    make_update(cumbria, author=member, title="Cumbria secret update")
    person = make_editor() if who == "editor" else UserFactory()
    text = main_text(dashboard_page(client, person))
    assert "You are not a member of a working group yet." in text
    assert "Cumbria" not in text
