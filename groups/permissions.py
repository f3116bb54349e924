"""Who may do what in the members' area.

These predicates read `Membership` directly, never the Django groups derived from it, so
a suspension or removal counts on the very next request whatever state the groups are
in. Superusers (administrators) may do everything; an inactive account may do nothing.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import Membership

EDITORS_GROUP_NAME = "Editors"
# Collections directly under the root: documents anyone may download, and the parent
# of every working group's own (private) collection.
PUBLIC_DOCUMENTS_COLLECTION = "Public documents"
WORKING_GROUPS_COLLECTION = "Working groups"


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


def owns_action(user, action, membership):
    """Whether `user`, with `membership` (their active one in the action's group, or
    None), owns `action`: it is theirs, or, owned by an organisation alone, their
    organisation's. No queries, so a page of actions can ask for each."""
    if membership is None or not is_signed_in(user):
        return False
    if action.owner_user_id:
        return action.owner_user_id == user.pk
    return action.owner_organisation_id is not None and action.owner_organisation_id == membership.organisation_id


def can_update_action(user, action, *, group=None):
    """Whether `user` may change `action`'s status: its group's coordinators, or the
    member who owns it (see owns_action)."""
    if not is_signed_in(user):
        return False
    group = group or action.meeting.get_working_group()
    if is_coordinator(user, group):
        return True
    membership = Membership.objects.filter(user=user, working_group=group, status=Membership.Status.ACTIVE).first()
    return owns_action(user, action, membership)


def can_post_update(user, group):
    """Active members (coordinators included) post updates, under their organisation in the
    group; administrators who are not members cannot, having no organisation there."""
    if not is_signed_in(user):
        return False
    return Membership.objects.filter(user=user, working_group=group, status=Membership.Status.ACTIVE).exists()


def update_edit_deadline(update):
    """Until when the author may still change or delete `update` (UPDATE_EDIT_WINDOW_HOURS after posting)."""
    return update.created_at + timedelta(hours=settings.UPDATE_EDIT_WINDOW_HOURS)


def is_own_changeable_update(user, update):
    """Whether `update` is `user`'s own, not hidden, and still within the edit window.

    No query: for lists whose viewer is already known to be a member of the group. Use
    `can_change_update` anywhere else.
    """
    return (
        is_signed_in(user)
        and update.author_id == user.pk
        and update.hidden_at is None
        and timezone.now() < update_edit_deadline(update)
    )


def can_change_update(user, update):
    """Whether `user` may edit or delete `update`: its author, still an active member of
    the group, for a while after posting, unless a coordinator has hidden it."""
    return is_own_changeable_update(user, update) and can_view_group(user, update.working_group)


def can_view_update(user, update):
    """Members see their group's updates; hidden ones only the group's coordinators."""
    if update.hidden_at is not None:
        return is_coordinator(user, update.working_group)
    return can_view_group(user, update.working_group)


def can_hide_update(user, update):
    """Coordinators (and administrators) may hide or unhide any update in their group."""
    return is_coordinator(user, update.working_group)


def can_view_document(user, document):
    """Whether `user` may download `document`: anyone for public documents; a group's
    active members for its documents; administrators alone for documents left in the
    working groups' collections without a group (a deleted group's, for example)."""
    from .selectors import group_for_collection, is_private_collection  # selectors import this module

    collection = document.collection
    if not is_private_collection(collection=collection):
        return True
    group = group_for_collection(collection=collection)
    if group is None:
        return is_signed_in(user) and user.is_superuser
    return can_view_group(user, group)


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


def can_view_all_regions(user):
    """The all-regions trend summaries are for every active member of any working group
    (and administrators): they hold nothing a region's own summary would not."""
    if not is_signed_in(user):
        return False
    return user.is_superuser or Membership.objects.filter(user=user, status=Membership.Status.ACTIVE).exists()


def can_see_disclosure_report(user, page):
    """Which rule hid which figure says a little about the true values (a count hidden
    as "fewer than 10" is from 1 to 9), so only those who may read the raw returns see
    it: the group's coordinators for a region, administrators for all regions."""
    group = page.get_working_group() if hasattr(page, "get_working_group") else None
    if group is None:
        return is_signed_in(user) and user.is_superuser
    return is_coordinator(user, group)
