"""Writes for meetings and actions: creating meetings, announcing what a publish changed,
changing an action's status, and members' calendar-feed tokens.

Coordinators edit meetings in the Wagtail admin; these functions are for everything
else (the demo content, the front-end status form, the page_published receiver) and
apply the same rules as the admin forms.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from bs4 import BeautifulSoup

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

from portal.pii import validate_no_personal_data

from .. import fragments
from ..links import LINKS_OUTSIDE_MESSAGE, links_outside
from ..models import (
    ActionItem,
    ActionItemChange,
    CalendarFeed,
    MeetingAgendaItem,
    MeetingDocument,
    MeetingPage,
    Organisation,
    WorkingGroupPage,
)
from ..models.meetings import NOTES_FEATURES
from ..notifications.services import notify_action_assigned, notify_meeting_notes_published
from ..permissions import can_update_action, can_view_group
from .admin_forms import meeting_default_slug, meeting_default_title
from .forms import NOTE_MAX_LENGTH
from .selectors import is_action_owner_allowed

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from wagtail.documents.models import AbstractDocument

# Dropped with their content; any other unknown element is replaced by its content.
_DROPPED = {"script", "style", "iframe", "object", "embed", "img", "svg", "math", "template", "noscript", "head"}
_KEPT = {"p", "h3", "h4", "b", "strong", "i", "em", "ol", "ul", "li", "a", "br"}


def notes_clean(html: str | None) -> str:
    """Rich text reduced to what the meeting notes' editor allows, exactly as the admin
    would store it: no scripts, event handlers, images, embeds or javascript: links.

    Wagtail's own converter does the reduction; it needs well-formed HTML, so the text
    is first parsed leniently and stripped of elements the notes never hold.
    """
    html = html or ""
    if not html.strip():
        return ""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        if tag.decomposed:
            continue
        if tag.name in _DROPPED:
            tag.decompose()
        elif tag.name not in _KEPT:
            tag.unwrap()
    converter = ContentstateConverter(features=NOTES_FEATURES)
    return converter.to_database_format(converter.from_database_format(str(soup)))


@transaction.atomic
def meeting_create(
    *,
    working_group: WorkingGroupPage,
    start: datetime.datetime,
    end: datetime.datetime | None = None,
    title: str = "",
    location: str = "",
    online_link: str = "",
    apologies: str = "",
    attending_organisations: Iterable[Organisation] = (),
    agenda: Iterable[tuple[str, str]] = (),
    actions: Iterable[Mapping[str, Any]] = (),
    documents: Iterable[AbstractDocument] = (),
    publish: bool = True,
    user: User | None = None,
) -> MeetingPage:
    """Create a meeting of `group`, with its agenda, documents and actions, as a draft or
    published (the demo content builds a year of meetings with it).

    `agenda`: (title, notes HTML) pairs; the notes are cleaned as the editor would.
    `actions`: dicts of description, due_date and optionally owner_user,
    owner_organisation and status. An owner must be an active member of `group`.
    Raises ValidationError for anything the admin would refuse.
    """
    parent = working_group
    page = MeetingPage(
        title=title or meeting_default_title(start),
        slug=meeting_default_slug(start, parent=parent),
        start=start,
        end=end,
        location=location,
        online_link=online_link,
        apologies=apologies,
        live=False,
    )
    for title_, notes in agenda:
        notes = notes_clean(notes)
        if links_outside(notes, working_group=working_group):
            raise ValidationError(LINKS_OUTSIDE_MESSAGE)
        page.agenda_items.add(MeetingAgendaItem(title=title_, notes=notes))
    for document in documents:
        page.documents.add(MeetingDocument(document=document))
    for spec in actions:
        action = ActionItem(
            description=spec["description"],
            owner_user=spec.get("owner_user"),
            owner_organisation=spec.get("owner_organisation"),
            due_date=spec["due_date"],
            status=spec.get("status", ActionItem.Status.OPEN),
        )
        if action.owner_user is not None and not is_action_owner_allowed(
            working_group=working_group, user=action.owner_user
        ):
            raise ValidationError({"owner_user": f"{action.owner_user} is not an active member of {working_group}."})
        action.full_clean(exclude=["meeting"])
        page.actions.add(action)
    page.attending_organisations = list(attending_organisations)
    parent.add_child(instance=page)  # runs full_clean: dates in order, https link
    revision = page.save_revision(user=user, log_action=False)
    if publish:
        revision.publish(user=user)
        page.refresh_from_db()
    return page


def _owner_changes(meeting: MeetingPage) -> list[ActionItem]:
    """The meeting's actions whose owner differs from the one last announced."""
    return [
        action
        for action in ActionItem.objects.filter(meeting_id=meeting.pk).select_related("owner_user")
        if action.owner_key and action.owner_key != action.announced_owner
    ]


