"""Notifications recorded for the group events: who hears, how, and what the emails say."""

import datetime

import pytest

from django.utils import timezone

from groups.models import Notification, NotificationEvent, NotificationPreference
from groups.notifications.services import (
    notifications_muted,
    notify_action_assigned,
    notify_document_added,
    notify_meeting_notes_published,
    notify_update_posted,
)
from portal.models import OutboundEmail
from tests.factories import (
    SENSITIVE,
    OrganisationFactory,
    make_action,
    make_document,
    make_meeting,
    make_member,
    make_update,
)

pytestmark = pytest.mark.django_db

MEETING_START = timezone.make_aware(datetime.datetime(2026, 3, 12, 10, 0))
ACTION_DUE = datetime.date(2026, 3, 30)


# Each object carries member-written SENSITIVE text, and is made without telling anyone:
# the test tells.


def update_of(group, author):
    return make_update(group, author=author, title=f"Update title {SENSITIVE}", body=f"Update body {SENSITIVE}")


def meeting_of(group):
    with notifications_muted():
        return make_meeting(
            group, start=MEETING_START, title=f"Meeting {SENSITIVE}", agenda=[("Notes", f"<p>Notes {SENSITIVE}</p>")]
        )


def action_of(meeting, **owner):
    return make_action(meeting, description=f"Action {SENSITIVE}", due_date=ACTION_DUE, **owner)


def document_of(group):
    with notifications_muted():
        return make_document(collection=group.collection, title=f"Document {SENSITIVE}")


def suspended_member(group, **kwargs):
    from groups.membership.services import membership_suspend
    from groups.models import Membership

    user = make_member(group, **kwargs)
    membership_suspend(membership=Membership.objects.get(user=user, working_group=group))
    return user


def choose(user, group, frequency):
    NotificationPreference.objects.update_or_create(user=user, working_group=group, defaults={"frequency": frequency})


def items_for(user):
    return Notification.objects.filter(recipient=user)


def emails_to(user):
    return OutboundEmail.objects.filter(to=[user.email])


@pytest.mark.parametrize(
    ("frequency", "rows", "pending", "emails"),
    [
        ("immediately", 1, 0, 1),
        ("daily", 1, 1, 0),
        ("weekly", 1, 1, 0),
        ("off", 0, 0, 0),
    ],
)
def test_each_preference_when_an_update_is_posted(cumbria, frequency, rows, pending, emails):
    author, member = make_member(cumbria), make_member(cumbria)
    choose(member, cumbria, frequency)
    notify_update_posted(update=update_of(cumbria, author), actor=author)
    assert items_for(member).count() == rows
    assert items_for(member).filter(sent_at__isnull=True).count() == pending
    assert emails_to(member).count() == emails
    if emails:
        assert items_for(member).get().email == emails_to(member).get()


def test_default_is_the_daily_digest(cumbria):
    author, member = make_member(cumbria), make_member(cumbria)
    notify_update_posted(update=update_of(cumbria, author), actor=author)
    assert items_for(member).get().is_pending
    assert not OutboundEmail.objects.exists()


def test_active_members_of_the_group_only_and_never_the_actor(cumbria, yorkshire):
    author = make_member(cumbria)
    member = make_member(cumbria)
    suspended = suspended_member(cumbria)
    invited = make_member(cumbria, status="invited")
    other_group = make_member(yorkshire)
    notify_update_posted(update=update_of(cumbria, author), actor=author)
    assert set(Notification.objects.values_list("recipient", flat=True)) == {member.pk}
    for user in (author, suspended, invited, other_group):
        assert not items_for(user).exists()


def test_an_update_posted_twice_is_told_once(cumbria):
    author, member = make_member(cumbria), make_member(cumbria)
    update = update_of(cumbria, author)
    notify_update_posted(update=update, actor=author)
    notify_update_posted(update=update, actor=author)
    assert items_for(member).count() == 1


def test_meeting_notes_published_again_are_told_once(cumbria):
    coordinator = make_member(cumbria, role="coordinator")
    member = make_member(cumbria)
    choose(member, cumbria, "immediately")
    meeting = meeting_of(cumbria)
    for _ in range(3):
        notify_meeting_notes_published(meeting=meeting, actor=coordinator)
    assert items_for(member).count() == 1
    assert emails_to(member).count() == 1
    assert not items_for(coordinator).exists()
    email = emails_to(member).get()
    assert "12 March 2026" in email.body_text
    assert f"http://127.0.0.1:8000{meeting.url}" in email.body_text


def test_document_added_tells_the_group(cumbria):
    uploader, member = make_member(cumbria, role="coordinator"), make_member(cumbria)
    notify_document_added(document=document_of(cumbria), working_group=cumbria, actor=uploader)
    assert items_for(member).count() == 1
    assert not items_for(uploader).exists()
    # Sent by a process (no person): everyone hears.
    notify_document_added(document=document_of(cumbria), working_group=cumbria, actor=None)
    assert items_for(uploader).count() == 1


