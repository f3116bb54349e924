"""Who may do what in the members' area.

These predicates read `Membership` directly, never the Django groups derived from it, so
a suspension or removal counts on the very next request whatever state the groups are
in. Superusers (administrators) may do everything; an inactive account may do nothing.
"""

from .models import Membership

EDITORS_GROUP_NAME = "Editors"


def is_signed_in(user):
    """An active account that has signed in."""
    return user is not None and user.is_authenticated and user.is_active


def can_view_group(user, group):
    """Whether `user` may see working group `group`'s area: active members only."""
    if not is_signed_in(user):
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(user=user, working_group=group, status=Membership.Status.ACTIVE).exists()


def is_coordinator(user, group):
    """Whether `user` runs `group`: an active membership with the coordinator role."""
    if not is_signed_in(user):
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(
        user=user, working_group=group, status=Membership.Status.ACTIVE, role=Membership.Role.COORDINATOR
    ).exists()


def is_editor(user):
    """Whether `user` is on the coordinating organisation's staff (the Editors group)."""
    if not is_signed_in(user):
        return False
    return user.is_superuser or user.groups.filter(name=EDITORS_GROUP_NAME).exists()


def member_organisation(user, group):
    """The organisation through which `user` is an active member of `group`, or None.

    A member submits trend returns for this organisation only, whatever a form says.
    """
    if not is_signed_in(user):
        return None
    membership = (
        Membership.objects.filter(user=user, working_group=group, status=Membership.Status.ACTIVE)
        .select_related("organisation")
        .first()
    )
    return membership.organisation if membership else None


def can_view_trend_return(user, trend_return):
    """Raw returns are read by the owner organisation's active members in that group and
    by the group's coordinators (and administrators); never by editors, other
    organisations or other groups. Published figures come from summaries instead."""
    if not is_signed_in(user):
        return False
    if is_coordinator(user, trend_return.working_group):
        return True
    return Membership.objects.filter(
        user=user,
        working_group_id=trend_return.working_group_id,
        organisation_id=trend_return.organisation_id,
        status=Membership.Status.ACTIVE,
    ).exists()
