"""Reads for the members' area."""

from django.db.models import Case, IntegerField, Q, Value, When

from .models import Membership, Update, UpdateTag, WorkingGroupPage
from .permissions import is_signed_in


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


def update_tags():
    """Every topic an update can have, in display order."""
    return UpdateTag.objects.all()


def group_updates(*, group, include_hidden=False, tag=None):
    """A group's updates, newest first, with what the feed shows loaded in a fixed number
    of queries; hidden ones only when asked (for coordinators); only `tag`'s if given."""
    updates = Update.objects.filter(working_group=group)
    if not include_hidden:
        updates = updates.visible()
    if tag is not None:
        updates = updates.filter(tags=tag)
    return updates.select_related("author", "organisation", "working_group").prefetch_related("tags")
