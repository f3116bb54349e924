"""What the dashboard and a group's page keep in the shared cache (groups.fragments) is
never shown stale: every change in the members' area shows on the very next page, and
the next meeting moves on when the clock passes its end."""

import datetime

import pytest
import time_machine

from django.test import Client
from django.utils import timezone

from groups import fragments
from groups.meetings.services import action_status_change
from groups.models import ActionItem
from groups.updates.services import update_hide
from tests.factories import days, due, make_document, make_meeting, make_member, make_update, with_authenticator
from tests.html import soup

pytestmark = pytest.mark.django_db


def section_text(client, url, group, section):
    response = client.get(url)
    assert response.status_code == 200
    heading = soup(response).find(id=f"{group.slug}-{section}")
    return " ".join(heading.parent.get_text(" ").split())


@pytest.fixture
def signed_in(client, member):
    client.force_login(with_authenticator(member))
    return client


@pytest.mark.parametrize("url", ["/members/", "group page"])
def test_a_new_update_document_and_meeting_show_at_once(signed_in, cumbria, member, url):
    url = cumbria.url if url == "group page" else url
    assert "No updates yet" in section_text(signed_in, url, cumbria, "updates")  # now cached
    make_update(cumbria, author=make_member(cumbria), title="Fresh update")
    make_document(collection=cumbria.collection, title="Fresh paper")
    make_meeting(cumbria, start=days(3), title="Fresh meeting")
    assert "Fresh update" in section_text(signed_in, url, cumbria, "updates")
    assert "Fresh paper" in section_text(signed_in, url, cumbria, "documents")
    assert "Fresh meeting" in section_text(signed_in, url, cumbria, "next-meeting")


def test_an_action_done_and_an_update_hidden_leave_at_once(signed_in, cumbria, member, personas):
    make_meeting(
        cumbria, start=days(-3), actions=[{"description": "Ring the school", "owner_user": member, "due_date": due(2)}]
    )
    update = make_update(cumbria, author=make_member(cumbria), title="Soon hidden")
    assert "Ring the school" in section_text(signed_in, "/members/", cumbria, "actions")
    assert "Soon hidden" in section_text(signed_in, "/members/", cumbria, "updates")
    # The status is written with QuerySet.update(), which sends no signal.
    action_status_change(action=ActionItem.objects.get(), status="done", user=member)
    update_hide(update=update, hidden_by=personas.coordinator)
    assert "Ring the school" not in section_text(signed_in, "/members/", cumbria, "actions")
    assert "Soon hidden" not in section_text(signed_in, "/members/", cumbria, "updates")


def test_the_next_meeting_moves_on_when_it_ends(signed_in, cumbria):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(minutes=5)
    make_meeting(cumbria, start=start, end=start + datetime.timedelta(minutes=10), title="First meeting")
    make_meeting(cumbria, start=start + datetime.timedelta(days=7), title="Second meeting")
    assert "First meeting" in section_text(signed_in, "/members/", cumbria, "next-meeting")
    with time_machine.travel(start + datetime.timedelta(minutes=11)):  # within the session's idle time
        assert "Second meeting" in section_text(signed_in, "/members/", cumbria, "next-meeting")


def test_a_warm_group_page_reads_none_of_the_group_s_content(signed_in, cumbria, django_assert_max_num_queries):
    make_update(cumbria, author=make_member(cumbria), title="An update")
    signed_in.get(cumbria.url)
    with django_assert_max_num_queries(15) as captured:
        signed_in.get(cumbria.url)
    tables = " ".join(query["sql"] for query in captured.captured_queries)
    for table in (
        "groups_update",
        "groups_actionitem",
        "wagtaildocs_document",
        'groups_membership"."working_group_id" =',
    ):
        assert table not in tables
    fragments.changed()
    with django_assert_max_num_queries(30) as captured:
        signed_in.get(cumbria.url)
    assert "groups_update" in " ".join(query["sql"] for query in captured.captured_queries)


# Each group's summary is also kept as rendered (templates/groups/components/group_summary.html,
# under groups.dashboard.GroupSummary.render_key): it must differ wherever the people differ.


def rendered_templates(response):
    return {template.name for template in response.templates}


def test_a_warm_summary_is_not_rendered_again(signed_in, cumbria, member):
    make_meeting(
        cumbria, start=days(3), actions=[{"description": "Ring the school", "owner_user": member, "due_date": due(2)}]
    )
    assert "groups/components/meeting_item.html" in rendered_templates(signed_in.get(cumbria.url))
    response = signed_in.get(cumbria.url)
    assert "groups/components/meeting_item.html" not in rendered_templates(response)
    assert "Ring the school" in section_text(signed_in, cumbria.url, cumbria, "actions")


@pytest.fixture
def signed_in_as(cumbria):
    """A client per person, all signed in before anything is read (signing in saves the
    person, which moves the members' area on: groups.fragments)."""

    def sign_in(*people):
        clients = []
        for person in people:
            clients.append(Client())
            clients[-1].force_login(with_authenticator(person))
        return clients

    return sign_in


def test_each_member_sees_only_their_own_actions_on_the_dashboard(signed_in_as, cumbria, member):
    other = make_member(cumbria)
    mine, theirs = signed_in_as(member, other)
    make_meeting(
        cumbria,
        start=days(-3),
        actions=[
            {"description": "Ring the school", "owner_user": member, "due_date": due(2)},
            {"description": "Write the leaflet", "owner_user": other, "due_date": due(2)},
        ],
    )
    assert "Write the leaflet" not in section_text(mine, "/members/", cumbria, "actions")
    actions = section_text(theirs, "/members/", cumbria, "actions")
    assert "Write the leaflet" in actions
    assert "Ring the school" not in actions


def test_who_may_update_an_action_is_each_person_s_own(signed_in_as, cumbria, member, coordinator):
    coordinating, reading = signed_in_as(coordinator, make_member(cumbria))
    make_meeting(
        cumbria, start=days(-3), actions=[{"description": "Ring the school", "owner_user": member, "due_date": due(2)}]
    )
    assert "Update status" in section_text(coordinating, cumbria.url, cumbria, "actions")
    actions = section_text(reading, cumbria.url, cumbria, "actions")
    assert "Update status" not in actions
    assert "History" in actions
