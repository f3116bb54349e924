"""Notifications of what happens in a group's area, and the digests that carry them.

The services that cause an event (an update posted, a meeting published, an action
assigned, a document added) call the `notify_*` functions here directly, inside their own
transaction, so the notification rows and any immediate email are stored, or rolled back,
with the change itself. `notifications_muted()` turns the `notify_*` functions off for a
block of code (the demo content loader), in this thread only. Every email goes through
the outbox, in the transaction that records what it is about, so an email is queued
exactly when its rows are marked sent.

What an email says: a sentence built from the kind of event, the group, a date and a
link to the portal; never anything members wrote (no update title or body, no meeting
notes, no action description, no document title). Titles look harmless but are free
text that can name a child, a school or a case, and email leaves the portal's
protections behind: it is forwarded, synced to phones, shown on lock screens and kept
by mail servers. The link takes the reader to the portal, where MFA and group access
apply. Subjects hold only the region's name and the kind of event.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypedDict
from urllib.parse import urlsplit, urlunsplit

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format

from portal.models import OutboundEmail
from portal.outbox import email_queue
from portal.switches import ThreadSwitch

from ..models import (
    ActionItem,
    MeetingPage,
    Membership,
    Notification,
    NotificationEvent,
    NotificationFrequency,
    NotificationPreference,
    Update,
    WorkingGroupPage,
)
from .selectors import notification_groups

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from django.contrib.auth.models import User

    from wagtail.documents.models import AbstractDocument
    from wagtail.models import Page

    class PendingAnnotations(TypedDict):
        """What `_pending` adds to each notification row."""

        frequency: str
        still_member: bool


Kind = NotificationEvent.Kind
REMINDER_DAYS = 3
# ActionItem.Status values of an action still to be done (ActionItem.objects.open()).
OPEN_STATUSES = {"open", "in_progress"}

# The subject of an email about one event, after "<Region> working group: ".
SUBJECTS: dict[str, str] = {
    Kind.MEETING_NOTES: "meeting notes published",
    Kind.UPDATE: "new update",
    Kind.ACTION_ASSIGNED: "an action for you",
    Kind.ACTION_DUE_SOON: "an action is due soon",
    Kind.ACTION_OVERDUE: "an action is overdue",
    Kind.DOCUMENT: "new document",
}


# The mute switch


_muted = ThreadSwitch()


def notifications_muted() -> AbstractContextManager[None]:
    """Within this block (in this thread), `notify_*` record nothing and tell nobody.

    For loading demo content and imports, which create past meetings, updates and
    documents that nobody should hear about. Blocks nest.
    """
    return _muted.on()


def notifications_are_muted() -> bool:
    return _muted.is_on()


# Preferences


@transaction.atomic
def notification_preferences_save(*, user: User, choices: Mapping[int, str]) -> None:
    """Save `user`'s frequency for each group in `choices` ({group pk: frequency}).

    Every group must be one of theirs and every frequency a known one, or nothing is
    saved. Items already waiting are sent or dropped by the next digest run, according
    to the frequency then.
    """
    own = set(notification_groups(user=user).values_list("pk", flat=True))
    if not set(choices) <= own:
        raise ValidationError("You can only choose notifications for your own working groups.", code="group")
    if not set(choices.values()) <= set(NotificationFrequency.values):
        raise ValidationError("Choose how often to hear about each group.", code="frequency")
    for group_pk, frequency in choices.items():
        NotificationPreference.objects.update_or_create(
            user=user, working_group_id=group_pk, defaults={"frequency": frequency}
        )


# Links and wording (the only things an email says)


def _site_path(url: str | None) -> str:
    """The path of a page's URL, whether Wagtail gave it relative or absolute."""
    parts = urlsplit(url or "")
    return urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))


