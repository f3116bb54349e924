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

from portal.audit import audit_record

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
        # Feedback triage (home.wagtail_hooks); the data migration home 0003_feedback adds these.
        "home.view_feedbacksubmission",
        "home.change_feedbacksubmission",
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


def _membership_changed(membership, action):
    """Bring the person's Django groups in step and record the change for administrators."""
    membership_sync(user=membership.user)
    audit_record(
        action=action,
        user=membership.user,
        group=membership.working_group.title,
        role=membership.role,
        status=membership.status,
    )
    return membership


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
    return _membership_changed(membership, "portal.membership_added")


@transaction.atomic
def membership_activate(*, membership):
    """An invited person joins (they accepted the invitation)."""
    membership = _locked(membership)
    _require_status(membership, Membership.Status.INVITED, action="activated")
    membership.status = Membership.Status.ACTIVE
    membership.joined_at = timezone.now()
    membership.save(update_fields=["status", "joined_at", "updated_at"])
    return _membership_changed(membership, "portal.membership_activated")


@transaction.atomic
def membership_change_role(*, membership, role):
    """Make a member a coordinator or back again."""
    if role not in Membership.Role.values:
        raise ValidationError(f"Unknown role: {role}.")
    membership = _locked(membership)
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    return _membership_changed(membership, "portal.membership_role_changed")


@transaction.atomic
def membership_suspend(*, membership):
    """Stop someone seeing the group at once, keeping their membership to reinstate."""
    membership = _locked(membership)
    _require_status(membership, Membership.Status.ACTIVE, action="suspended")
    membership.status = Membership.Status.SUSPENDED
    membership.suspended_at = timezone.now()
    membership.save(update_fields=["status", "suspended_at", "updated_at"])
    return _membership_changed(membership, "portal.membership_suspended")


@transaction.atomic
def membership_reinstate(*, membership):
    """Lift a suspension."""
    membership = _locked(membership)
    _require_status(membership, Membership.Status.SUSPENDED, action="reinstated")
    membership.status = Membership.Status.ACTIVE
    membership.suspended_at = None
    membership.save(update_fields=["status", "suspended_at", "updated_at"])
    return _membership_changed(membership, "portal.membership_reinstated")


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
    return _membership_changed(membership, "portal.membership_left")


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


# Invitations: the only way an account is created (see groups.invitations for tokens).


class InvitationError(ValidationError):
    """An invitation that cannot be sent or accepted; `code` says why, for the views."""


def _can_invite(user, group):
    from .permissions import is_coordinator  # administrators count as coordinators

    return is_coordinator(user, group)


def _normalise_email(email):
    return (email or "").strip().lower()


def _accounts_with_email(email):
    from allauth.account.models import EmailAddress

    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    owners = EmailAddress.objects.filter(email__iexact=email).values("user")
    return user_model.objects.filter(Q(email__iexact=email) | Q(pk__in=owners))


def _invitation_send(*, invitation, token):
    from django.utils.formats import date_format

    from portal.outbox import email_queue

    from .invitations import invitation_accept_url

    group = invitation.working_group
    email_queue(
        to=[invitation.email],
        # The group's name only: subjects are seen on lock screens and in mail logs.
        subject=f"You're invited to join the {group.region_name} working group",
        template="emails/invitation",
        context={
            "group_name": group.title,
            "organisation_name": invitation.organisation.name,
            "role": invitation.get_role_display().lower(),
            "accept_url": invitation_accept_url(token),
            "expires_on": date_format(timezone.localtime(invitation.expires_at), "j F Y"),
        },
    )


@transaction.atomic
def invitation_create(*, group, email, organisation, role, invited_by, request=None):
    """Invite `email` to join `group` through `organisation`, and email them the link.

    Only the group's active coordinators and administrators may invite. An address that
    already belongs to someone in the group is refused; older pending invitations for
    the same address and group are cancelled, so only the newest link works. Returns
    `(invitation, token)`: the raw token is needed for the email alone and is not stored.
    """

    from .invitations import INVITATION_VALID_FOR, token_new
    from .models import Invitation

    if not _can_invite(invited_by, group):
        raise InvitationError("You cannot invite people to this group.", code="not_allowed")
    if role not in Membership.Role.values:
        raise InvitationError(f"Unknown role: {role}.", code="role")
    email = _normalise_email(email)
    if Membership.objects.filter(
        working_group=group,
        user__in=_accounts_with_email(email),
        status__in=[Membership.Status.ACTIVE, Membership.Status.SUSPENDED],
    ).exists():
        raise InvitationError("Someone with this email address is already a member of this group.", code="member")
    now = timezone.now()
    Invitation.objects.pending().filter(working_group=group, email=email).update(cancelled_at=now)
    token, token_hash = token_new()
    invitation = Invitation.objects.create(
        email=email,
        working_group=group,
        organisation=organisation,
        role=role,
        invited_by=invited_by,
        token_hash=token_hash,
        created_at=now,
        expires_at=now + INVITATION_VALID_FOR,
    )
    _invitation_send(invitation=invitation, token=token)
    audit_record(action="portal.invitation_sent", request=request, user=invited_by, invitation=invitation.pk)
    return invitation, token


