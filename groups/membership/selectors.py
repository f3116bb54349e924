"""Reads for membership: who belongs to which working group, and invitations by token.

Invitation tokens: only a token's SHA-256 is stored, so looking one up is an exact match
on the hash: no timing oracle on the secret itself, and nothing in the database that
could be replayed. Tokens are made in `services.token_new`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from .. import fragments
from ..enums import MembershipRole, MembershipStatus, Region
from ..models import Invitation, Membership, Organisation, WorkingGroupPage
from ..permissions import active_membership_of, can_view_group, is_coordinator, is_signed_in, request_memberships

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

INVITATION_VALID_FOR = timedelta(days=14)
# token_urlsafe(32) is 43 characters; anything much longer is not one of ours.
MAX_TOKEN_LENGTH = 100


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for_token(token: str | None) -> Invitation | None:
    """The invitation a raw token belongs to (in any state), or None."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return (
        Invitation.objects.select_related("working_group", "organisation", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )


def pending_invitations(*, working_group: WorkingGroupPage) -> QuerySet[Invitation]:
    """The working group's invitations still waiting to be accepted, newest first."""
    return Invitation.objects.pending().filter(working_group=working_group).select_related("organisation")


def invitation_organisations(*, working_group: WorkingGroupPage) -> tuple[list[Organisation], list[Organisation]]:
    """Every organisation, split for the invitation form: those with active members in
    `working_group` (the likeliest, usually of its region), then all the others, by name."""
    ours = set(
        Membership.objects.filter(working_group=working_group, status=MembershipStatus.ACTIVE).values_list(
            "organisation_id", flat=True
        )
    )
    organisations = list(Organisation.objects.order_by("name"))
    return (
        [organisation for organisation in organisations if organisation.pk in ours],
        [organisation for organisation in organisations if organisation.pk not in ours],
    )


def pending_invitations_in(*, working_groups: Iterable[WorkingGroupPage]) -> QuerySet[Invitation]:
    """The pending invitations of several working groups, newest first."""
    return (
        Invitation.objects.pending()
        .filter(working_group__in=list(working_groups))
        .select_related("working_group")
        .order_by("-created_at", "-pk")
    )


def working_group_invitation(*, working_group: WorkingGroupPage, invitation_pk: int) -> Invitation:
    """One of the working group's invitations (in any state), or 404."""
    invitation = Invitation.objects.filter(pk=invitation_pk, working_group=working_group).first()
    if invitation is None:
        raise Http404
    return invitation


# What every members-only view starts with: the working group it is about, or a 404.
# Signed-in people who may not see or run a group get 404, the same answer as for a
# group that does not exist, so nothing confirms another group's objects exist.


def live_working_groups() -> list[WorkingGroupPage]:
    """Every live working group, by title: kept in the shared cache until anything in the
    members' area changes (groups.fragments), as every members' page starts with them."""
    return fragments.kept("live-working-groups", lambda: list(WorkingGroupPage.objects.live().order_by("title")))


def live_working_group(*, group_slug: str) -> WorkingGroupPage | None:
    """The live working group with this slug, or None."""
    return next((working_group for working_group in live_working_groups() if working_group.slug == group_slug), None)


def _live_working_group(group_slug: str) -> WorkingGroupPage:
    working_group = live_working_group(group_slug=group_slug)
    if working_group is None:
        raise Http404
    return working_group


def working_group_for_member(*, user: User | AnonymousUser, group_slug: str) -> WorkingGroupPage:
    """The live working group (by slug) whose area `user` may see, or 404."""
    working_group = _live_working_group(group_slug)
    if not can_view_group(user, working_group):
        raise Http404
    return working_group


def working_group_for_coordinator(*, user: User | AnonymousUser, group_slug: str) -> WorkingGroupPage:
    """The live working group (by slug) that `user` coordinates (or administers), or 404."""
    working_group = _live_working_group(group_slug)
    if not is_coordinator(user, working_group):
        raise Http404
    return working_group