def absolute_url(path: str) -> str:
    """A link for an email, on the canonical base URL, never a request's Host header."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _group_path(working_group: WorkingGroupPage) -> str:
    return _site_path(working_group.get_url())


def _section_path(working_group: WorkingGroupPage, url_name: str) -> str:
    """A section of the group's area, or the group's page where that section is not installed."""
    try:
        return reverse(url_name, kwargs={"group_slug": working_group.slug})
    except NoReverseMatch:
        return _group_path(working_group)


def _action_path(action: ActionItem, working_group: WorkingGroupPage) -> str:
    """The action's own page (its status and history), else its meeting's."""
    try:
        return reverse("groups:action_detail", kwargs={"group_slug": working_group.slug, "pk": action.pk})
    except NoReverseMatch:
        return _page_path(action.meeting, working_group)


def _page_path(page: Page, working_group: WorkingGroupPage) -> str:
    url = page.get_url()
    return _site_path(url) if url else _group_path(working_group)


def _on(day: datetime.date | None) -> str:
    if day is None:  # every kind of event whose sentence names a date is recorded with one
        raise ValueError("This kind of notification needs a date.")
    return date_format(day, "j F Y")


def notification_text(event: NotificationEvent) -> str:
    """The one sentence an email gives about an event: no member-written text."""
    if event.kind == Kind.MEETING_NOTES:
        return f"Notes from the meeting on {_on(event.date)} have been published."
    if event.kind == Kind.UPDATE:
        return "A new update has been posted."
    if event.kind == Kind.DOCUMENT:
        return "A new document has been added."
    owner = "your organisation" if event.for_organisation else "you"
    if event.kind == Kind.ACTION_ASSIGNED:
        return f"An action has been assigned to {owner}, due on {_on(event.date)}."
    if event.kind == Kind.ACTION_DUE_SOON:
        return f"An action assigned to {owner} is due on {_on(event.date)}."
    if event.kind == Kind.ACTION_OVERDUE:
        return f"An action assigned to {owner} was due on {_on(event.date)} and is not marked done."
    raise ValueError(f"Unknown notification kind: {event.kind}")


def _item(event: NotificationEvent) -> dict[str, str]:
    return {"text": notification_text(event), "url": absolute_url(event.link)}


def _preferences_url() -> str:
    return absolute_url(reverse("groups:notification_preferences"))


# Recording events


def _active_memberships(working_group: WorkingGroupPage) -> QuerySet[Membership]:
    return Membership.objects.filter(working_group=working_group, status=Membership.Status.ACTIVE, user__is_active=True)


def _email_one(*, recipient: User, event: NotificationEvent) -> OutboundEmail:
    working_group = event.working_group
    return email_queue(
        to=[recipient.email],
        subject=f"{working_group.region_name} working group: {SUBJECTS[event.kind]}",
        template="emails/notification",
        context={"group_name": working_group.title, "item": _item(event), "preferences_url": _preferences_url()},
    )


@dataclass
class EventSpec:
    """An event to record (see `notification_events_record`); `key` names what it is about."""

    kind: str
    working_group: WorkingGroupPage
    key: str
    link: str
    recipients: list[User] = field(default_factory=list)
    date: datetime.date | None = None
    for_organisation: bool = False


@transaction.atomic
def notification_events_record(*, specs: list[EventSpec]) -> list[NotificationEvent]:
    """Record events and tell each one's recipients according to their choice for its group.

    Immediately: an email is queued now and the row marked sent, in this transaction.
    Daily or weekly: the row waits for `send_digests`. Off: no row. An event whose key
    was recorded before, by this run or any other, even one running at the same time,
    is skipped, so nothing is told twice. A fixed number of queries for any number of
    events, plus one insert per immediate email. Returns the events recorded.
    """
    if not specs:
        return []
    batch = uuid.uuid4()
    # A conflicting key is silently skipped (ON CONFLICT DO NOTHING; INSERT OR IGNORE on
    # SQLite); the batch says which rows this call inserted.
    NotificationEvent.objects.bulk_create(
        [
            NotificationEvent(
                batch=batch,
                key=spec.key,
                kind=spec.kind,
                working_group=spec.working_group,
                link=spec.link,
                date=spec.date,
                for_organisation=spec.for_organisation,
            )
            for spec in specs
        ],
        ignore_conflicts=True,
    )
    inserted = {event.key: event for event in NotificationEvent.objects.filter(batch=batch)}
    specs = [spec for spec in specs if spec.key in inserted]
    chosen = {
        (user_id, group_id): frequency
        for user_id, group_id, frequency in NotificationPreference.objects.filter(
            user__in={user.pk for spec in specs for user in spec.recipients},
            working_group__in={spec.working_group.pk for spec in specs},
        ).values_list("user_id", "working_group_id", "frequency")
    }
    now = timezone.now()
    rows = []
    for spec in specs:
        event = inserted[spec.key]
        event.working_group = spec.working_group
        for user in {user.pk: user for user in spec.recipients}.values():
            frequency = chosen.get((user.pk, spec.working_group.pk), NotificationPreference.DEFAULT)
            if frequency == NotificationFrequency.OFF:
                continue
            row = Notification(event=event, recipient=user)
            if frequency == NotificationFrequency.IMMEDIATELY:
                row.email, row.sent_at = _email_one(recipient=user, event=event), now
            rows.append(row)
    Notification.objects.bulk_create(rows)
    return [inserted[spec.key] for spec in specs]


def notification_event_record(**spec: Any) -> NotificationEvent | None:
    """Record one event (see `notification_events_record`); None if it was recorded before."""
    events = notification_events_record(specs=[EventSpec(**spec)])
    return events[0] if events else None


def _group_members_except(working_group: WorkingGroupPage, actor: User | None, **filters: Any) -> list[User]:
    memberships = _active_memberships(working_group).filter(**filters).select_related("user")
    if actor is not None:
        memberships = memberships.exclude(user=actor)
    return [membership.user for membership in memberships]


def notify_update_posted(*, update: Update, actor: User | None = None) -> NotificationEvent | None:
    """Tell the group's active members (not the author) that an update was posted."""
    if notifications_are_muted():
        return None
    working_group = update.working_group
    return notification_event_record(
        kind=Kind.UPDATE,
        working_group=working_group,
        key=f"update:{update.pk}",
        link=_site_path(update.get_absolute_url()),
        recipients=_group_members_except(working_group, actor or update.author),
    )


