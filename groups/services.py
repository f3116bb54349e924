"""Writes for the members' area: roles, working groups and memberships.

`Membership` is the source of truth. Everything Wagtail needs to enforce it — each
group's two Django groups, the coordinators' page permissions, the page's view
restriction — is derived here and only here, so it can always be rebuilt
(`manage.py sync_groups`). Every role gets exactly the permissions listed below.
"""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, PageViewRestriction, Site

from .models import MembersAreaIndexPage, Membership, Region, WorkingGroupPage
from .permissions import EDITORS_GROUP_NAME

# The coordinating organisation's staff: the admin, the library snippets, public
# documents, and (see editors_setup) the public pages. Document permissions are given
# on the root collection only, never as model permissions, which would reach every
# collection. The data migration 0002_editors_group holds a frozen copy of this list.
EDITORS_MODEL_PERMISSIONS = frozenset(
    {
        "wagtailadmin.access_admin",
        "resources.add_supportservice",
        "resources.change_supportservice",
        "resources.delete_supportservice",
        "resources.add_resource",
        "resources.change_resource",
        "resources.delete_resource",
        "resources.add_topic",
        "resources.change_topic",
        "resources.delete_topic",
    }
)
EDITORS_COLLECTION_PERMISSIONS = frozenset({"add_document", "change_document", "choose_document"})
PAGE_PERMISSIONS = frozenset({"add_page", "change_page", "publish_page"})

# Coordinators use the admin for their own group's pages only; members never use it.
COORDINATORS_MODEL_PERMISSIONS = frozenset({"wagtailadmin.access_admin"})
MEMBERS_MODEL_PERMISSIONS = frozenset()


def _model_permissions(labels):
    query = Q(pk__in=[])
    for label in labels:
        app_label, codename = label.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    permissions = list(Permission.objects.filter(query))
    if len(permissions) != len(labels):
        found = {f"{p.content_type.app_label}.{p.codename}" for p in permissions}
        raise LookupError(f"Missing permissions: {sorted(set(labels) - found)}")
    return permissions


def _page_permissions():
    return list(Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS))


def _set_page_permissions(*, group, pages):
    """Give `group` add/change/publish on exactly `pages` (and so their subtrees)."""
    permissions = _page_permissions()
    GroupPagePermission.objects.filter(group=group).exclude(
        page__in=pages, permission__codename__in=PAGE_PERMISSIONS
    ).delete()
    for page in pages:
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def public_sections():
    """The pages directly under each site's home page, except the members' area.

    Wagtail page permissions cover a page's whole subtree, so a permission on the home
    page would reach every group's private pages. Editors get each public section
    instead, and the home page itself is left to administrators.
    """
    sections = []
    for site in Site.objects.select_related("root_page"):
        sections += site.root_page.get_children().not_type(MembersAreaIndexPage)
    return sections


@transaction.atomic
def editors_setup():
    """Give the Editors group exactly what editors need and no more; safe to run again.

    Call it after building the page tree (the demo loader does) and whenever a section
    is added under the home page (the `after_create_page` hook does).
    """
    editors, _ = Group.objects.get_or_create(name=EDITORS_GROUP_NAME)
    editors.permissions.set(_model_permissions(EDITORS_MODEL_PERMISSIONS))
    _set_page_permissions(group=editors, pages=public_sections())

    root_collection = Collection.get_first_root_node()
    collection_permissions = Permission.objects.filter(
        content_type__app_label="wagtaildocs", codename__in=EDITORS_COLLECTION_PERMISSIONS
    )
    GroupCollectionPermission.objects.filter(group=editors).exclude(
        collection=root_collection, permission__in=collection_permissions
    ).delete()
    for permission in collection_permissions:
        GroupCollectionPermission.objects.get_or_create(
            group=editors, collection=root_collection, permission=permission
        )
    return editors


def _linked_group(group, name):
    if group is None:
        group, _ = Group.objects.get_or_create(name=name)
    elif group.name != name:  # the page's region was changed
        group.name = name
        group.save(update_fields=["name"])
    return group


