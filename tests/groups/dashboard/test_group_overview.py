"""A working group's overview page (/members/<region>/): its next meeting, every open
action of the group (overdue first), the latest updates, new documents and its people."""

import pytest

from django.urls import reverse

from tests.factories import (
    days,
    due,
    make_document,
    make_meeting,
    make_member,
    make_update,
    with_authenticator,
)
from tests.html import main_text, soup

pytestmark = pytest.mark.django_db

SECRET_B = "okapimarmalade"


@pytest.fixture
def other(cumbria):
    return make_member(cumbria, first_name="Oli", last_name="Other")


def overview(client, user, group):
    client.force_login(with_authenticator(user))
    response = client.get(group.url)
    assert response.status_code == 200
    return response


def section_text(response, group, section):
    heading = soup(response).find(id=f"{group.slug}-{section}")
    assert heading is not None, f"no {section} section"
    return " ".join(heading.parent.get_text(" ").split())


def action_rows(response, group):
    heading = soup(response).find(id=f"{group.slug}-actions")
    return heading.parent.select("tbody tr")


@pytest.fixture
def actions(cumbria, member, other, police):
    make_meeting(
        cumbria,
        start=days(-14),
        actions=[
            {"description": "Other's, on track", "owner_user": other, "due_date": due(20)},
            {"description": "Mine, overdue", "owner_user": member, "due_date": due(-3)},
            {"description": "Police's, due soon", "owner_organisation": police, "due_date": due(1)},
            {"description": "Other's, overdue", "owner_user": other, "due_date": due(-1)},
            {"description": "Done already", "owner_user": other, "due_date": due(-8), "status": "done"},
        ],
    )
    make_meeting(
        cumbria,
        start=days(-7),
        publish=False,
        actions=[{"description": "In a draft meeting", "owner_user": other, "due_date": due(-2)}],
    )


def test_shows_every_open_action_of_the_group_overdue_first(client, cumbria, member, actions):
    rows = action_rows(overview(client, member, cumbria), cumbria)
    descriptions = [row.find("td").find(string=True).strip() for row in rows]
    assert descriptions == ["Mine, overdue", "Other's, overdue", "Police's, due soon", "Other's, on track"]
    words = [row.find("strong", class_="govuk-tag").get_text() for row in rows]
    assert words == ["Overdue", "Overdue", "Due soon", "On track"]


def test_a_member_may_update_only_their_own_and_their_organisations_actions(client, cumbria, member, actions):
    rows = action_rows(overview(client, member, cumbria), cumbria)
    links = {row.find("td").find(string=True).strip(): row.find("a").get_text(" ").split()[0] for row in rows}
    assert links == {
        "Mine, overdue": "Update",
        "Other's, overdue": "History",
        "Police's, due soon": "Update",
        "Other's, on track": "History",
    }


def test_a_coordinator_may_update_every_action(client, cumbria, actions):
    coordinator = make_member(cumbria, role="coordinator")
    rows = action_rows(overview(client, coordinator, cumbria), cumbria)
    assert len(rows) == 4
    assert all(row.find("a").get_text().startswith("Update status") for row in rows)


def test_shows_the_next_meeting_latest_updates_new_documents_and_people(client, cumbria, member, other):
    make_meeting(cumbria, start=days(-2), title="Past meeting")
    make_meeting(cumbria, start=days(6), title="Coming meeting")
    for n in range(4):
        make_update(cumbria, author=other, title=f"Update {n}", created_at=days(-5 + n))
    make_document(collection=cumbria.collection, title="Fresh paper")
    response = overview(client, member, cumbria)
    assert "Coming meeting" in section_text(response, cumbria, "next-meeting")
    assert "Past meeting" not in main_text(response)
    updates = [a.get_text() for a in soup(response).find(id="cumbria-updates").parent.select(".portal-card-list li a")]
    assert updates == ["Update 3", "Update 2", "Update 1"]
    assert "Fresh paper" in section_text(response, cumbria, "documents")
    people = section_text(response, cumbria, "people")
    assert "2 members." in people
    assert soup(response).find("a", href=reverse("groups:member_directory", kwargs={"group_slug": "cumbria"}))


def test_an_empty_group_says_what_to_expect(client, cumbria, member):
    response = overview(client, member, cumbria)
    assert "No meeting is planned yet." in section_text(response, cumbria, "next-meeting")
    assert "The group has no open actions." in section_text(response, cumbria, "actions")
    assert "No updates yet. Post one" in section_text(response, cumbria, "updates")
    assert "No documents have been added in the last 30 days." in section_text(response, cumbria, "documents")


def test_an_administrator_who_is_not_a_member_is_not_offered_to_post(client, cumbria, admin_user):
    response = overview(client, admin_user, cumbria)
    assert "No updates yet." in section_text(response, cumbria, "updates")
    assert "Post one" not in section_text(response, cumbria, "updates")
    assert not soup(response).find("a", href=reverse("groups:update_create", kwargs={"group_slug": "cumbria"}))


def test_nothing_from_another_group(client, cumbria, yorkshire, member):
    someone = make_member(yorkshire)
    make_meeting(
        yorkshire,
        start=days(1),
        title=f"Meeting {SECRET_B}",
        actions=[{"description": f"Action {SECRET_B}", "owner_user": someone, "due_date": due(-1)}],
    )
    make_update(yorkshire, author=someone, title=f"Update {SECRET_B}")
    make_document(collection=yorkshire.collection, title=f"Document {SECRET_B}")
    assert SECRET_B not in overview(client, member, cumbria).content.decode()