@transaction.atomic
def invitation_resend(*, invitation, sent_by, request=None):
    """Send a pending invitation again with a new link and a fresh 14 days.

    The old link stops working: a new token replaces it, since the old one was never
    stored and so cannot be sent again.
    """
    from .models import Invitation

    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not _can_invite(sent_by, invitation.working_group):
        raise InvitationError("You cannot invite people to this group.", code="not_allowed")
    if invitation.accepted_at or invitation.cancelled_at:
        raise InvitationError("Only an invitation that has not been accepted or cancelled can be sent again.")
    return invitation_create(
        group=invitation.working_group,
        email=invitation.email,
        organisation=invitation.organisation,
        role=invitation.role,
        invited_by=sent_by,
        request=request,
    )


@transaction.atomic
def invitation_cancel(*, invitation, cancelled_by):
    """Withdraw a pending invitation: its link stops working at once."""
    from .models import Invitation

    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not _can_invite(cancelled_by, invitation.working_group):
        raise InvitationError("You cannot manage this group's invitations.", code="not_allowed")
    if not invitation.is_pending:
        raise InvitationError(f"This invitation is {invitation.status} and cannot be cancelled.", code="not_pending")
    invitation.cancelled_at = timezone.now()
    invitation.save(update_fields=["cancelled_at"])
    return invitation


def _username_for(email):
    from django.contrib.auth import get_user_model
    from django.utils.text import slugify

    user_model = get_user_model()
    base = (slugify(email.split("@")[0]) or "member")[:140]
    username, n = base, 1
    while user_model.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


def _account_create(*, email, password):
    from allauth.account.models import EmailAddress

    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password

    user = get_user_model()(username=_username_for(email), email=email)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    # Verified: following the emailed link proves the address is theirs.
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def invitation_account_exists(*, invitation):
    """Whether an account already uses the invited address (it must sign in to accept)."""
    return _accounts_with_email(invitation.email).exists()


def invitation_is_for(*, invitation, user):
    """Whether `user` owns the invited address: its login email or a verified address."""
    from allauth.account.models import EmailAddress

    if _normalise_email(user.email) == invitation.email:
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=invitation.email, verified=True).exists()


@transaction.atomic
def invitation_accept(*, invitation, user=None, password=None, request=None):
    """Accept an invitation, once: create the account (or use the signed-in `user`) and
    make the membership it offers active.

    With no `user`, an account is created for the invited address with `password`
    (validated by AUTH_PASSWORD_VALIDATORS), unless one already exists, which must sign
    in and accept as itself. With a `user`, it must own the invited address. Raises
    InvitationError with code expired, accepted, cancelled, account_exists, wrong_account
    or member. Returns the membership.
    """

    from .models import Invitation

    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    status = invitation.status
    if status != Invitation.Status.PENDING:
        raise InvitationError(f"This invitation is {status}.", code=status)
    if user is None:
        if invitation_account_exists(invitation=invitation):
            raise InvitationError("An account already uses this address: sign in to accept.", code="account_exists")
        user = _account_create(email=invitation.email, password=password)
    elif not invitation_is_for(invitation=invitation, user=user):
        raise InvitationError("This invitation was sent to a different email address.", code="wrong_account")

    group = invitation.working_group
    membership = Membership.objects.select_for_update().filter(user=user, working_group=group).first()
    if membership is not None and membership.status == Membership.Status.INVITED:
        membership.organisation, membership.role = invitation.organisation, invitation.role
        membership.save(update_fields=["organisation", "role", "updated_at"])
        membership = membership_activate(membership=membership)
    elif membership is None or membership.status == Membership.Status.LEFT:
        membership = membership_add(user=user, group=group, organisation=invitation.organisation, role=invitation.role)
    else:
        raise InvitationError("You are already a member of this group.", code="member")

    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(action="portal.invitation_accepted", request=request, user=user, invitation=invitation.pk)
    return membership