@transaction.atomic
def working_group_setup(*, group):
    """Create or repair a working group's Django groups, page permissions and privacy.

    Idempotent: run when the page is created or edited and by `manage.py sync_groups`.
    The page is restricted to its members and coordinators groups; coordinators may
    edit the group's subtree and nothing else; members get no permissions at all. The
    Django groups' users are reset from the active memberships.
    """
    # No select_related here: PostgreSQL cannot lock the nullable side of an outer join.
    page, group = group, WorkingGroupPage.objects.select_for_update().get(pk=group.pk)
    region = group.get_region_display()
    members = _linked_group(group.members_group, f"{region} members")
    coordinators = _linked_group(group.coordinators_group, f"{region} coordinators")
    if (group.members_group_id, group.coordinators_group_id) != (members.pk, coordinators.pk):
        # An update, not page.save(): these links are not part of the page's revisions.
        WorkingGroupPage.objects.filter(pk=group.pk).update(members_group=members, coordinators_group=coordinators)

    members.permissions.set(_model_permissions(MEMBERS_MODEL_PERMISSIONS))
    coordinators.permissions.set(_model_permissions(COORDINATORS_MODEL_PERMISSIONS))
    GroupPagePermission.objects.filter(group=members).delete()
    _set_page_permissions(group=coordinators, pages=[group])
    GroupCollectionPermission.objects.filter(group__in=[members, coordinators]).delete()

    restriction = PageViewRestriction.objects.filter(page=group, restriction_type=PageViewRestriction.GROUPS).first()
    PageViewRestriction.objects.filter(page=group).exclude(pk=getattr(restriction, "pk", None)).delete()
    if restriction is None:
        restriction = PageViewRestriction(page=group, restriction_type=PageViewRestriction.GROUPS)
        restriction.save()
    restriction.groups.set([members, coordinators])

    active = Membership.objects.filter(working_group=group, status=Membership.Status.ACTIVE)
    # Coordinators are members too: both groups hold them.
    members.user_set.set(active.values_list("user", flat=True))
    coordinators.user_set.set(active.filter(role=Membership.Role.COORDINATOR).values_list("user", flat=True))

    # The caller's instance too, so saving it afterwards does not unlink the groups.
    for instance in (group, page):
        instance.members_group, instance.coordinators_group = members, coordinators
    return group


@transaction.atomic
def working_group_teardown(*, group):
    """Delete a deleted working group's Django groups, so nobody keeps them."""
    Group.objects.filter(pk__in=[group.members_group_id, group.coordinators_group_id]).delete()


def _working_group_django_groups():
    pairs = WorkingGroupPage.objects.values_list("members_group", "coordinators_group")
    return {group_id for pair in pairs for group_id in pair if group_id}


@transaction.atomic
def membership_sync(*, user):
    """Put `user` in exactly the working groups' Django groups their active memberships
    imply, and in no other working group's; groups that are not a working group's
    (Editors, for example) are left alone."""
    implied = set()
    memberships = Membership.objects.filter(user=user, status=Membership.Status.ACTIVE).select_related("working_group")
    for membership in memberships:
        group = membership.working_group
        if group.members_group_id is None or group.coordinators_group_id is None:
            group = working_group_setup(group=group)
        implied.add(group.members_group_id)
        if membership.role == Membership.Role.COORDINATOR:
            implied.add(group.coordinators_group_id)
    stale = _working_group_django_groups() - implied
    user.groups.remove(*stale)
    user.groups.add(*implied)


def _locked(membership):
    return Membership.objects.select_for_update().get(pk=membership.pk)


def _require_status(membership, *allowed, action):
    if membership.status not in allowed:
        raise ValidationError(f"A membership that is {membership.get_status_display().lower()} cannot be {action}.")


