"""Reads for the working groups' documents: which collection is whose, and who may
download what."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from wagtail.documents import get_document_model
from wagtail.models import Collection

from ..enums import WORKING_GROUPS_COLLECTION
from ..models import WorkingGroupPage
from ..permissions import can_view_group, is_signed_in

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from wagtail.documents.models import AbstractDocument


def group_documents(*, working_group: WorkingGroupPage) -> QuerySet[AbstractDocument]:
    """A group's documents (in its collection or any beneath it), newest first."""
    documents = get_document_model().objects.all()
    collection = working_group.collection  # None, without a query, when it has none
    if collection is None:
        return documents.none()
    collections = Collection.objects.filter(path__startswith=collection.path)
    return documents.filter(collection__in=collections).order_by("-created_at", "-pk")


def group_for_collection(*, collection: Collection | None) -> WorkingGroupPage | None:
    """The working group whose documents `collection` holds (its own collection or one
    beneath it), or None for the public collections."""
    if collection is None:
        return None
    return WorkingGroupPage.objects.filter(collection__in=collection.get_ancestors(inclusive=True)).first()


def is_private_collection(*, collection: Collection | None) -> bool:
    """Whether `collection` is in the working groups' part of the tree ("Working groups"
    and everything under it): its documents are never public, whether or not a group
    still owns them."""
    if collection is None:
        return False
    return (
        collection.get_ancestors(inclusive=True).filter(depth=2, name=WORKING_GROUPS_COLLECTION).exists()
        or group_for_collection(collection=collection) is not None
    )


def can_view_document(user: User | AnonymousUser, document: AbstractDocument) -> bool:
    """Whether `user` may download `document`: anyone for public documents; a group's
    active members for its documents; administrators alone for documents left in the
    working groups' collections without a group (a deleted group's, for example).

    A selector rather than a predicate in `groups.permissions`: it must find the
    document's group by its collection, a query on the working groups."""
    collection = document.collection
    if not is_private_collection(collection=collection):
        return True
    working_group = group_for_collection(collection=collection)
    if working_group is None:
        return is_signed_in(user) and user.is_superuser
    return can_view_group(user, working_group)
