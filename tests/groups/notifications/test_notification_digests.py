"""`manage.py send_digests`: each item once, preferences and memberships as they are at send time."""

import datetime
import io

import pytest
import time_machine

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from groups.membership.services import membership_leave
from groups.models import Membership, Notification, NotificationPreference
from groups.notifications.services import (
    digest_frequencies_due,
    digests_send,
    notifications_muted,
    notify_document_added,
    notify_meeting_notes_published,
    notify_update_posted,
)
from portal.models import OutboundEmail
from tests.factories import SENSITIVE, make_document, make_meeting, make_member, make_update

pytestmark = pytest.mark.django_db


# Each object carries member-written SENSITIVE text, and is made without telling anyone:
# the test tells.


def update_of(group, author):
    return make_update(group, author=author, title=f"Update title {SENSITIVE}", body=f"Update body {SENSITIVE}")


def meeting_of(group):
    with notifications_muted():
        return make_meeting(
            group,
            start=timezone.make_aware(datetime.datetime(2026, 3, 12, 10, 0)),
            title=f"Meeting {SENSITIVE}",
            agenda=[("Notes", f"<p>Notes {SENSITIVE}</p>")],
        )


def document_of(group):
    with notifications_muted():
        return make_document(collection=group.collection, title=f"Document {SENSITIVE}")


def choose(user, group, frequency):
    NotificationPreference.objects.update_or_create(user=user, working_group=group, defaults={"frequency": frequency})


def post_updates(group, author, count):
    for _ in range(count):
        notify_update_posted(update=update_of(group, author), actor=author)


def send_digests(*frequencies):
    out = io.StringIO()
    args = [arg for frequency in frequencies for arg in ("--frequency", frequency)]
    call_command("send_digests", *args, stdout=out)
    return out.getvalue()


def emails_to(user):
    return OutboundEmail.objects.filter(to=[user.email])


def test_a_digest_holds_each_item_once_even_when_run_twice(cumbria):
    author, member = make_member(cumbria), make_member(cumbria)
    post_updates(cumbria, author, 3)
    notify_document_added(document=document_of(cumbria), working_group=cumbria, actor=author)

    assert "1 emails queued with 4 items" in send_digests("daily")
    send_digests("daily")
    send_digests()

    email = emails_to(member).get()
    assert email.subject == "Your working group digest: 4 new items"
    assert email.body_text.count("A new update has been posted.") == 3
    assert email.body_text.count("A new document has been added.") == 1
    assert set(Notification.objects.filter(recipient=member).values_list("email", flat=True)) == {email.pk}
    assert not emails_to(author).exists()


def test_later_items_come_in_the_next_digest_and_only_they(cumbria):
    author, member = make_member(cumbria), make_member(cumbria)
    post_updates(cumbria, author, 2)
    send_digests("daily")
    post_updates(cumbria, author, 1)
    send_digests("daily")
    assert [email.subject for email in emails_to(member).order_by("created_at", "pk")] == [
        "Your working group digest: 2 new items",
        "Your working group digest: 1 new item",
    ]


def test_weekly_items_wait_for_the_weekly_digest(cumbria):
    author, member = make_member(cumbria), make_member(cumbria)
    choose(member, cumbria, "weekly")
    post_updates(cumbria, author, 2)
    send_digests("daily")
    assert not emails_to(member).exists()
    send_digests("weekly")
    assert emails_to(member).get().subject == "Your working group digest: 2 new items"


def test_daily_items_are_not_sent_by_the_weekly_run(cumbria):
    author, member = make_member(cumbria), make_member(cumbria)
    post_updates(cumbria, author, 1)
    send_digests("weekly")
    assert not emails_to(member).exists()


def test_switched_off_before_the_digest_nothing_is_sent_ever(cumbria):
    author, member = make_member(cumbria), make_member(cumbria)
    post_updates(cumbria, author, 2)
    choose(member, cumbria, "off")
    send_digests("daily", "weekly")
    assert not emails_to(member).exists()
    assert Notification.objects.filter(recipient=member, dropped_at__isnull=False).count() == 2
    choose(member, cumbria, "daily")  # switching back does not bring the old items back
    send_digests("daily")
    assert not emails_to(member).exists()


def test_switched_to_immediately_waiting_items_go_in_the_next_run(cumbria):
    author, member = make_member(cumbria), make_member(cumbria)
    post_updates(cumbria, author, 2)
    choose(member, cumbria, "immediately")
    send_digests("weekly")  # whatever the run: they want them now
    assert emails_to(member).get().subject == "Your working group digest: 2 new items"


def test_sent_immediately_then_switched_to_a_digest_is_not_sent_again(cumbria):
    author, member = make_member(cumbria), make_member(cumbria)
    choose(member, cumbria, "immediately")
    post_updates(cumbria, author, 1)
    choose(member, cumbria, "daily")
    send_digests("daily")
    assert emails_to(member).get().subject == "Cumbria working group: new update"


