"""Reads for the members' area."""

from django.db.models import Case, IntegerField, Q, Value, When

from wagtail.documents import get_document_model
from wagtail.models import Collection

from .models import Membership, WorkingGroupPage
from .permissions import WORKING_GROUPS_COLLECTION, is_signed_in


def groups_visible_to(*, user):
    """The live working groups whose area `user` may see, by title."""
    groups = WorkingGroupPage.objects.live().order_by("title")
    if not is_signed_in(user):
        return groups.none()
    if user.is_superuser:
        return groups
    return groups.filter(memberships__user=user, memberships__status=Membership.Status.ACTIVE)


def group_members(*, group):
    """A group's active members, coordinators first, then by name."""
    return (
        Membership.objects.filter(working_group=group, status=Membership.Status.ACTIVE)
        .select_related("user", "organisation")
        .annotate(
            coordinator_first=Case(
                When(role=Membership.Role.COORDINATOR, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("coordinator_first", "user__first_name", "user__last_name", "user__username")
    )


def hidden_group_pages_filter(*, user):
    """A Q matching the pages of every working group `user` may not see (and nothing
    when there are none), for hiding them from admin listings such as the page chooser."""
    if is_signed_in(user) and user.is_superuser:
        return None
    visible = groups_visible_to(user=user).values_list("pk", flat=True)
    hidden_paths = WorkingGroupPage.objects.exclude(pk__in=visible).values_list("path", flat=True)
    condition = None
    for path in hidden_paths:
        condition = Q(path__startswith=path) if condition is None else condition | Q(path__startswith=path)
    return condition


def group_documents(*, group):
    """A group's documents (in its collection or any beneath it), newest first."""
    documents = get_document_model().objects.all()
    if group.collection_id is None:
        return documents.none()
    collections = Collection.objects.filter(path__startswith=group.collection.path)
    return documents.filter(collection__in=collections).order_by("-created_at", "-pk")


def group_for_collection(*, collection):
    """The working group whose documents `collection` holds (its own collection or one
    beneath it), or None for the public collections."""
    if collection is None:
        return None
    return WorkingGroupPage.objects.filter(collection__in=collection.get_ancestors(inclusive=True)).first()


def is_private_collection(*, collection):
    """Whether `collection` is in the working groups' part of the tree ("Working groups"
    and everything under it): its documents are never public, whether or not a group
    still owns them."""
    if collection is None:
        return False
    return (
        collection.get_ancestors(inclusive=True).filter(depth=2, name=WORKING_GROUPS_COLLECTION).exists()
        or group_for_collection(collection=collection) is not None
    )