@transaction.atomic
def membership_add(*, user, group, organisation, role, status=Membership.Status.ACTIVE):
    """Add `user` to working group `group`, as invited or already active.

    Someone who left before gets their old membership back, so their history stays in
    one row; anyone else who already has a membership of the group is refused.
    """
    if status not in (Membership.Status.INVITED, Membership.Status.ACTIVE):
        raise ValidationError("A new membership is either invited or active.")
    now = timezone.now()
    membership = Membership.objects.select_for_update().filter(user=user, working_group=group).first()
    if membership is None:
        membership = Membership(user=user, working_group=group)
    elif membership.status != Membership.Status.LEFT:
        raise ValidationError(f"{user} already has a membership of {group}.")
    membership.organisation = organisation
    membership.role = role
    membership.status = status
    membership.suspended_at = membership.left_at = None
    if status == Membership.Status.INVITED:
        membership.invited_at, membership.joined_at = now, None
    else:
        membership.joined_at = now
    membership.full_clean(exclude=["user", "working_group", "organisation"], validate_unique=False)
    membership.save()
    membership_sync(user=user)
    return membership


@transaction.atomic
def membership_activate(*, membership):
    """An invited person joins (they accepted the invitation)."""
    membership = _locked(membership)
    _require_status(membership, Membership.Status.INVITED, action="activated")
    membership.status = Membership.Status.ACTIVE
    membership.joined_at = timezone.now()
    membership.save(update_fields=["status", "joined_at", "updated_at"])
    membership_sync(user=membership.user)
    return membership


@transaction.atomic
def membership_change_role(*, membership, role):
    """Make a member a coordinator or back again."""
    if role not in Membership.Role.values:
        raise ValidationError(f"Unknown role: {role}.")
    membership = _locked(membership)
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    membership_sync(user=membership.user)
    return membership


@transaction.atomic
def membership_suspend(*, membership):
    """Stop someone seeing the group at once, keeping their membership to reinstate."""
    membership = _locked(membership)
    _require_status(membership, Membership.Status.ACTIVE, action="suspended")
    membership.status = Membership.Status.SUSPENDED
    membership.suspended_at = timezone.now()
    membership.save(update_fields=["status", "suspended_at", "updated_at"])
    membership_sync(user=membership.user)
    return membership


@transaction.atomic
def membership_reinstate(*, membership):
    """Lift a suspension."""
    membership = _locked(membership)
    _require_status(membership, Membership.Status.SUSPENDED, action="reinstated")
    membership.status = Membership.Status.ACTIVE
    membership.suspended_at = None
    membership.save(update_fields=["status", "suspended_at", "updated_at"])
    membership_sync(user=membership.user)
    return membership


@transaction.atomic
def membership_leave(*, membership):
    """End a membership (someone left, was removed, or an invitation was withdrawn).

    The row stays, marked as left: the user account and the record of who took part
    are kept.
    """
    membership = _locked(membership)
    _require_status(
        membership,
        Membership.Status.INVITED,
        Membership.Status.ACTIVE,
        Membership.Status.SUSPENDED,
        action="ended",
    )
    membership.status = Membership.Status.LEFT
    membership.left_at = timezone.now()
    membership.save(update_fields=["status", "left_at", "updated_at"])
    membership_sync(user=membership.user)
    return membership


@transaction.atomic
def members_area_setup(*, home_page):
    """Make sure the members' area exists at /members/ with a page for every region,
    each set up, and the Editors' permissions match the tree; safe to run again.

    For the demo loader and a new deployment; pages are found by slug and region, and
    existing ones are left as editors made them.
    """
    index = MembersAreaIndexPage.objects.child_of(home_page).first()
    if index is None:
        index = home_page.add_child(
            instance=MembersAreaIndexPage(
                title="Members' area",
                slug="members",
                introduction="The working groups' own pages: meetings, notes, actions and updates.",
            )
        )
    groups = []
    for region in Region:
        group = WorkingGroupPage.objects.filter(region=region).first()
        if group is None:
            group = index.add_child(
                instance=WorkingGroupPage(title=f"{region.label} working group", slug=region.value, region=region)
            )
        groups.append(working_group_setup(group=group))
    editors_setup()
    return index, groups


def groups_sync_all():
    """Rebuild every role from the source of truth (`manage.py sync_groups`)."""
    editors_setup()
    groups = list(WorkingGroupPage.objects.all())
    for group in groups:
        working_group_setup(group=group)
    return groups
