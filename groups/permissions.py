"""Who may do what in the members' area.

These predicates read `Membership` directly, never the Django groups derived from it, so
a suspension or removal counts on the very next request whatever state the groups are
in. Superusers (administrators) may do everything; an inactive account may do nothing.
"""

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
