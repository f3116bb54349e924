"""Actions: red/amber/green by due date, status updates by their owner or a coordinator,
every change recorded, and nobody else able to touch them."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from django.urls import reverse

from groups.models import ActionItem, ActionItemChange
from tests.factories import OrganisationFactory, make_editor, make_meeting, make_member
from tests.html import main_text, soup
from tests.hypothesis_profiles import scaled

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture
def people(cumbria, yorkshire, police):
    return {
        "owner": make_member(cumbria, organisation=police, first_name="Olu", last_name="Owner"),
        "colleague": make_member(cumbria, organisation=police),
        "other member": make_member(cumbria),
        "coordinator": make_member(cumbria, role="coordinator", first_name="Cara"),
        "member of B": make_member(yorkshire),
        "coordinator of B": make_member(yorkshire, role="coordinator"),
        "editor": make_editor(),
    }


@pytest.fixture
def action(cumbria, people):
    meeting = make_meeting(
        cumbria,
        actions=[{"description": "Update the referral flowchart", "owner_user": people["owner"], "due_date": TODAY}],
    )
    return ActionItem.objects.get(meeting=meeting)


def url(action, group="cumbria"):
    return reverse("groups:action_detail", kwargs={"group_slug": group, "pk": action.pk})


@pytest.mark.parametrize(
    ("status", "due_in_days", "key", "label"),
    [
        ("open", -1, "red", "Overdue"),
        ("in_progress", -30, "red", "Overdue"),
        ("open", 0, "amber", "Due soon"),
        ("in_progress", 3, "amber", "Due soon"),
        ("open", 4, "green", "On track"),
        ("done", -10, "closed", "Done"),
        ("dropped", -10, "closed", "Dropped"),
    ],
)
def test_red_amber_green_by_due_date_always_in_words(status, due_in_days, key, label):
    action = ActionItem(status=status, due_date=TODAY + datetime.timedelta(days=due_in_days))
    rag = action.rag_on(TODAY)
    assert (rag.key, rag.label) == (key, label)


def test_the_meeting_page_shows_the_rating_as_text_and_colour(client, cumbria, people, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 10, 9, 0))
    meeting = make_meeting(
        cumbria,
        start=datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC),
        actions=[
            {"description": "Late one", "due_date": TODAY - datetime.timedelta(days=1)},
            {"description": "Soon one", "due_date": TODAY + datetime.timedelta(days=2)},
            {"description": "Fine one", "due_date": TODAY + datetime.timedelta(days=20)},
        ],
    )
    client.force_login(people["owner"])
    tags = {
        tag["data-rag"]: (tag.get_text(), tag["class"]) for tag in soup(client.get(meeting.url)).select(".govuk-tag")
    }
    assert tags["red"] == ("Overdue", ["govuk-tag", "govuk-tag--red"])
    assert tags["amber"] == ("Due soon", ["govuk-tag", "govuk-tag--yellow"])
    assert tags["green"] == ("On track", ["govuk-tag", "govuk-tag--green"])


@pytest.mark.parametrize("person", ["owner", "coordinator"])
def test_the_owner_or_a_coordinator_updates_the_status_and_it_is_recorded(client, action, people, person):
    user = people[person]
    client.force_login(user)
    response = client.post(url(action), {"status": "in_progress", "note": "Draft with the design team."})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "in_progress"
    change = ActionItemChange.objects.get(action=action)
    assert (change.changed_by, change.from_status, change.to_status, change.note) == (
        user,
        "open",
        "in_progress",
        "Draft with the design team.",
    )
    history = main_text(client.get(url(action)))
    assert "Open to In progress" in history and "Draft with the design team." in history


def test_a_note_without_a_change_of_status_is_logged_as_a_note_only(client, action, people):
    client.force_login(people["owner"])
    client.post(url(action), {"status": "in_progress", "note": "Started."})
    response = client.post(url(action), {"status": "in_progress", "note": "Waiting for the design team."})
    assert response.status_code == 302
    cells = [
        [" ".join(cell.get_text().split()) for cell in row.find_all("td")[2:]]
        for row in soup(client.get(url(action))).select("main tbody tr")
    ]
    assert cells == [["Open to In progress", "Started."], ["Note added", "Waiting for the design team."]]
    assert "In progress to In progress" not in main_text(client.get(url(action)))


def test_an_organisations_action_is_updated_by_its_members_in_the_group(client, cumbria, people, police):
    meeting = make_meeting(
        cumbria, actions=[{"description": "Police to brief", "owner_organisation": police, "due_date": TODAY}]
    )
    action = ActionItem.objects.get(meeting=meeting)
    client.force_login(people["colleague"])
    assert client.post(url(action), {"status": "done"}).status_code == 302
    client.force_login(people["other member"])
    assert client.post(url(action), {"status": "open"}).status_code == 404
    assert ActionItem.objects.get(pk=action.pk).status == "done"


@pytest.mark.parametrize(
    ("person", "get_status", "post_status"),
    [
        ("anonymous", 302, 302),
        ("other member", 200, 404),  # may read the action and its history, not change it
        ("colleague", 200, 404),  # the same organisation, but the action is the owner's own
        ("member of B", 404, 404),
        ("coordinator of B", 404, 404),
        ("editor", 404, 404),
    ],
)
def test_nobody_else_can_change_an_action(client, action, people, person, get_status, post_status):
    if person != "anonymous":
        client.force_login(people[person])
    response = client.get(url(action))
    assert response.status_code == get_status
    if get_status == 200:
        assert soup(response).find("form", method="post") is None
    response = client.post(url(action), {"status": "done", "note": "Not mine"})
    assert response.status_code == post_status
    if person == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    assert ActionItem.objects.get(pk=action.pk).status == "open"
    assert not ActionItemChange.objects.exists()


def test_another_groups_action_id_is_not_found_through_this_group(client, cumbria, yorkshire, people):
    theirs = make_meeting(yorkshire, actions=[{"description": "Yorkshire's", "due_date": TODAY}])
    their_action = ActionItem.objects.get(meeting=theirs)
    client.force_login(people["coordinator"])
    assert client.get(url(their_action)).status_code == 404
    assert client.post(url(their_action), {"status": "done"}).status_code == 404
    # ... nor through the other group's URL, which the coordinator may not see.
    assert client.post(url(their_action, "yorkshire"), {"status": "done"}).status_code == 404
    assert ActionItem.objects.get(pk=their_action.pk).status == "open"


@settings(max_examples=scaled(0.25), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pk=st.integers(min_value=1, max_value=2**31 - 1))
def test_no_action_id_outside_the_group_answers_anything_but_404(client, action, people, pk):
    client.force_login(people["member of B"])
    assert (
        client.post(
            reverse("groups:action_detail", kwargs={"group_slug": "cumbria", "pk": pk}), {"status": "done"}
        ).status_code
        == 404
    )
    assert ActionItem.objects.get(pk=action.pk).status == "open"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "finished"}, "Choose a status from the list."),
        ({}, "Choose a status."),
        ({"status": "done", "note": "x" * 501}, "Keep the note to 500 characters or fewer."),
        ({"status": "done", "note": "Call her mum on 07700 900123"}, "a phone number"),
        ({"status": "open", "note": ""}, "Choose a different status, or add a note."),
    ],
)
def test_bad_input_gets_a_clear_error_keeps_what_was_typed_and_changes_nothing(client, action, people, data, message):
    client.force_login(people["owner"])
    response = client.post(url(action), data)
    assert response.status_code == 200
    page = soup(response)
    summary = page.select_one(".govuk-error-summary")
    assert message in summary.get_text()
    assert summary.find("a")["href"] in ("#id_status_0", "#id_note")
    if data.get("note"):
        assert page.find("textarea", id="id_note").get_text() == data["note"]
    assert ActionItem.objects.get(pk=action.pk).status == "open"
    assert not ActionItemChange.objects.exists()


def test_extra_fields_posted_are_ignored(client, action, people, cumbria):
    client.force_login(people["owner"])
    other = people["other member"]
    response = client.post(
        url(action),
        {
            "status": "done",
            "owner_user": other.pk,
            "owner_organisation": OrganisationFactory().pk,
            "due_date": "2030-01-01",
            "description": "Changed",
            "meeting": 1,
            "is_staff": "on",
            "changed_by": other.pk,
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.owner_user, action.owner_organisation, action.due_date, action.description) == (
        "done",
        people["owner"],
        None,
        TODAY,
        "Update the referral flowchart",
    )
    assert ActionItemChange.objects.get().changed_by == people["owner"]
    people["owner"].refresh_from_db()
    assert not people["owner"].is_staff


def test_html_in_a_note_is_shown_as_text(client, action, people):
    client.force_login(people["owner"])
    note = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    assert client.post(url(action), {"status": "done", "note": note}).status_code == 302
    body = client.get(url(action)).content.decode()
    assert "<script>alert" not in body and "<img src=x" not in body
    assert "&lt;script&gt;" in body


def test_a_leaver_can_no_longer_update_their_action(client, action, people):
    from groups.membership.services import membership_leave

    membership_leave(membership=people["owner"].memberships.get())
    # Their account is deactivated (they belong to no other group): signed out at once.
    client.force_login(people["owner"])
    response = client.post(url(action), {"status": "done"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert ActionItem.objects.get(pk=action.pk).status == "open"