def test_people_who_left_get_nothing(cumbria):
    author, leaver, suspended, member = (make_member(cumbria) for _ in range(4))
    post_updates(cumbria, author, 1)
    membership_leave(membership=Membership.objects.get(user=leaver, working_group=cumbria))
    from groups.membership.services import membership_suspend

    membership_suspend(membership=Membership.objects.get(user=suspended, working_group=cumbria))
    result = digests_send(frequencies=["daily"])
    assert result == {"sent": 1, "items": 1, "dropped": 2}
    assert not emails_to(leaver).exists()
    assert not emails_to(suspended).exists()
    assert emails_to(member).count() == 1


def test_deactivated_accounts_get_nothing(cumbria):
    author, member = make_member(cumbria), make_member(cumbria)
    post_updates(cumbria, author, 1)
    member.is_active = False
    member.save()
    send_digests("daily")
    assert not OutboundEmail.objects.exists()


def test_one_email_per_person_across_their_groups(cumbria, yorkshire):
    member = make_member(cumbria)
    make_member(yorkshire, user=member)
    author_c, author_y = make_member(cumbria), make_member(yorkshire)
    post_updates(cumbria, author_c, 1)
    post_updates(yorkshire, author_y, 2)
    choose(member, yorkshire, "weekly")
    send_digests("daily", "weekly")
    email = emails_to(member).get()
    assert email.subject == "Your working group digest: 3 new items"
    assert "Cumbria working group" in email.body_text
    assert "Yorkshire working group" in email.body_text


def test_each_group_follows_its_own_choice(cumbria, yorkshire):
    member = make_member(cumbria)
    make_member(yorkshire, user=member)
    post_updates(cumbria, make_member(cumbria), 1)
    post_updates(yorkshire, make_member(yorkshire), 1)
    choose(member, yorkshire, "weekly")
    send_digests("daily")
    email = emails_to(member).get()
    assert "Cumbria working group" in email.body_text
    assert "Yorkshire working group" not in email.body_text


def test_digests_carry_no_member_written_text(cumbria):
    coordinator, member = make_member(cumbria, role="coordinator"), make_member(cumbria)
    post_updates(cumbria, coordinator, 1)
    notify_meeting_notes_published(meeting=meeting_of(cumbria), actor=coordinator)
    notify_document_added(document=document_of(cumbria), working_group=cumbria, actor=coordinator)
    send_digests("daily")
    email = emails_to(member).get()
    for part in (email.subject, email.body_text, email.body_html):
        assert SENSITIVE not in part
    assert "Notes from the meeting on 12 March 2026 have been published." in email.body_text
    assert "http://127.0.0.1:8000/members/cumbria/" in email.body_text
    assert "http://127.0.0.1:8000/members/notifications/" in email.body_text


def test_the_weekly_digest_goes_out_on_mondays_by_default(settings):
    assert digest_frequencies_due(today=datetime.date(2026, 11, 23)) == ["daily", "weekly"]  # a Monday
    assert digest_frequencies_due(today=datetime.date(2026, 11, 24)) == ["daily"]
    settings.NOTIFICATIONS_WEEKLY_DIGEST_WEEKDAY = 1
    assert digest_frequencies_due(today=datetime.date(2026, 11, 24)) == ["daily", "weekly"]


def test_a_run_without_frequency_works_out_which_are_due(cumbria):
    author, daily, weekly = (make_member(cumbria) for _ in range(3))
    choose(weekly, cumbria, "weekly")
    post_updates(cumbria, author, 1)
    with time_machine.travel(datetime.datetime(2026, 11, 24, 7, 0, tzinfo=datetime.UTC)):  # Tuesday
        send_digests()
    assert emails_to(daily).count() == 1
    assert not emails_to(weekly).exists()
    with time_machine.travel(datetime.datetime(2026, 11, 30, 7, 0, tzinfo=datetime.UTC)):  # Monday
        send_digests()
    assert emails_to(weekly).count() == 1
    assert emails_to(daily).count() == 1


def _digest_queries(frequencies=("daily",)):
    with CaptureQueriesContext(connection) as queries:
        digests_send(frequencies=list(frequencies))
    return len(queries)


def test_queries_do_not_grow_with_the_number_of_items(cumbria, yorkshire, django_assert_max_num_queries):
    members = [make_member(cumbria) for _ in range(3)]
    for member in members[:2]:
        make_member(yorkshire, user=member)
    author_c, author_y = make_member(cumbria), make_member(yorkshire)

    def add_items(count):
        post_updates(cumbria, author_c, count)
        post_updates(yorkshire, author_y, count)
        for _ in range(count):
            notify_document_added(document=document_of(cumbria), working_group=cumbria, actor=None)

    add_items(1)
    baseline = _digest_queries()
    assert OutboundEmail.objects.count() == 4  # the three members and the Cumbria author (documents)

    add_items(10)
    with django_assert_max_num_queries(baseline):
        digests_send(frequencies=["daily"])
    assert OutboundEmail.objects.count() == 8
    assert Notification.objects.filter(sent_at__isnull=True).count() == 0
    print(f"send_digests: {baseline} queries for 4 emails, with 9 or 90 items")