def notify_meeting_notes_published(*, meeting: MeetingPage, actor: User | None = None) -> NotificationEvent | None:
    """Tell the group's active members that a meeting's notes are published: once per meeting,
    however often it is published again."""
    if notifications_are_muted():
        return None
    working_group = meeting.get_working_group()
    if working_group is None:
        return None
    return notification_event_record(
        kind=Kind.MEETING_NOTES,
        working_group=working_group,
        key=f"meeting_notes:{meeting.pk}",
        link=_page_path(meeting, working_group),
        date=timezone.localtime(meeting.start).date(),
        recipients=_group_members_except(working_group, actor),
    )


def notify_document_added(
    *, document: AbstractDocument, working_group: WorkingGroupPage, actor: User | None = None
) -> NotificationEvent | None:
    """Tell the group's active members (not whoever added it) that a document was added."""
    if notifications_are_muted():
        return None
    return notification_event_record(
        kind=Kind.DOCUMENT,
        working_group=working_group,
        key=f"document:{document.pk}:{working_group.pk}",
        link=_section_path(working_group, "groups:document_list"),
        recipients=_group_members_except(working_group, actor),
    )


def _action_owner_key(action: ActionItem) -> str:
    if action.owner_user_id:
        return f"user:{action.owner_user_id}"
    return f"organisation:{action.owner_organisation_id}"


def _action_owners(
    action: ActionItem, working_group: WorkingGroupPage, memberships: list[Membership] | None = None
) -> list[User]:
    """The people an action is for: its owner, if an active member of the group, or else the
    active members of its owning organisation in the group."""
    if memberships is None:
        memberships = list(_active_memberships(working_group).select_related("user"))
    if action.owner_user_id:
        return [m.user for m in memberships if m.user_id == action.owner_user_id]
    if action.owner_organisation_id:
        return [m.user for m in memberships if m.organisation_id == action.owner_organisation_id]
    return []


