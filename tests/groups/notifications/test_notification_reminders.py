"""Action reminders from `send_digests`: "due in three days" and "overdue", each once per action."""

import datetime

import pytest
import time_machine

from groups.models import Notification, NotificationEvent, NotificationPreference
from groups.notifications.services import action_reminders_create, digests_send, notifications_muted
from portal.models import OutboundEmail
from tests.factories import SENSITIVE, OrganisationFactory, make_action, make_meeting, make_member

pytestmark = pytest.mark.django_db

DUE = datetime.date(2026, 3, 20)


def meeting_of(group):
    """A published meeting with member-written notes, made without telling anyone."""
    with notifications_muted():
        return make_meeting(group, title=f"Meeting {SENSITIVE}", agenda=[("Notes", f"<p>Notes {SENSITIVE}</p>")])


def action_of(meeting, **fields):
    """An action with a member-written description."""
    return make_action(meeting, description=f"Action {SENSITIVE}", **fields)


def at(day):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(7, 0), tzinfo=datetime.UTC))


def reminders(user):
    return NotificationEvent.objects.filter(notifications__recipient=user).order_by("created_at", "pk")


@pytest.fixture
def owner(cumbria):
    return make_member(cumbria)


@pytest.fixture
def action(cumbria, owner):
    return action_of(meeting_of(cumbria), owner_user=owner, due_date=DUE)


def test_due_in_three_days_once_then_overdue_once(cumbria, owner, action):
    days = [DUE - datetime.timedelta(days=5) + datetime.timedelta(days=n) for n in range(12)]
    for day in days:
        with at(day):
            action_reminders_create(actions=[action])
            action_reminders_create(actions=[action])  # run twice the same day
    assert [event.kind for event in reminders(owner)] == ["action_due_soon", "action_overdue"]
    due_soon, overdue = reminders(owner)
    assert due_soon.created_at.date() == DUE - datetime.timedelta(days=3)
    assert overdue.created_at.date() == DUE + datetime.timedelta(days=1)


def test_nothing_before_three_days_ahead(action, owner):
    with at(DUE - datetime.timedelta(days=4)):
        assert action_reminders_create(actions=[action]) == 0
    assert not reminders(owner).exists()


def test_an_action_first_seen_late_is_reminded_as_overdue_only(action, owner):
    with at(DUE + datetime.timedelta(days=10)):
        action_reminders_create(actions=[action])
    assert [event.kind for event in reminders(owner)] == ["action_overdue"]


@pytest.mark.parametrize("status", ["done", "dropped"])
def test_finished_actions_are_not_reminded(cumbria, owner, status):
    action = action_of(meeting_of(cumbria), owner_user=owner, due_date=DUE, status=status)
    with at(DUE + datetime.timedelta(days=1)):
        assert action_reminders_create(actions=[action]) == 0


def test_in_progress_actions_are_reminded(cumbria, owner):
    action = action_of(meeting_of(cumbria), owner_user=owner, due_date=DUE, status="in_progress")
    with at(DUE):
        assert action_reminders_create(actions=[action]) == 1


def test_a_new_due_date_is_reminded_again(action, owner):
    with at(DUE - datetime.timedelta(days=1)):
        action_reminders_create(actions=[action])
    action.due_date = DUE + datetime.timedelta(days=7)
    action.save()
    with at(DUE + datetime.timedelta(days=5)):
        action_reminders_create(actions=[action])
    assert reminders(owner).count() == 2


def test_organisation_actions_remind_its_active_members_in_the_group(cumbria, yorkshire, police):
    officer = make_member(cumbria, organisation=police)
    make_member(yorkshire, organisation=police)
    make_member(cumbria, organisation=OrganisationFactory())
    action = action_of(meeting_of(cumbria), owner_organisation=police, due_date=DUE)
    with at(DUE):
        action_reminders_create(actions=[action])
    assert list(Notification.objects.values_list("recipient", flat=True)) == [officer.pk]


def test_reminders_follow_the_owners_choice(cumbria, owner, action):
    NotificationPreference.objects.create(user=owner, working_group=cumbria, frequency="immediately")
    with at(DUE - datetime.timedelta(days=2)):
        action_reminders_create(actions=[action])
    email = OutboundEmail.objects.get(to=[owner.email])
    assert email.subject == "Cumbria working group: an action is due soon"
    assert "An action assigned to you is due on 20 March 2026." in email.body_text
    assert SENSITIVE not in email.body_text + email.body_html + email.subject


def test_reminders_go_in_the_digest_without_the_description(cumbria, owner, action):
    with at(DUE + datetime.timedelta(days=2)):
        action_reminders_create(actions=[action])
        digests_send(frequencies=["daily"])
    email = OutboundEmail.objects.get(to=[owner.email])
    assert "An action assigned to you was due on 20 March 2026 and is not marked done." in email.body_text
    assert SENSITIVE not in email.body_text + email.body_html + email.subject


def test_switched_off_no_reminders(cumbria, owner, action):
    NotificationPreference.objects.create(user=owner, working_group=cumbria, frequency="off")
    with at(DUE + datetime.timedelta(days=2)):
        action_reminders_create(actions=[action])
        digests_send(frequencies=["daily", "weekly"])
    assert not OutboundEmail.objects.exists()


def test_queries_do_not_grow_with_the_number_of_actions(cumbria, police, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    owners = [make_member(cumbria, organisation=police) for _ in range(3)]

    def actions(count):
        meeting = meeting_of(cumbria)
        return [action_of(meeting, owner_user=owners[n % 3], due_date=DUE) for n in range(count)] + [
            action_of(meeting, owner_organisation=police, due_date=DUE) for _ in range(count)
        ]

    few, many = actions(2), actions(20)
    with at(DUE), CaptureQueriesContext(connection) as baseline:
        action_reminders_create(actions=few)
    with at(DUE), django_assert_max_num_queries(len(baseline)):
        assert action_reminders_create(actions=many) == 40
