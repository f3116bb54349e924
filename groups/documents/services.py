"""Writes for the working groups' documents: announcing a document that arrives in a
group's collection."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wagtail.models import Collection

from ..notifications.services import notify_document_added
from .selectors import group_for_collection

if TYPE_CHECKING:
    from wagtail.documents.models import AbstractDocument

    from ..models import WorkingGroupPage


def document_placed(
    *, document: AbstractDocument, previous_collection_id: int | None = None
) -> WorkingGroupPage | None:
    """Tell the group (its notifications) that a document has just been added to a working
    group's collection: uploaded into it, or moved into it from outside the group.

    Called after every save of a document (see groups.documents.receivers), since Wagtail's admin
    has no hook for its upload views; `previous_collection_id` is where the document
    was before this save (None for a new one), so each arrival is announced once.
    Returns the group, or None when nothing was announced.
    """
    working_group = group_for_collection(collection=document.collection)
    if working_group is None:
        return None
    if previous_collection_id is not None:
        previous = Collection.objects.filter(pk=previous_collection_id).first()
        if group_for_collection(collection=previous) == working_group:
            return None
    notify_document_added(document=document, working_group=working_group, actor=document.uploaded_by_user)
    return working_group
