"""Reads for the members' area."""

from django.db.models import Case, IntegerField, Q, Value, When

from wagtail.documents import get_document_model
from wagtail.models import Collection

from .models import Membership, Update, UpdateTag, WorkingGroupPage
from .permissions import WORKING_GROUPS_COLLECTION, is_signed_in


def groups_visible_to(*, user):
    """The live working groups whose area `user` may see, by title."""
    groups = WorkingGroupPage.objects.live().order_by("title")
    if not is_signed_in(user):
        return groups.none()
    if user.is_superuser:
        return groups
    return groups.filter(memberships__user=user, memberships__status=Membership.Status.ACTIVE)


def group_members(*, group, status=Membership.Status.ACTIVE):
    """A group's members (active, unless another status is asked for), coordinators
    first, then by name."""
    return (
        Membership.objects.filter(working_group=group, status=status)
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


# Meetings and actions


def action_owner_choices(*, group, keep=None):
    """The people an action of `group` may be given to: its active members, plus the
    action's present owner (`keep`, a user id), so a leaver's past action stays valid."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.all()
    condition = Q(memberships__working_group=group, memberships__status=Membership.Status.ACTIVE)
    if keep:
        condition |= Q(pk=keep)
    if group is None:
        condition = Q(pk=keep) if keep else Q(pk__in=[])
    return users.filter(condition).distinct().order_by("first_name", "last_name", "username")


def is_action_owner_allowed(*, group, user):
    """Whether `user` may own one of `group`'s actions (an active member of it)."""
    return Membership.objects.filter(user=user, working_group=group, status=Membership.Status.ACTIVE).exists()


def group_meetings(*, group):
    """A group's live meetings, soonest first."""
    from .models import MeetingPage

    return MeetingPage.objects.live().descendant_of(group).order_by("start", "pk")


def meetings_for_index(*, group, now=None):
    """The group's meetings split for its index: upcoming (soonest first), then past ones
    as (year, meetings) newest first. A meeting is upcoming until it ends (or, with no
    end, until its start)."""
    from django.db.models.functions import Coalesce
    from django.utils import timezone

    now = now or timezone.now()
    meetings = (
        group_meetings(group=group)
        .annotate(finish=Coalesce("end", "start"))
        .only("pk", "title", "url_path", "start", "end", "location", "online_link", "depth", "path")
    )
    upcoming = list(meetings.filter(finish__gte=now))
    past_by_year = {}
    for meeting in meetings.filter(finish__lt=now).order_by("-start", "-pk"):
        past_by_year.setdefault(timezone.localtime(meeting.start).year, []).append(meeting)
    return upcoming, list(past_by_year.items())


def _actions_with_owners(queryset):
    return queryset.select_related("owner_user", "owner_organisation")


def rolled_forward_actions(*, meeting):
    """Actions still open from the same group's earlier (live) meetings, oldest due first."""
    from .models import ActionItem, MeetingPage

    group = meeting.get_working_group()
    earlier = MeetingPage.objects.live().descendant_of(group).filter(start__lt=meeting.start)
    return _actions_with_owners(
        ActionItem.objects.open().filter(meeting__in=earlier.values("pk")).select_related("meeting")
    ).order_by("due_date", "pk")


def meeting_page_context(*, meeting, user, preview=False):
    """What a meeting page shows beside its own fields: its agenda, documents and actions,
    the open actions of earlier meetings, and which actions `user` may update. A preview
    shows the page's unsaved children as they are; a served page reads them from the
    database, so statuses are current."""
    from .models import ActionItem, MeetingDocument
    from .permissions import is_coordinator, owns_action

    group = meeting.get_working_group()
    if preview or not meeting.pk:
        actions = list(meeting.actions.all())
        documents = list(meeting.documents.all())
    else:
        actions = list(_actions_with_owners(ActionItem.objects.filter(meeting_id=meeting.pk)).order_by("sort_order"))
        documents = list(
            MeetingDocument.objects.filter(meeting_id=meeting.pk).select_related("document").order_by("sort_order")
        )
    rolled = list(rolled_forward_actions(meeting=meeting)) if meeting.start else []
    coordinator = is_coordinator(user, group)
    membership = Membership.objects.filter(user=user, working_group=group, status=Membership.Status.ACTIVE).first()
    for action in actions + rolled:
        action.can_update = coordinator or owns_action(user, action, membership)
    return {
        "group": group,
        "agenda_items": list(meeting.agenda_items.all()),
        "meeting_documents": documents,
        "attending_organisations": list(meeting.attending_organisations.all()),
        "meeting_actions": actions,
        "rolled_forward_actions": rolled,
    }


def action_history(*, action):
    """Every status change of an action, oldest first, with who made it."""
    return action.changes.select_related("changed_by")


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
