"""Notifications from the real sources (meetings, updates, documents), end to end through
the services that send the group events, the digest command and the outbox."""

import datetime
import io

import pytest
import time_machine

from django.core.management import call_command
from django.urls import reverse

from groups.meetings.services import action_status_change
from groups.models import ActionItem, MeetingPage, Notification, NotificationEvent, NotificationPreference
from groups.updates.services import update_post
from portal.models import OutboundEmail
from tests.factories import OrganisationFactory, make_document, make_meeting, make_member

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Wallaby zircon at Ashfield"
SECRET_BODY = "Quokka tangerine: the boy in year nine"
SECRET_NOTES = "Marmoset lavender said the school nurse"
SECRET_ACTION = "Call the wombat carousel family"
DUE = datetime.date(2026, 4, 20)


def choose(user, group, frequency):
    NotificationPreference.objects.update_or_create(user=user, working_group=group, defaults={"frequency": frequency})


def emails_to(user):
    return OutboundEmail.objects.filter(to=[user.email]).order_by("created_at", "pk")


def assert_nothing_sensitive(email):
    for secret in (SECRET_TITLE, SECRET_BODY, SECRET_NOTES, SECRET_ACTION, "Minutes of the wombat"):
        for part in (email.subject, email.body_text, email.body_html):
            assert secret not in part


def send_digests(*args):
    call_command("send_digests", *args, stdout=io.StringIO())


@pytest.fixture
def coordinator(cumbria, police):
    return make_member(cumbria, role="coordinator", organisation=police)


@pytest.fixture
def children_services_member(cumbria):
    return make_member(cumbria, organisation=OrganisationFactory(name="Cumbria Children's Services"))


def test_a_posted_update_is_emailed_immediately_as_a_link(cumbria, coordinator, children_services_member):
    choose(children_services_member, cumbria, "immediately")
    update = update_post(
        working_group=cumbria, author=coordinator, title=SECRET_TITLE, body=SECRET_BODY, tags=["platforms"]
    )
    email = emails_to(children_services_member).get()
    assert email.subject == "Cumbria working group: new update"
    assert "http://127.0.0.1:8000" + reverse(
        "groups:update_detail", kwargs={"group_slug": "cumbria", "pk": update.pk}
    ) in (email.body_text)
    assert_nothing_sensitive(email)
    assert not emails_to(coordinator).exists()


def test_an_update_imported_without_notifying_tells_nobody(cumbria, coordinator, children_services_member):
    update_post(
        working_group=cumbria, author=coordinator, title="Old", body="Imported", tags=["platforms"], notify=False
    )
    assert not Notification.objects.exists()


def test_meeting_notes_and_actions_once_however_often_published(cumbria, coordinator, children_services_member, police):
    officer = make_member(cumbria, organisation=police)
    meeting = make_meeting(
        cumbria,
        user=coordinator,
        start=datetime.datetime(2026, 4, 2, 10, 0, tzinfo=datetime.UTC),
        agenda=[("Trends", f"<p>{SECRET_NOTES}</p>")],
        actions=[
            {"description": SECRET_ACTION, "owner_user": children_services_member, "due_date": DUE},
            {"description": SECRET_ACTION, "owner_organisation": police, "due_date": DUE},
        ],
    )
    MeetingPage.objects.get(pk=meeting.pk).save_revision(user=coordinator).publish(user=coordinator)
    MeetingPage.objects.get(pk=meeting.pk).save_revision(user=coordinator).publish(user=coordinator)

    kinds = sorted(NotificationEvent.objects.values_list("kind", flat=True))
    assert kinds == ["action_assigned", "action_assigned", "meeting_notes"]
    member_items = Notification.objects.filter(recipient=children_services_member).select_related("event")
    assert sorted(item.event.kind for item in member_items) == ["action_assigned", "meeting_notes"]
    officer_items = Notification.objects.filter(recipient=officer).select_related("event")
    assert sorted(item.event.kind for item in officer_items) == ["action_assigned", "meeting_notes"]
    assert not Notification.objects.filter(recipient=coordinator).exists()  # who published

    with time_machine.travel(datetime.datetime(2026, 4, 3, 7, 0, tzinfo=datetime.UTC)):  # before any reminder
        send_digests("--frequency", "daily")
        send_digests("--frequency", "daily")
    email = emails_to(children_services_member).get()
    assert email.subject == "Your working group digest: 2 new items"
    assert "Notes from the meeting on 2 April 2026 have been published." in email.body_text
    assert "An action has been assigned to you, due on 20 April 2026." in email.body_text
    action = ActionItem.objects.get(meeting=meeting, owner_user=children_services_member)
    assert reverse("groups:action_detail", kwargs={"group_slug": "cumbria", "pk": action.pk}) in email.body_text
    assert meeting.url in email.body_text
    assert "assigned to your organisation" in emails_to(officer).get().body_text
    for email in OutboundEmail.objects.all():
        assert_nothing_sensitive(email)


