"""Reads for meetings and actions."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..enums import MembershipStatus
from ..models import ActionItem, ActionItemChange, MeetingDocument, MeetingPage, Membership, WorkingGroupPage
from ..permissions import active_membership_of, is_coordinator, owns_action

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def action_owner_choices(*, working_group: WorkingGroupPage | None, keep: int | None = None) -> QuerySet[User]:
    """The people an action of `working_group` may be given to: its active members, plus
    the action's present owner (`keep`, a user id), so a leaver's past action stays valid."""
    users = get_user_model().objects.all()
    condition = Q(memberships__working_group=working_group, memberships__status=MembershipStatus.ACTIVE)
    if keep:
        condition |= Q(pk=keep)
    if working_group is None:
        condition = Q(pk=keep) if keep else Q(pk__in=[])
    return users.filter(condition).distinct().order_by("first_name", "last_name", "username")


def is_action_owner_allowed(*, working_group: WorkingGroupPage, user: User) -> bool:
    """Whether `user` may own one of `working_group`'s actions (an active member of it)."""
    return Membership.objects.filter(user=user, working_group=working_group, status=MembershipStatus.ACTIVE).exists()


def group_meetings(*, working_group: WorkingGroupPage) -> QuerySet[MeetingPage]:
    """A working group's live meetings, soonest first."""
    return MeetingPage.objects.live().descendant_of(working_group).order_by("start", "pk")


def meetings_for_index(
    *, working_group: WorkingGroupPage, now: datetime.datetime | None = None
) -> tuple[list[MeetingPage], list[tuple[int, list[MeetingPage]]]]:
    """The group's meetings split for its index: upcoming (soonest first), then past ones
    as (year, meetings) newest first. A meeting is upcoming until it ends (or, with no
    end, until its start)."""
    now = now or timezone.now()
    meetings = (
        group_meetings(working_group=working_group)
        .annotate(finish=Coalesce("end", "start"))
        .only("pk", "title", "url_path", "start", "end", "location", "online_link", "depth", "path")
    )
    upcoming = list(meetings.filter(finish__gte=now))
    past_by_year: dict[int, list[MeetingPage]] = {}
    for meeting in meetings.filter(finish__lt=now).order_by("-start", "-pk"):
        past_by_year.setdefault(timezone.localtime(meeting.start).year, []).append(meeting)
    return upcoming, list(past_by_year.items())


def _actions_with_owners(queryset: QuerySet[ActionItem]) -> QuerySet[ActionItem]:
    return queryset.select_related("owner_user", "owner_organisation")


def rolled_forward_actions(*, meeting: MeetingPage) -> QuerySet[ActionItem]:
    """Actions still open from the same group's earlier (live) meetings, oldest due first."""
    working_group = meeting.get_working_group()
    earlier = MeetingPage.objects.live().descendant_of(working_group).filter(start__lt=meeting.start)
    return _actions_with_owners(
        ActionItem.objects.open().filter(meeting__in=earlier.values("pk")).select_related("meeting")
    ).order_by("due_date", "pk")


def meeting_page_context(*, meeting: MeetingPage, user: User, preview: bool = False) -> dict[str, Any]:
    """What a meeting page shows beside its own fields: its agenda, documents and actions,
    the open actions of earlier meetings, and which actions `user` may update. A preview
    shows the page's unsaved children as they are; a served page reads them from the
    database, so statuses are current."""
    working_group = meeting.get_working_group()
    if preview or not meeting.pk:
        actions = list(meeting.actions.all())
        documents = list(meeting.documents.all())
    else:
        actions = list(_actions_with_owners(ActionItem.objects.filter(meeting_id=meeting.pk)).order_by("sort_order"))
        documents = list(
            MeetingDocument.objects.filter(meeting_id=meeting.pk).select_related("document").order_by("sort_order")
        )
    rolled = list(rolled_forward_actions(meeting=meeting)) if meeting.start else []
    coordinator = is_coordinator(user, working_group)
    membership = active_membership_of(user, working_group)
    for action in actions + rolled:
        action.can_update = coordinator or owns_action(user, action, membership)
    return {
        "group": working_group,
        "agenda_items": list(meeting.agenda_items.all()),
        "meeting_documents": documents,
        "attending_organisations": list(meeting.attending_organisations.all()),
        "meeting_actions": actions,
        "rolled_forward_actions": rolled,
    }


def group_action(*, working_group: WorkingGroupPage, pk: int) -> ActionItem | None:
    """One of the working group's actions (of a live meeting), or None."""
    return (
        ActionItem.objects.select_related("meeting", "owner_user", "owner_organisation")
        .filter(pk=pk, meeting__in=group_meetings(working_group=working_group).values("pk"))
        .first()
    )


def action_history(*, action: ActionItem) -> QuerySet[ActionItemChange]:
    """Every status change of an action, oldest first, with who made it."""
    return action.changes.select_related("changed_by")
