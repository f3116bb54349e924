"""Writes for the members' area: roles, working groups and memberships.

`Membership` is the source of truth. Everything Wagtail needs to enforce it — each
group's two Django groups, the coordinators' page and document permissions, the page's
and the document collection's view restrictions — is derived here and only here, so it can always be rebuilt
(`manage.py sync_groups`). Every role gets exactly the permissions listed below.
"""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupCollectionPermission,
    GroupPagePermission,
    PageViewRestriction,
    Site,
)

from portal.audit import audit_record
from portal.pii import validate_no_personal_data

from .models import MembersAreaIndexPage, Membership, Region, Update, UpdateTag, WorkingGroupPage
from .permissions import (
    EDITORS_GROUP_NAME,
    PUBLIC_DOCUMENTS_COLLECTION,
    WORKING_GROUPS_COLLECTION,
    can_change_update,
    can_hide_update,
)
from .signals import document_added, update_posted

# The coordinating organisation's staff: the admin, the library snippets, public
# documents, and (see editors_setup) the public pages. Document permissions are given
# on the "Public documents" collection only, never on the root collection nor as model
# permissions, either of which would reach every working group's collection. The data
# migrations 0002_editors_group and 0004_group_documents hold frozen copies of this list.
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

# Coordinators use the admin for their own group's pages and documents only; members
# never use it. (In Wagtail, "change" on a collection includes deleting its documents.)
COORDINATORS_MODEL_PERMISSIONS = frozenset({"wagtailadmin.access_admin"})
COORDINATORS_COLLECTION_PERMISSIONS = frozenset({"add_document", "change_document", "choose_document"})
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


def _document_permissions(codenames):
    return list(Permission.objects.filter(content_type__app_label="wagtaildocs", codename__in=codenames))


def _set_collection_permissions(*, group, collection, codenames):
    """Give `group` exactly these document permissions on exactly `collection`."""
    permissions = _document_permissions(codenames)
    GroupCollectionPermission.objects.filter(group=group).exclude(
        collection=collection, permission__in=permissions
    ).delete()
    for permission in permissions:
        GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)


def _top_collection(name):
    """The collection called `name` directly under the root, created if missing."""
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=name).first()
    if collection is None:
        collection = root.add_child(instance=Collection(name=name))
    return collection


def public_documents_collection():
    """Where editors keep the documents the public site links to."""
    return _top_collection(PUBLIC_DOCUMENTS_COLLECTION)


