"""Reads for notifications: the groups a person can hear about and their choices."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from ..enums import MembershipStatus
from ..models import NotificationPreference, WorkingGroupPage

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def notification_groups(*, user: User) -> QuerySet[WorkingGroupPage]:
    """The live groups `user` is an active member of: the ones they can hear about."""
    return (
        WorkingGroupPage.objects.live()
        .filter(memberships__user=user, memberships__status=MembershipStatus.ACTIVE)
        .order_by("title")
    )


def notification_preferences(*, user: User) -> list[tuple[WorkingGroupPage, str]]:
    """`user`'s groups, each with its chosen frequency (the default where none is chosen)."""
    groups = list(notification_groups(user=user))
    chosen = dict(
        NotificationPreference.objects.filter(user=user, working_group__in=groups).values_list(
            "working_group_id", "frequency"
        )
    )
    return [(working_group, chosen.get(working_group.pk, NotificationPreference.DEFAULT)) for working_group in groups]