def groups_visible_to(*, user: User | AnonymousUser) -> QuerySet[WorkingGroupPage]:
    """The live working groups whose area `user` may see, by title."""
    working_groups = WorkingGroupPage.objects.live().order_by("title")
    if not is_signed_in(user):
        return working_groups.none()
    if user.is_superuser:
        return working_groups
    memberships = request_memberships(user)
    if memberships is not None:
        return working_groups.filter(pk__in=[membership.working_group_id for membership in memberships])
    return working_groups.filter(memberships__user=user, memberships__status=MembershipStatus.ACTIVE)


def visible_working_groups(*, user: User | AnonymousUser) -> list[WorkingGroupPage]:
    """`groups_visible_to(user)` as a list: from the kept live groups when the person's
    memberships are known for the request (groups.permissions), without a query."""
    if not is_signed_in(user):
        return []
    if user.is_superuser:
        return live_working_groups()
    memberships = request_memberships(user)
    if memberships is None:
        return list(groups_visible_to(user=user))
    visible = {membership.working_group_id for membership in memberships}
    return [working_group for working_group in live_working_groups() if working_group.pk in visible]


def groups_coordinated_by(*, user: User | AnonymousUser) -> list[WorkingGroupPage]:
    """The live working groups `user` runs, by title: those they are an active coordinator
    of (administrators: every group). One query."""
    if not is_signed_in(user):
        return []
    working_groups = WorkingGroupPage.objects.live().order_by("title")
    if not user.is_superuser:
        working_groups = working_groups.filter(
            memberships__user=user,
            memberships__status=MembershipStatus.ACTIVE,
            memberships__role=MembershipRole.COORDINATOR,
        )
    return list(working_groups)


def active_membership(*, user: User, working_group: WorkingGroupPage) -> Membership | None:
    """`user`'s active membership of `working_group`, or None."""
    return active_membership_of(user, working_group)


def is_active_member(*, user: User, working_group: WorkingGroupPage) -> bool:
    """Whether `user` is an active member of `working_group` (coordinators included)."""
    return active_membership_of(user, working_group) is not None


def group_members(*, working_group: WorkingGroupPage, status: str = MembershipStatus.ACTIVE) -> QuerySet[Membership]:
    """A working group's members (active, unless another status is asked for),
    coordinators first, then by name."""
    return (
        Membership.objects.filter(working_group=working_group, status=status)
        .select_related("user__profile", "organisation")
        .annotate(
            coordinator_first=Case(
                When(role=Membership.Role.COORDINATOR, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("coordinator_first", "user__first_name", "user__last_name", "user__username")
    )


def working_group_membership(
    *, working_group: WorkingGroupPage, membership_pk: int, statuses: Iterable[str]
) -> Membership:
    """One of the working group's memberships with one of `statuses`, or 404."""
    membership = (
        Membership.objects.select_related("user", "organisation", "working_group")
        .filter(pk=membership_pk, working_group=working_group, status__in=statuses)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def hidden_group_pages_filter(*, user: User | AnonymousUser) -> Q | None:
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


def region_coordinators(region: str | None) -> tuple[str, list[str]] | None:
    """The live working group of `region` (its value or its name) as its title and its
    active coordinators' email addresses, or None when the region has no live group.

    Feedback asks this through the `feedback_region_coordinators` hook, so that joining
    requests reach the region's coordinators (Membership is the source of truth).
    """
    wanted = " ".join((region or "").split()).lower()
    if not wanted:
        return None
    value = next(
        (value for value, label in Region.choices if wanted and wanted in (value.lower(), label.lower())), None
    )
    working_group = WorkingGroupPage.objects.live().filter(region=value).first() if value else None
    if working_group is None:
        return None
    emails = (
        Membership.objects.filter(
            working_group=working_group, status=MembershipStatus.ACTIVE, role=MembershipRole.COORDINATOR
        )
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )
    return working_group.title, list(emails)