def notify_action_assigned(*, action: ActionItem, actor: User | None = None) -> NotificationEvent | None:
    """Tell an action's new owner (or its owning organisation's members) about it, not the
    person who assigned it. Once per action and owner: assigning it to the same owner
    again tells nobody twice."""
    if notifications_are_muted():
        return None
    if not (action.owner_user_id or action.owner_organisation_id):
        return None
    meeting = action.meeting
    working_group = meeting.get_working_group()
    if working_group is None:
        return None
    recipients = [user for user in _action_owners(action, working_group) if actor is None or user.pk != actor.pk]
    return notification_event_record(
        kind=Kind.ACTION_ASSIGNED,
        working_group=working_group,
        key=f"action_assigned:{action.pk}:{_action_owner_key(action)}",
        link=_action_path(action, working_group),
        date=action.due_date,
        for_organisation=not action.owner_user_id,
        recipients=recipients,
    )


# Reminders and digests (manage.py send_digests)


def _open_actions_due_by(day: datetime.date) -> list[ActionItem]:
    """Open actions due on or before `day`, or none where the meetings app is not installed."""
    try:
        action_model = apps.get_model("groups", "ActionItem")
    except LookupError:
        return []
    return list(
        action_model.objects.open().filter(due_date__lte=day).select_related("meeting").order_by("due_date", "pk")
    )


def _group_of(page: Page, groups_by_path: dict[str, WorkingGroupPage]) -> WorkingGroupPage | None:
    for path, working_group in groups_by_path.items():
        if page.path.startswith(path):
            return working_group
    return None


def action_reminders_create(*, today: datetime.date | None = None, actions: Iterable[ActionItem] | None = None) -> int:
    """Record "due in three days" and "overdue" reminders for the owners of open actions.

    Each action gets each kind of reminder once for its due date (a new due date may be
    reminded of again); repeated runs find the keys recorded and skip them. A fixed
    number of queries whatever the number of actions. Returns how many were recorded.
    """
    today = today or timezone.localdate()
    last_day = today + timedelta(days=REMINDER_DAYS)
    actions = _open_actions_due_by(last_day) if actions is None else actions
    actions = [action for action in actions if action.status in OPEN_STATUSES and action.due_date <= last_day]
    if not actions:
        return 0
    groups_by_path = {working_group.path: working_group for working_group in WorkingGroupPage.objects.all()}
    memberships = defaultdict(list)
    for membership in Membership.objects.filter(status=Membership.Status.ACTIVE, user__is_active=True).select_related(
        "user"
    ):
        memberships[membership.working_group_id].append(membership)
    specs = []
    for action in actions:
        working_group = _group_of(action.meeting, groups_by_path)
        if working_group is None:
            continue
        kind = Kind.ACTION_OVERDUE if action.due_date < today else Kind.ACTION_DUE_SOON
        specs.append(
            EventSpec(
                kind=kind,
                working_group=working_group,
                key=f"{kind}:{action.pk}:{action.due_date.isoformat()}",
                link=_action_path(action, working_group),
                date=action.due_date,
                for_organisation=not action.owner_user_id,
                recipients=_action_owners(action, working_group, memberships[working_group.pk]),
            )
        )
    return len(notification_events_record(specs=specs))


def _pending() -> QuerySet[WithAnnotations[Notification, PendingAnnotations]]:
    """Rows waiting to be sent, with the frequency their recipient now chooses for the group
    and whether they are still an active member of it."""
    preference = NotificationPreference.objects.filter(
        user=OuterRef("recipient"), working_group=OuterRef("event__working_group")
    ).values("frequency")[:1]
    still_member = Membership.objects.filter(
        user=OuterRef("recipient"),
        working_group=OuterRef("event__working_group"),
        status=Membership.Status.ACTIVE,
        user__is_active=True,
    )
    return Notification.objects.filter(sent_at__isnull=True, dropped_at__isnull=True).annotate(
        frequency=Coalesce(Subquery(preference), Value(NotificationPreference.DEFAULT)),
        still_member=Exists(still_member),
    )