@transaction.atomic
def meeting_published(*, meeting: MeetingPage, actor: User | None) -> None:
    """Tell the group what a publish of `meeting` brought: its notes (every publish of a
    meeting with notes; the notifications service de-duplicates) and each action given
    a new owner (once per owner: the owner announced is remembered)."""
    if meeting.has_notes:
        notify_meeting_notes_published(meeting=meeting, actor=actor)
    for action in _owner_changes(meeting):
        ActionItem.objects.filter(pk=action.pk).update(announced_owner=action.owner_key)
        action.announced_owner = action.owner_key
        notify_action_assigned(action=action, actor=actor)


@transaction.atomic
def action_status_change(*, action: ActionItem, status: str, note: str | None = "", user: User) -> ActionItemChange:
    """Change `action`'s status, as its owner or a coordinator of its group, and record
    who, when, from, to and why. Raises PermissionDenied for anyone else and
    ValidationError for an unknown status, an over-long note or personal data in it."""
    action = ActionItem.objects.select_for_update().select_related("meeting").get(pk=action.pk)
    if not can_update_action(user, action):
        raise PermissionDenied
    if status not in ActionItem.Status.values:
        raise ValidationError({"status": "Choose a status from the list."}, code="invalid")
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": f"Keep the note to {NOTE_MAX_LENGTH} characters or fewer."}, code="max_length")
    validate_no_personal_data(note)
    if status == action.status and not note:
        raise ValidationError({"status": "Choose a different status, or add a note."}, code="unchanged")
    change = ActionItemChange.objects.create(
        action=action,
        changed_by=user,
        changed_at=timezone.now(),
        from_status=action.status,
        to_status=status,
        note=note,
    )
    ActionItem.objects.filter(pk=action.pk).update(status=status)
    action.status = status
    fragments.changed()  # an update() sends no signal; the dashboards show open actions
    return change


# Calendar feeds


def _feed_sync(feed: CalendarFeed) -> CalendarFeed:
    """Keep the stored digest in step with the token (SECRET_KEY may have changed)."""
    digest = CalendarFeed.digest(feed.token)
    if feed.token_digest != digest:
        feed.token_digest = digest
        feed.save(update_fields=["token_digest"])
    return feed


@transaction.atomic
def calendar_feed_for(*, user: User) -> CalendarFeed:
    """The member's calendar feed (its token gives the URL), made on first use."""
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        feed = CalendarFeed(user=user, key=CalendarFeed.new_key())
        feed.token_digest = CalendarFeed.digest(feed.token)
        feed.save()
        return feed
    return _feed_sync(feed)


@transaction.atomic
def calendar_feed_reset(*, user: User) -> CalendarFeed:
    """A new secret for the member's feeds: every URL given out before stops working."""
    feed = calendar_feed_for(user=user)
    feed.key = CalendarFeed.new_key()
    feed.token_digest = CalendarFeed.digest(feed.token)
    feed.created_at = timezone.now()
    feed.save(update_fields=["key", "token_digest", "created_at"])
    return feed


def calendar_feed_user(*, token: str | None, working_group: WorkingGroupPage) -> User | None:
    """The account a feed token belongs to, if it may still see `group`; else None."""
    if not token or len(token) > 128:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token_digest=CalendarFeed.digest(token)).first()
    if feed is None or not can_view_group(feed.user, working_group):
        return None
    return feed.user
