"""Reads for the member dashboard (/members/) and a working group's overview page.

Both show, for a group, the next meeting, open actions, the latest updates, the latest
trend summary and new documents. Only groups the person is an active member of are
read (`groups_visible_to`), and each group costs the same fixed number of queries
however many meetings, actions, updates and documents it holds.

"My open actions" are the actions the person may update as their owner (see
`permissions.owns_action`): those given to them by name, and those given to their
organisation in that group without a named person.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.models import Collection

from .enums import MembershipStatus
from .meetings.selectors import group_meetings
from .membership.selectors import active_membership, groups_visible_to
from .models import ActionItem, Membership, Update
from .permissions import can_post_update, is_coordinator, owns_action
from .trends.selectors import latest_trend_summary

RECENT_UPDATES = 3
NEW_DOCUMENTS = 3
NEW_DOCUMENT_DAYS = 30


@dataclass
class GroupSummary:
    """What the dashboard and the overview show about one group."""

    group: object
    next_meeting: object = None
    actions: list = field(default_factory=list)
    updates: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    trend_summary: object = None
    member_count: int | None = None
    can_post_update: bool = False
    new_document_days: int = NEW_DOCUMENT_DAYS


def next_meeting(*, working_group, now=None):
    """The group's next live meeting: the first one that has not yet ended."""
    now = now or timezone.now()
    return (
        group_meetings(working_group=working_group)
        .annotate(finish=Coalesce("end", "start"))
        .filter(finish__gte=now)
        .first()
    )


def open_actions(*, working_group):
    """The open (or in-progress) actions of the group's live meetings, overdue first:
    by due date, so anything past its date comes before anything still to come."""
    return (
        ActionItem.objects.open()
        .filter(meeting__in=group_meetings(working_group=working_group).values("pk"))
        .select_related("meeting", "owner_user", "owner_organisation")
        .order_by("due_date", "pk")
    )


def own_open_actions(*, working_group, user, membership):
    """The group's open actions `user` owns: by name, or through their organisation
    (`membership`'s) when no person is named. The same rule as `owns_action`."""
    owned = Q(owner_user=user)
    if membership is not None:
        owned |= Q(owner_user__isnull=True, owner_organisation_id=membership.organisation_id)
    return open_actions(working_group=working_group).filter(owned)


def recent_updates(*, working_group, limit=RECENT_UPDATES):
    """The group's newest updates that nobody has hidden."""
    return list(
        Update.objects.visible().filter(working_group=working_group).select_related("author", "organisation")[:limit]
    )


def new_documents(*, working_group, now=None, days=NEW_DOCUMENT_DAYS, limit=NEW_DOCUMENTS):
    """The group's newest documents added in the last `days` days."""
    if working_group.collection_id is None:
        return []
    now = now or timezone.now()
    collections = Collection.objects.filter(path__startswith=working_group.collection.path)
    return list(
        get_document_model()
        .objects.filter(collection__in=collections, created_at__gte=now - datetime.timedelta(days=days))
        .order_by("-created_at", "-pk")[:limit]
    )


def _mark_updatable(actions, *, user, working_group, membership):
    """Mark each action with whether `user` may change its status (as on a meeting page)."""
    coordinator = is_coordinator(user, working_group)
    for action in actions:
        action.can_update = coordinator or owns_action(user, action, membership)
    return actions


def member_dashboard(*, user, now=None):
    """A GroupSummary for each group whose area `user` may see, by title, with the
    actions they own in it. Nothing from any other group."""
    now = now or timezone.now()
    groups = list(groups_visible_to(user=user).select_related("collection"))
    memberships = {
        membership.working_group_id: membership
        for membership in Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE)
    }
    summaries = []
    for working_group in groups:
        membership = memberships.get(working_group.pk)
        actions = list(own_open_actions(working_group=working_group, user=user, membership=membership))
        summaries.append(
            GroupSummary(
                group=working_group,
                next_meeting=next_meeting(working_group=working_group, now=now),
                actions=_mark_updatable(actions, user=user, working_group=working_group, membership=membership),
                updates=recent_updates(working_group=working_group),
                documents=new_documents(working_group=working_group, now=now),
                trend_summary=latest_trend_summary(group=working_group),
                can_post_update=can_post_update(user, working_group),
            )
        )
    return summaries


def group_overview(*, working_group, user, now=None):
    """A GroupSummary of one group for its overview page, with all its open actions."""
    now = now or timezone.now()
    membership = active_membership(user=user, working_group=working_group)
    return GroupSummary(
        group=working_group,
        next_meeting=next_meeting(working_group=working_group, now=now),
        actions=_mark_updatable(
            list(open_actions(working_group=working_group)),
            user=user,
            working_group=working_group,
            membership=membership,
        ),
        updates=recent_updates(working_group=working_group),
        documents=new_documents(working_group=working_group, now=now),
        trend_summary=latest_trend_summary(group=working_group),
        can_post_update=can_post_update(user, working_group),
        member_count=Membership.objects.filter(working_group=working_group, status=MembershipStatus.ACTIVE).count(),
    )
