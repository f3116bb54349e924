"""Reads for members' updates."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import Update, UpdateTag, WorkingGroupPage


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
