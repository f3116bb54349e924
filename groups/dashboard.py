"""Reads for the member dashboard (/members/) and a working group's overview page.

Both show, for a group, the next meeting, open actions, the latest updates, the latest
trend summary and new documents. Only groups the person is an active member of are
read (`visible_working_groups`), and each group costs the same fixed number of queries
however many meetings, actions, updates and documents it holds. What every member of a
group sees alike is kept in the shared cache until anything changes (groups.fragments);
only the choice of "my" actions is made per person. Each group's summary, as rendered, is
kept as well (`GroupSummary.render_key`).

"My open actions" are the actions the person may update as their owner (see
`permissions.owns_action`): those given to them by name, and those given to their
organisation in that group without a named person.
"""

import datetime
import secrets
from dataclasses import dataclass, field

from django.db.models.functions import Coalesce
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.models import Collection

from .enums import MembershipStatus
from .fragments import shared_group_data
from .meetings.selectors import group_meetings
from .membership.selectors import active_membership, visible_working_groups
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
    # Names the summary as rendered (templates/groups/components/group_summary.html keeps
    # it in the cache): the group's shared data as read, and all the page shows per person.
    render_key: str = ""


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


@dataclass
class _Shared:
    """What every member of a group sees alike (kept in the cache, see groups.fragments)."""

    next_meeting: object
    open_actions: list
    updates: list
    documents: list
    trend_summary: object
    member_count: int
    # New with each read, so that HTML rendered from an older read is never shown.
    version: str = field(default_factory=lambda: secrets.token_hex(8))


def _shared(working_group, now):
    """A group's `_Shared` read from the database, and until when it holds by the clock:
    the end of its next meeting, when another becomes the next."""
    meeting = next_meeting(working_group=working_group, now=now)
    shared = _Shared(
        next_meeting=meeting,
        open_actions=list(open_actions(working_group=working_group)),
        updates=recent_updates(working_group=working_group),
        documents=new_documents(working_group=working_group, now=now),
        trend_summary=latest_trend_summary(group=working_group),
        member_count=Membership.objects.filter(working_group=working_group, status=MembershipStatus.ACTIVE).count(),
    )
    return shared, (meeting.end or meeting.start) if meeting else None


def _render_key(working_group, shared, *, actions, mine, may_post):
    """Everything a rendered summary depends on: the shared read it came from, the group's
    address and region (a preview may show a draft's), which actions it lists and whether
    each may be updated, and whether the person may post."""
    listed = ",".join(f"{action.pk}{'u' if action.can_update else ''}" for action in actions)
    who = f"{'mine' if mine else 'all'}:{'post' if may_post else ''}"
    return f"{shared.version}:{working_group.slug}:{working_group.region}:{who}:{listed}"


def _summary(working_group, shared, *, user, membership, mine):
    if mine:
        actions = [action for action in shared.open_actions if owns_action(user, action, membership)]
    else:
        actions = shared.open_actions
    actions = _mark_updatable(actions, user=user, working_group=working_group, membership=membership)
    may_post = can_post_update(user, working_group)
    return GroupSummary(
        group=working_group,
        next_meeting=shared.next_meeting,
        actions=actions,
        updates=shared.updates,
        documents=shared.documents,
        trend_summary=shared.trend_summary,
        can_post_update=may_post,
        member_count=None if mine else shared.member_count,
        render_key=_render_key(working_group, shared, actions=actions, mine=mine, may_post=may_post),
    )


def member_dashboard(*, user, now=None):
    """A GroupSummary for each group whose area `user` may see, by title, with the
    actions they own in it. Nothing from any other group."""
    now = now or timezone.now()
    groups = visible_working_groups(user=user)
    shared = shared_group_data(groups, _shared, now=now)
    return [
        _summary(
            working_group,
            shared[working_group.pk],
            user=user,
            membership=active_membership(user=user, working_group=working_group),
            mine=True,
        )
        for working_group in groups
    ]


def group_overview(*, working_group, user, now=None):
    """A GroupSummary of one group for its overview page, with all its open actions."""
    shared = shared_group_data([working_group], _shared, now=now)[working_group.pk]
    membership = active_membership(user=user, working_group=working_group)
    return _summary(working_group, shared, user=user, membership=membership, mine=False)