def test_a_document_added_to_the_groups_collection(cumbria, coordinator, children_services_member, yorkshire):
    outsider = make_member(yorkshire)
    choose(children_services_member, cumbria, "immediately")
    make_document(collection=cumbria.collection, title="Minutes of the wombat", uploaded_by=coordinator)
    email = emails_to(children_services_member).get()
    assert email.subject == "Cumbria working group: new document"
    assert "http://127.0.0.1:8000/members/cumbria/documents/" in email.body_text
    assert_nothing_sensitive(email)
    assert not Notification.objects.filter(recipient__in=[outsider, coordinator]).exists()


def test_reminders_for_real_actions_once_each_and_not_when_done(cumbria, coordinator, children_services_member):
    meeting = make_meeting(
        cumbria,
        user=coordinator,
        start=datetime.datetime(2026, 4, 2, 10, 0, tzinfo=datetime.UTC),
        actions=[
            {"description": SECRET_ACTION, "owner_user": children_services_member, "due_date": DUE},
            {"description": SECRET_ACTION, "owner_user": children_services_member, "due_date": DUE},
        ],
    )
    done = ActionItem.objects.filter(meeting=meeting).order_by("pk").last()
    action_status_change(action=done, status="done", user=children_services_member)
    reminder_kinds = ("action_due_soon", "action_overdue")

    for day in range(14, 26):  # 14 to 25 April, twice a day
        for hour in (7, 19):
            with time_machine.travel(datetime.datetime(2026, 4, day, hour, 0, tzinfo=datetime.UTC)):
                send_digests()

    reminders = NotificationEvent.objects.filter(kind__in=reminder_kinds).order_by("created_at")
    assert [event.kind for event in reminders] == ["action_due_soon", "action_overdue"]
    subjects = [email.subject for email in emails_to(children_services_member)]
    assert subjects.count("Your working group digest: 1 new item") == 2  # due soon, then overdue
    for email in emails_to(children_services_member):
        assert_nothing_sensitive(email)


def test_reminder_queries_do_not_grow_with_the_number_of_actions(
    cumbria, coordinator, children_services_member, police, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from groups.notifications.services import action_reminders_create

    def meeting_with_actions(count):
        make_meeting(
            cumbria,
            user=coordinator,
            start=datetime.datetime(2026, 4, 2, 10, 0, tzinfo=datetime.UTC),
            actions=[
                {"description": "x", "owner_user": children_services_member, "due_date": DUE} for _ in range(count)
            ]
            + [{"description": "y", "owner_organisation": police, "due_date": DUE} for _ in range(count)],
        )

    meeting_with_actions(1)
    with (
        time_machine.travel(datetime.datetime(2026, 4, 19, 7, 0, tzinfo=datetime.UTC)),
        CaptureQueriesContext(connection) as baseline,
    ):
        assert action_reminders_create() == 2
    meeting_with_actions(10)
    with (
        time_machine.travel(datetime.datetime(2026, 4, 22, 7, 0, tzinfo=datetime.UTC)),
        django_assert_max_num_queries(len(baseline)),
    ):
        assert action_reminders_create() == 22  # overdue: all of them