def test_action_assigned_to_a_person_tells_only_them(cumbria):
    coordinator = make_member(cumbria, role="coordinator")
    owner, bystander = make_member(cumbria), make_member(cumbria)
    notify_action_assigned(action=action_of(meeting_of(cumbria), owner_user=owner), actor=coordinator)
    assert items_for(owner).count() == 1
    assert not items_for(bystander).exists()
    assert not items_for(coordinator).exists()


def test_action_assigned_to_an_organisation_tells_its_active_members_in_the_group(cumbria, yorkshire, police):
    coordinator = make_member(cumbria, role="coordinator")
    officer_a = make_member(cumbria, organisation=police)
    officer_b = make_member(cumbria, organisation=police)
    officer_left = suspended_member(cumbria, organisation=police)
    officer_elsewhere = make_member(yorkshire, organisation=police)
    social_worker = make_member(cumbria, organisation=OrganisationFactory())
    notify_action_assigned(action=action_of(meeting_of(cumbria), owner_organisation=police), actor=coordinator)
    assert set(Notification.objects.values_list("recipient", flat=True)) == {officer_a.pk, officer_b.pk}
    for user in (officer_left, officer_elsewhere, social_worker):
        assert not items_for(user).exists()
    assert NotificationEvent.objects.get().for_organisation


def test_action_reassigned_tells_the_new_owner_and_not_the_old_one_again(cumbria):
    coordinator = make_member(cumbria, role="coordinator")
    first, second = make_member(cumbria), make_member(cumbria)
    action = action_of(meeting_of(cumbria), owner_user=first)
    notify_action_assigned(action=action, actor=coordinator)
    action.owner_user = second
    action.save()
    notify_action_assigned(action=action, actor=coordinator)
    notify_action_assigned(action=action, actor=coordinator)  # saved again: no news
    assert items_for(first).count() == 1
    assert items_for(second).count() == 1


def test_an_action_a_person_gives_themselves_tells_nobody(cumbria):
    coordinator = make_member(cumbria, role="coordinator")
    notify_action_assigned(action=action_of(meeting_of(cumbria), owner_user=coordinator), actor=coordinator)
    assert not Notification.objects.exists()


def test_an_owner_who_is_not_an_active_member_hears_nothing(cumbria, yorkshire):
    coordinator = make_member(cumbria, role="coordinator")
    outsider = make_member(yorkshire)
    notify_action_assigned(action=action_of(meeting_of(cumbria), owner_user=outsider), actor=coordinator)
    assert not Notification.objects.exists()


def test_nothing_is_recorded_when_the_change_rolls_back(cumbria):
    from django.db import transaction

    author, member = make_member(cumbria), make_member(cumbria)
    choose(member, cumbria, "immediately")
    with pytest.raises(RuntimeError), transaction.atomic():
        notify_update_posted(update=update_of(cumbria, author), actor=author)
        raise RuntimeError("the update could not be saved")
    assert not Notification.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_immediate_emails_carry_no_member_written_text(cumbria, police):
    coordinator = make_member(cumbria, role="coordinator", organisation=police)
    member = make_member(cumbria, organisation=police)
    choose(member, cumbria, "immediately")
    meeting = meeting_of(cumbria)
    notify_update_posted(update=update_of(cumbria, coordinator), actor=coordinator)
    notify_meeting_notes_published(meeting=meeting, actor=coordinator)
    notify_action_assigned(action=action_of(meeting, owner_user=member), actor=coordinator)
    notify_action_assigned(action=action_of(meeting, owner_organisation=police), actor=coordinator)
    notify_document_added(document=document_of(cumbria), working_group=cumbria, actor=coordinator)
    emails = list(emails_to(member))
    assert len(emails) == 5
    subjects = sorted(email.subject for email in emails)
    assert subjects == [
        "Cumbria working group: an action for you",
        "Cumbria working group: an action for you",
        "Cumbria working group: meeting notes published",
        "Cumbria working group: new document",
        "Cumbria working group: new update",
    ]
    for email in emails:
        for part in (email.subject, email.body_text, email.body_html):
            assert SENSITIVE not in part
        assert "http://127.0.0.1:8000/members/cumbria/" in email.body_text
        assert "http://127.0.0.1:8000/members/notifications/" in email.body_text
    assert any("assigned to your organisation, due on 30 March 2026" in email.body_text for email in emails)


def test_links_use_the_canonical_base_url(cumbria, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://portal.example.org/"
    author, member = make_member(cumbria), make_member(cumbria)
    choose(member, cumbria, "immediately")
    update = update_of(cumbria, author)
    notify_update_posted(update=update, actor=author)
    assert f"https://portal.example.org/members/cumbria/updates/{update.pk}/" in emails_to(member).get().body_text
