"""Reads for members' updates."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .. import fragments
from ..models import Update, UpdateTag, WorkingGroupPage

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def update_tags() -> QuerySet[UpdateTag]:
    """Every topic an update can have, in display order."""
    return UpdateTag.objects.all()


def group_updates(
    *, working_group: WorkingGroupPage, include_hidden: bool = False, tag: UpdateTag | None = None
) -> QuerySet[Update]:
    """A group's updates, newest first, with what the feed shows loaded in a fixed number
    of queries; hidden ones only when asked (for coordinators); only `tag`'s if given."""
    updates = Update.objects.filter(working_group=working_group)
    if not include_hidden:
        updates = updates.visible()
    if tag is not None:
        updates = updates.filter(tags=tag)
    return updates.select_related("author", "organisation", "working_group").prefetch_related("tags")


def feed_counts(*, updates: QuerySet[Update], user: User, now: datetime.datetime | None = None) -> tuple[int, int]:
    """How many `updates` there are, and how many of them `user` may still change (their
    own, not hidden, within the edit window: `permissions.is_own_changeable_update`). One query."""
    now = now or timezone.now()
    changeable = Q(
        author_id=user.pk,
        hidden_at__isnull=True,
        created_at__gt=now - datetime.timedelta(hours=settings.UPDATE_EDIT_WINDOW_HOURS),
    )
    counts = updates.order_by().aggregate(total=Count("pk"), changeable=Count("pk", filter=changeable))
    return counts["total"], counts["changeable"]


def feed_version() -> str:
    """What a group's feed, as rendered, is kept under: the members' area's generation,
    which moves on with any update, topic, person or organisation saved (groups.fragments)."""
    return str(fragments.generation())
