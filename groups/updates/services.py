"""Writes for members' updates. The views check permissions first and answer 404; these
check again, so no caller can skip the rules."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from portal.audit import audit_record
from portal.pii import validate_no_personal_data

from ..enums import MembershipStatus
from ..models import Membership, Update, UpdateTag, WorkingGroupPage
from ..notifications.services import notify_update_posted
from ..permissions import can_change_update, can_hide_update

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpRequest


class UpdateError(ValidationError):
    """An update that cannot be posted or changed; `code` says why, for the views."""


def _update_tags(tags: Iterable[UpdateTag | str] | None) -> list[UpdateTag]:
    """The UpdateTag rows for `tags` (rows or slugs); at least one, all of them known."""
    tags = list(tags or [])
    slugs = {tag for tag in tags if isinstance(tag, str)}
    rows = [tag for tag in tags if isinstance(tag, UpdateTag)]
    if slugs:
        found = list(UpdateTag.objects.filter(slug__in=slugs))
        unknown = slugs - {tag.slug for tag in found}
        if unknown:
            raise UpdateError({"tags": f"Unknown topic: {', '.join(sorted(unknown))}."}, code="unknown_tag")
        rows += found
    if not rows:
        raise UpdateError({"tags": "Choose at least one topic."}, code="required")
    return rows


def _update_validate(update: Update) -> None:
    """Length limits and the personal-data screen on the title and body."""
    errors = {}
    try:
        update.clean_fields(exclude=["working_group", "author", "organisation", "hidden_by", "tags"])
    except ValidationError as error:
        errors = error.message_dict
    for field in ("title", "body"):
        try:
            validate_no_personal_data(getattr(update, field))
        except ValidationError as error:
            errors.setdefault(field, []).extend(error.messages)
    if errors:
        raise UpdateError(errors)


@transaction.atomic
def update_post(
    *,
    working_group: WorkingGroupPage,
    author: User,
    title: str,
    body: str,
    tags: Iterable[UpdateTag | str] | None,
    created_at: datetime.datetime | None = None,
    notify: bool = True,
) -> Update:
    """Post an update to `group` as `author`, an active member, under their organisation there.

    `created_at` and `notify=False` are for the demo content and imports: an update with
    a past date that tells nobody. Otherwise the group is notified, in this transaction.
    """
    membership = (
        Membership.objects.filter(user=author, working_group=working_group, status=MembershipStatus.ACTIVE)
        .select_related("organisation")
        .first()
    )
    if membership is None:
        raise UpdateError("Only members of this group can post updates to it.", code="not_member")
    tags = _update_tags(tags)
    update = Update(
        working_group=working_group,
        author=author,
        organisation=membership.organisation,
        title=title,
        body=body,
        created_at=created_at or timezone.now(),
    )
    _update_validate(update)
    update.save()
    update.tags.set(tags)
    if notify:
        notify_update_posted(update=update, actor=author)
    return update


def _locked_update(update: Update) -> Update:
    return Update.objects.select_for_update().select_related("working_group").get(pk=update.pk)


@transaction.atomic
def update_edit(
    *, update: Update, editor: User, title: str, body: str, tags: Iterable[UpdateTag | str] | None
) -> Update:
    """Change an update's title, body and topics: its author only, within the edit window.

    The working group, author, organisation and times never change here.
    """
    update = _locked_update(update)
    if not can_change_update(editor, update):
        raise UpdateError("This update can no longer be changed.", code="not_allowed")
    tags = _update_tags(tags)
    update.title, update.body = title, body
    update.edited_at = timezone.now()
    _update_validate(update)
    update.save(update_fields=["title", "body", "edited_at"])
    update.tags.set(tags)
    return update


@transaction.atomic
def update_delete(*, update: Update, deleted_by: User, request: HttpRequest | None = None) -> None:
    """Delete an update: its author only, within the edit window. Recorded in the audit log."""
    update = _locked_update(update)
    if not can_change_update(deleted_by, update):
        raise UpdateError("This update can no longer be deleted.", code="not_allowed")
    audit_record(
        action="portal.update_deleted",
        request=request,
        user=update.author,
        actor=deleted_by,
        update=update.pk,
        working_group=update.working_group.title,
    )
    update.delete()


def _update_set_hidden(*, update: Update, user: User, hidden: bool, request: HttpRequest | None) -> Update:
    update = _locked_update(update)
    if not can_hide_update(user, update):
        raise UpdateError("Only the group's coordinators can hide or show updates.", code="not_allowed")
    if update.is_hidden == hidden:
        return update  # Already so: nothing to change or record.
    update.hidden_at, update.hidden_by = (timezone.now(), user) if hidden else (None, None)
    update.save(update_fields=["hidden_at", "hidden_by"])
    audit_record(
        action="portal.update_hidden" if hidden else "portal.update_unhidden",
        request=request,
        user=update.author,
        actor=user,
        update=update.pk,
        working_group=update.working_group.title,
    )
    return update


@transaction.atomic
def update_hide(*, update: Update, hidden_by: User, request: HttpRequest | None = None) -> Update:
    """Hide an update from members (a coordinator of its group); recorded in the audit log."""
    return _update_set_hidden(update=update, user=hidden_by, hidden=True, request=request)


@transaction.atomic
def update_unhide(*, update: Update, unhidden_by: User, request: HttpRequest | None = None) -> Update:
    """Show a hidden update to members again (a coordinator of its group); recorded in the audit log."""
    return _update_set_hidden(update=update, user=unhidden_by, hidden=False, request=request)