def _digest_subject(count: int) -> str:
    return f"Your working group digest: {count} new item{'' if count == 1 else 's'}"


def digests_send(*, frequencies: Iterable[str], now: datetime.datetime | None = None) -> dict[str, int]:
    """Send one email per person with every waiting item of the groups whose frequency is in
    `frequencies` (and any waiting for people who have since chosen "immediately").

    Rows for people who left a group, or switched it off, are dropped. Each person is
    taken with a lock on their user row that another run skips (PostgreSQL), and their
    rows are claimed with a conditional update in the transaction that queues their
    email, so however many runs overlap, a row is sent once and a person's waiting rows
    go out in one email. The queries do not grow with the number of items: one insert
    and one update per email. Returns {"sent": emails, "items": rows sent, "dropped": rows dropped}.
    """
    now = now or timezone.now()
    wanted = set(frequencies) | {NotificationFrequency.IMMEDIATELY}
    with transaction.atomic():
        dropped = Notification.objects.filter(
            pk__in=_pending().filter(still_member=False).values("pk"), sent_at__isnull=True, dropped_at__isnull=True
        ).update(dropped_at=now)
        dropped += Notification.objects.filter(
            pk__in=_pending().filter(frequency=NotificationFrequency.OFF).values("pk"),
            sent_at__isnull=True,
            dropped_at__isnull=True,
        ).update(dropped_at=now)

        due = _pending().filter(still_member=True, frequency__in=wanted)
        # One email per person: a run first takes the people it will write to, skipping
        # anyone another run has taken, and then claims every waiting row of theirs.
        # Locking rows one by one let two runs split a person's items into two emails.
        # NO KEY keeps the lock from blocking the rows that refer to the person.
        recipient_ids = list(
            get_user_model()
            .objects.filter(pk__in=due.values("recipient_id"))
            .select_for_update(skip_locked=True, no_key=True)
            .values_list("pk", flat=True)
        )
        due_ids = list(due.filter(recipient_id__in=recipient_ids).values_list("pk", flat=True))
        batch = uuid.uuid4()
        Notification.objects.filter(pk__in=due_ids, sent_at__isnull=True, dropped_at__isnull=True).update(
            sent_at=now, batch=batch
        )
        claimed = (
            Notification.objects.filter(batch=batch)
            .select_related("recipient", "event", "event__working_group")
            .order_by("recipient_id", "event__working_group__title", "event__created_at", "pk")
        )
        by_recipient: defaultdict[int, defaultdict[WorkingGroupPage, list[dict[str, str]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        recipients: dict[int, User] = {}
        for row in claimed:
            recipients[row.recipient_id] = row.recipient
            by_recipient[row.recipient_id][row.event.working_group].append(_item(row.event))

        items = 0
        for recipient_id, groups in by_recipient.items():
            count = sum(len(group_items) for group_items in groups.values())
            email = email_queue(
                to=[recipients[recipient_id].email],
                subject=_digest_subject(count),
                template="emails/notification_digest",
                context={
                    "groups": [
                        {"name": working_group.title, "items": group_items}
                        for working_group, group_items in groups.items()
                    ],
                    "count": count,
                    "preferences_url": _preferences_url(),
                },
            )
            Notification.objects.filter(batch=batch, recipient_id=recipient_id).update(email=email)
            items += count
    return {"sent": len(by_recipient), "items": items, "dropped": dropped}


def digest_frequencies_due(*, today: datetime.date | None = None) -> list[str]:
    """The digests a run without `--frequency` sends: daily always, weekly on the weekday set
    by NOTIFICATIONS_WEEKLY_DIGEST_WEEKDAY (0 is Monday, the default)."""
    today = today or timezone.localdate()
    frequencies: list[str] = [NotificationFrequency.DAILY]
    if today.weekday() == settings.NOTIFICATIONS_WEEKLY_DIGEST_WEEKDAY:
        frequencies.append(NotificationFrequency.WEEKLY)
    return frequencies