def working_groups_collection():
    """The parent of the working groups' own collections; it holds no documents itself."""
    return _top_collection(WORKING_GROUPS_COLLECTION)


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

    _set_collection_permissions(
        group=editors, collection=public_documents_collection(), codenames=EDITORS_COLLECTION_PERMISSIONS
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
    _restrict(PageViewRestriction, page=group, groups=[members, coordinators])

    collection = _group_collection(group, region)
    GroupCollectionPermission.objects.filter(group=members).delete()
    _set_collection_permissions(
        group=coordinators, collection=collection, codenames=COORDINATORS_COLLECTION_PERMISSIONS
    )
    _restrict(CollectionViewRestriction, collection=collection, groups=[members, coordinators])

    active = Membership.objects.filter(working_group=group, status=Membership.Status.ACTIVE)
    # Coordinators are members too: both groups hold them.
    members.user_set.set(active.values_list("user", flat=True))
    coordinators.user_set.set(active.filter(role=Membership.Role.COORDINATOR).values_list("user", flat=True))

    # The caller's instance too, so saving it afterwards does not unlink the groups.
    for instance in (group, page):
        instance.members_group, instance.coordinators_group = members, coordinators
        instance.collection = collection
    return group


def _restrict(model, *, groups, **target):
    """Make one GROUPS view restriction, for exactly `groups`, the only restriction on
    the page or collection `target`: whatever was set in the admin is replaced."""
    restriction = model.objects.filter(restriction_type=model.GROUPS, **target).first()
    model.objects.filter(**target).exclude(pk=getattr(restriction, "pk", None)).delete()
    if restriction is None:
        restriction = model(restriction_type=model.GROUPS, **target)
        restriction.save()
    restriction.groups.set(groups)
    return restriction


def _group_collection(group, region):
    """The group's own collection under "Working groups", named after its region."""
    parent = working_groups_collection()
    collection = group.collection
    if collection is None:
        collection = parent.add_child(instance=Collection(name=region))
        WorkingGroupPage.objects.filter(pk=group.pk).update(collection=collection)
    else:
        if not collection.is_descendant_of(parent):  # moved in the admin: put it back
            collection.move(parent, pos="sorted-child")
            collection.refresh_from_db()
        if collection.name != region:
            collection.name = region
            collection.save(update_fields=["name"])
    return collection


@transaction.atomic
def working_group_teardown(*, group):
    """Delete a deleted working group's Django groups, so nobody keeps them.

    Its documents are kept for administrators (they may be records the organisations
    must keep): the collection stays, renamed, and its view restriction, now naming no
    groups, lets nobody but administrators download them.
    """
    Group.objects.filter(pk__in=[group.members_group_id, group.coordinators_group_id]).delete()
    collection = Collection.objects.filter(pk=group.collection_id).first()
    if collection is not None:
        collection.name = f"{collection.name} (deleted group {group.pk})"
        collection.save(update_fields=["name"])
        _restrict(CollectionViewRestriction, collection=collection, groups=[])


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


def _membership_changed(membership, action, *, actor=None, request=None):
    """Bring the person's Django groups in step and record the change for administrators."""
    membership_sync(user=membership.user)
    audit_record(
        action=action,
        request=request,
        user=membership.user,
        actor=actor,
        group=membership.working_group.title,
        role=membership.role,
        status=membership.status,
    )
    return membership


def _require_a_coordinator_left(membership, *, actor, action):
    """Coordinators may not change their own membership, nor leave their group without
    an active coordinator; administrators (and the system, with no actor) may."""
    if actor is None or actor.is_superuser:
        return
    if actor.pk == membership.user_id:
        raise ValidationError(f"You cannot {action} yourself. Ask another coordinator or an administrator.")
    others = Membership.objects.filter(
        working_group=membership.working_group, role=Membership.Role.COORDINATOR, status=Membership.Status.ACTIVE
    ).exclude(pk=membership.pk)
    if membership.role == Membership.Role.COORDINATOR and not others.exists():
        raise ValidationError(f"The group needs an active coordinator, so you cannot {action} its only one.")


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
def membership_change_role(*, membership, role, actor=None, request=None):
    """Make a member a coordinator or back again."""
    if role not in Membership.Role.values:
        raise ValidationError(f"Unknown role: {role}.")
    membership = _locked(membership)
    if role == membership.role:
        return membership
    _require_status(membership, Membership.Status.ACTIVE, Membership.Status.SUSPENDED, action="given a new role")
    if role == Membership.Role.MEMBER:
        _require_a_coordinator_left(membership, actor=actor, action="change the role of")
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    return _membership_changed(membership, "portal.membership_role_changed", actor=actor, request=request)


@transaction.atomic
def membership_suspend(*, membership, actor=None, request=None):
    """Stop someone seeing the group at once, keeping their membership to reinstate."""
    membership = _locked(membership)
    _require_status(membership, Membership.Status.ACTIVE, action="suspended")
    _require_a_coordinator_left(membership, actor=actor, action="suspend")
    membership.status = Membership.Status.SUSPENDED
    membership.suspended_at = timezone.now()
    membership.save(update_fields=["status", "suspended_at", "updated_at"])
    return _membership_changed(membership, "portal.membership_suspended", actor=actor, request=request)


@transaction.atomic
def membership_reinstate(*, membership, actor=None, request=None):
    """Lift a suspension."""
    membership = _locked(membership)
    _require_status(membership, Membership.Status.SUSPENDED, action="reinstated")
    membership.status = Membership.Status.ACTIVE
    membership.suspended_at = None
    membership.save(update_fields=["status", "suspended_at", "updated_at"])
    return _membership_changed(membership, "portal.membership_reinstated", actor=actor, request=request)


@transaction.atomic
def membership_leave(*, membership, actor=None, request=None):
    """End a membership (someone left, was removed, or an invitation was withdrawn).

    The row stays, marked as left, and the account is kept, so past notes, actions and
    updates keep their author's name. Someone who no longer belongs to any group (and is
    not staff) has their account deactivated: it can no longer sign in until a new
    invitation is accepted.
    """
    membership = _locked(membership)
    _require_status(
        membership,
        Membership.Status.INVITED,
        Membership.Status.ACTIVE,
        Membership.Status.SUSPENDED,
        action="ended",
    )
    _require_a_coordinator_left(membership, actor=actor, action="remove")
    membership.status = Membership.Status.LEFT
    membership.left_at = timezone.now()
    membership.save(update_fields=["status", "left_at", "updated_at"])
    _account_deactivate_if_unattached(user=membership.user)
    return _membership_changed(membership, "portal.membership_left", actor=actor, request=request)


def _account_deactivate_if_unattached(*, user):
    from .permissions import is_editor

    if user.is_staff or user.is_superuser or is_editor(user):
        return
    if Membership.objects.filter(user=user).exclude(status=Membership.Status.LEFT).exists():
        return
    user.is_active = False
    user.save(update_fields=["is_active"])


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


def document_placed(*, document, previous_collection_id=None):
    """Tell listeners (`document_added`) that a document has just been added to a working
    group's collection: uploaded into it, or moved into it from outside the group.

    Called after every save of a document (see groups.receivers), since Wagtail's admin
    has no hook for its upload views; `previous_collection_id` is where the document
    was before this save (None for a new one), so each arrival is announced once.
    Returns the group, or None when nothing was announced.
    """
    from .selectors import group_for_collection

    group = group_for_collection(collection=document.collection)
    if group is None:
        return None
    if previous_collection_id is not None:
        previous = Collection.objects.filter(pk=previous_collection_id).first()
        if group_for_collection(collection=previous) == group:
            return None
    document_added.send(sender=type(document), document=document, group=group, actor=document.uploaded_by_user)
    return group


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
    """A new account for `email`, or the deactivated account of someone who left and is
    invited back, reactivated with the new password (the emailed link proves the address
    is theirs, as a password reset would)."""
    from allauth.account.models import EmailAddress

    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password

    user = _accounts_with_email(email).filter(is_active=False).order_by("pk").first()
    if user is None:
        user = get_user_model()(username=_username_for(email), email=email)
    validate_password(password, user)
    user.set_password(password)
    user.is_active = True
    user.save()
    # Verified: following the emailed link proves the address is theirs.
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def invitation_account_exists(*, invitation):
    """Whether an active account already uses the invited address (it must sign in to
    accept); a deactivated one is given a new password instead."""
    return _accounts_with_email(invitation.email).filter(is_active=True).exists()


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


# Members' updates. The views check permissions first and answer 404; these check again,
# so no caller can skip the rules.


class UpdateError(ValidationError):
    """An update that cannot be posted or changed; `code` says why, for the views."""


def _update_tags(tags):
    """The UpdateTag rows for `tags` (rows or slugs); at least one, all of them known."""
    tags = list(tags or [])
    slugs = {tag for tag in tags if isinstance(tag, str)}
    rows = [tag for tag in tags if isinstance(tag, UpdateTag)]
    if slugs:
        found = list(UpdateTag.objects.filter(slug__in=slugs))
        unknown = slugs - {tag.slug for tag in found}
        if unknown:
            raise UpdateError({"tags": f"Unknown topic: {', '.join(sorted(unknown))}."}, code="unknown_tag")
        rows += found
    if not rows:
        raise UpdateError({"tags": "Choose at least one topic."}, code="required")
    return rows


def _update_validate(update):
    """Length limits and the personal-data screen on the title and body."""
    errors = {}
    try:
        update.clean_fields(exclude=["working_group", "author", "organisation", "hidden_by", "tags"])
    except ValidationError as error:
        errors = error.message_dict
    for field in ("title", "body"):
        try:
            validate_no_personal_data(getattr(update, field))
        except ValidationError as error:
            errors.setdefault(field, []).extend(error.messages)
    if errors:
        raise UpdateError(errors)


@transaction.atomic
def update_post(*, group, author, title, body, tags, created_at=None, notify=True):
    """Post an update to `group` as `author`, an active member, under their organisation there.

    `created_at` and `notify=False` are for the demo content and imports: an update with
    a past date that tells nobody. Otherwise `update_posted` is sent, in this transaction.
    """
    membership = (
        Membership.objects.filter(user=author, working_group=group, status=Membership.Status.ACTIVE)
        .select_related("organisation")
        .first()
    )
    if membership is None:
        raise UpdateError("Only members of this group can post updates to it.", code="not_member")
    tags = _update_tags(tags)
    update = Update(
        working_group=group,
        author=author,
        organisation=membership.organisation,
        title=title,
        body=body,
        created_at=created_at or timezone.now(),
    )
    _update_validate(update)
    update.save()
    update.tags.set(tags)
    if notify:
        update_posted.send(sender=Update, update=update, actor=author)
    return update


def _locked_update(update):
    return Update.objects.select_for_update().select_related("working_group").get(pk=update.pk)


@transaction.atomic
def update_edit(*, update, editor, title, body, tags):
    """Change an update's title, body and topics: its author only, within the edit window.

    The working group, author, organisation and times never change here.
    """
    update = _locked_update(update)
    if not can_change_update(editor, update):
        raise UpdateError("This update can no longer be changed.", code="not_allowed")
    tags = _update_tags(tags)
    update.title, update.body = title, body
    update.edited_at = timezone.now()
    _update_validate(update)
    update.save(update_fields=["title", "body", "edited_at"])
    update.tags.set(tags)
    return update


@transaction.atomic
def update_delete(*, update, deleted_by, request=None):
    """Delete an update: its author only, within the edit window. Recorded in the audit log."""
    update = _locked_update(update)
    if not can_change_update(deleted_by, update):
        raise UpdateError("This update can no longer be deleted.", code="not_allowed")
    audit_record(
        action="portal.update_deleted",
        request=request,
        user=update.author,
        actor=deleted_by,
        update=update.pk,
        group=update.working_group.title,
    )
    update.delete()


def _update_set_hidden(*, update, user, hidden, request):
    update = _locked_update(update)
    if not can_hide_update(user, update):
        raise UpdateError("Only the group's coordinators can hide or show updates.", code="not_allowed")
    if update.is_hidden == hidden:
        return update  # Already so: nothing to change or record.
    update.hidden_at, update.hidden_by = (timezone.now(), user) if hidden else (None, None)
    update.save(update_fields=["hidden_at", "hidden_by"])
    audit_record(
        action="portal.update_hidden" if hidden else "portal.update_unhidden",
        request=request,
        user=update.author,
        actor=user,
        update=update.pk,
        group=update.working_group.title,
    )
    return update


@transaction.atomic
def update_hide(*, update, hidden_by, request=None):
    """Hide an update from members (a coordinator of its group); recorded in the audit log."""
    return _update_set_hidden(update=update, user=hidden_by, hidden=True, request=request)


@transaction.atomic
def update_unhide(*, update, unhidden_by, request=None):
    """Show a hidden update to members again (a coordinator of its group); recorded in the audit log."""
    return _update_set_hidden(update=update, user=unhidden_by, hidden=False, request=request)
