"""Writes for membership: working groups' set-up, memberships and invitations.

`Membership` is the source of truth. Everything Wagtail needs to enforce it — each
working group's two Django groups (`auth_group`s), the coordinators' page and document
permissions, the page's and the document collection's view restrictions — is derived
here and only here, so it can always be rebuilt (`manage.py sync_groups`). Every role
gets exactly the permissions listed below. The site-wide Editors role is in
`portal.roles`.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from allauth.account.models import EmailAddress

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify

from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupCollectionPermission,
    GroupPagePermission,
    PageViewRestriction,
)
from wagtail.models.view_restrictions import BaseViewRestriction

from portal.audit import audit_record
from portal.credentials import account_is_privileged, account_privileges_drop
from portal.outbox import email_queue
from portal.profiles import person_details_change
from portal.roles import (
    collection_permissions_set,
    editors_setup,
    is_editor,
    model_permissions,
    page_permissions_set,
    top_collection,
)

from .. import fragments
from ..enums import WORKING_GROUPS_COLLECTION, Region, coordinators_group_name, members_group_name
from ..models import Invitation, MembersAreaIndexPage, Membership, Organisation, WorkingGroupPage
from ..permissions import is_coordinator
from .selectors import INVITATION_VALID_FOR, token_hash

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpRequest

    from wagtail.models import Page

# Coordinators use the admin for their own group's pages and documents only; members
# never use it. (In Wagtail, "change" on a collection includes deleting its documents.)
COORDINATORS_MODEL_PERMISSIONS = frozenset({"wagtailadmin.access_admin"})
COORDINATORS_COLLECTION_PERMISSIONS = frozenset({"add_document", "change_document", "choose_document"})
MEMBERS_MODEL_PERMISSIONS: frozenset[str] = frozenset()


def working_groups_collection() -> Collection:
    """The parent of the working groups' own collections; it holds no documents itself."""
    return top_collection(WORKING_GROUPS_COLLECTION)


def _linked_auth_group(auth_group: Group | None, name: str) -> Group:
    if auth_group is None:
        auth_group, _ = Group.objects.get_or_create(name=name)
    elif auth_group.name != name:  # the page's region was changed
        auth_group.name = name
        auth_group.save(update_fields=["name"])
    return auth_group


@transaction.atomic
def working_group_setup(*, working_group: WorkingGroupPage) -> WorkingGroupPage:
    """Create or repair a working group's Django groups, page permissions and privacy.

    Idempotent: run when the page is created or edited and by `manage.py sync_groups`.
    The page is restricted to its members and coordinators groups; coordinators may
    edit the group's subtree and nothing else; members get no permissions at all. The
    Django groups' users are reset from the active memberships.
    """
    # No select_related here: PostgreSQL cannot lock the nullable side of an outer join.
    page, working_group = working_group, WorkingGroupPage.objects.select_for_update().get(pk=working_group.pk)
    region = working_group.get_region_display()
    members = _linked_auth_group(working_group.members_group, members_group_name(region))
    coordinators = _linked_auth_group(working_group.coordinators_group, coordinators_group_name(region))
    if (working_group.members_group_id, working_group.coordinators_group_id) != (members.pk, coordinators.pk):
        # An update, not page.save(): these links are not part of the page's revisions.
        WorkingGroupPage.objects.filter(pk=working_group.pk).update(
            members_group=members, coordinators_group=coordinators
        )

    members.permissions.set(model_permissions(MEMBERS_MODEL_PERMISSIONS))
    coordinators.permissions.set(model_permissions(COORDINATORS_MODEL_PERMISSIONS))
    GroupPagePermission.objects.filter(group=members).delete()
    page_permissions_set(auth_group=coordinators, pages=[working_group])
    _restrict(PageViewRestriction, page=working_group, auth_groups=[members, coordinators])

    collection = _working_group_collection(working_group, region)
    GroupCollectionPermission.objects.filter(group=members).delete()
    collection_permissions_set(
        auth_group=coordinators, collection=collection, codenames=COORDINATORS_COLLECTION_PERMISSIONS
    )
    _restrict(CollectionViewRestriction, collection=collection, auth_groups=[members, coordinators])

    active = Membership.objects.filter(working_group=working_group, status=Membership.Status.ACTIVE)
    # Coordinators are members too: both groups hold them.
    members.user_set.set(active.values_list("user", flat=True))
    coordinators.user_set.set(active.filter(role=Membership.Role.COORDINATOR).values_list("user", flat=True))

    # The caller's instance too, so saving it afterwards does not unlink the groups.
    for instance in (working_group, page):
        instance.members_group, instance.coordinators_group = members, coordinators
        instance.collection = collection
    # The links were written by update(), which sends no signal: the group's page as kept
    # for the members' area (groups.fragments) is stale. (As kept for routing, under the
    # site frame, it is dropped with the frame when its view restriction's groups change.)
    fragments.changed()
    return working_group


def _restrict(model: type[BaseViewRestriction], *, auth_groups: Iterable[Group], **target: Any) -> BaseViewRestriction:
    """Make one GROUPS view restriction, for exactly `auth_groups`, the only restriction on
    the page or collection `target`: whatever was set in the admin is replaced."""
    restriction = model.objects.filter(restriction_type=model.GROUPS, **target).first()
    model.objects.filter(**target).exclude(pk=getattr(restriction, "pk", None)).delete()
    if restriction is None:
        restriction = model(restriction_type=model.GROUPS, **target)
        restriction.save()
    restriction.groups.set(auth_groups)
    return restriction


def _working_group_collection(working_group: WorkingGroupPage, region: str) -> Collection:
    """The group's own collection under "Working groups", named after its region."""
    parent = working_groups_collection()
    collection = working_group.collection
    if collection is None:
        collection = parent.add_child(instance=Collection(name=region))
        WorkingGroupPage.objects.filter(pk=working_group.pk).update(collection=collection)
    else:
        if not collection.is_descendant_of(parent):  # moved in the admin: put it back
            collection.move(parent, pos="sorted-child")
            collection.refresh_from_db()
        if collection.name != region:
            collection.name = region
            collection.save(update_fields=["name"])
    return collection


@transaction.atomic
def working_group_teardown(*, working_group: WorkingGroupPage) -> None:
    """Delete a deleted working group's Django groups, so nobody keeps them.

    Its documents are kept for administrators (they may be records the organisations
    must keep): the collection stays, renamed, and its view restriction, now naming no
    groups, lets nobody but administrators download them.
    """
    Group.objects.filter(pk__in=[working_group.members_group_id, working_group.coordinators_group_id]).delete()
    collection = Collection.objects.filter(pk=working_group.collection_id).first()
    if collection is not None:
        collection.name = f"{collection.name} (deleted group {working_group.pk})"
        collection.save(update_fields=["name"])
        _restrict(CollectionViewRestriction, collection=collection, auth_groups=[])


def _working_groups_auth_group_ids() -> set[int]:
    pairs = WorkingGroupPage.objects.values_list("members_group", "coordinators_group")
    return {auth_group_id for pair in pairs for auth_group_id in pair if auth_group_id}


@transaction.atomic
def membership_sync(*, user: User) -> None:
    """Put `user` in exactly the working groups' Django groups their active memberships
    imply, and in no other working group's; groups that are not a working group's
    (Editors, for example) are left alone."""
    implied = set()
    memberships = Membership.objects.filter(user=user, status=Membership.Status.ACTIVE).select_related("working_group")
    for membership in memberships:
        working_group = membership.working_group
        if working_group.members_group_id is None or working_group.coordinators_group_id is None:
            working_group = working_group_setup(working_group=working_group)
        implied.add(working_group.members_group_id)
        if membership.role == Membership.Role.COORDINATOR:
            implied.add(working_group.coordinators_group_id)
    stale = _working_groups_auth_group_ids() - implied
    user.groups.remove(*stale)
    user.groups.add(*implied)


def _locked(membership: Membership) -> Membership:
    return Membership.objects.select_for_update().get(pk=membership.pk)


def _membership_changed(
    membership: Membership, action: str, *, actor: User | None = None, request: HttpRequest | None = None
) -> Membership:
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


def _require_a_coordinator_left(membership: Membership, *, actor: User | None, action: str) -> None:
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


def _require_status(membership: Membership, *allowed: str, action: str) -> None:
    if membership.status not in allowed:
        raise ValidationError(f"A membership that is {membership.get_status_display().lower()} cannot be {action}.")


@transaction.atomic
def membership_add(
    *,
    user: User,
    working_group: WorkingGroupPage,
    organisation: Organisation,
    role: str,
    status: str = Membership.Status.ACTIVE,
) -> Membership:
    """Add `user` to working `working_group`, as invited or already active.

    Someone who left before gets their old membership back, so their history stays in
    one row; anyone else who already has a membership of the group is refused.
    """
    if status not in (Membership.Status.INVITED, Membership.Status.ACTIVE):
        raise ValidationError("A new membership is either invited or active.")
    now = timezone.now()
    membership = Membership.objects.select_for_update().filter(user=user, working_group=working_group).first()
    if membership is None:
        membership = Membership(user=user, working_group=working_group)
    elif membership.status != Membership.Status.LEFT:
        raise ValidationError(f"{user} already has a membership of {working_group}.")
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
def membership_activate(*, membership: Membership) -> Membership:
    """An invited person joins (they accepted the invitation)."""
    membership = _locked(membership)
    _require_status(membership, Membership.Status.INVITED, action="activated")
    membership.status = Membership.Status.ACTIVE
    membership.joined_at = timezone.now()
    membership.save(update_fields=["status", "joined_at", "updated_at"])
    return _membership_changed(membership, "portal.membership_activated")


@transaction.atomic
def membership_change_role(
    *, membership: Membership, role: str, actor: User | None = None, request: HttpRequest | None = None
) -> Membership:
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
def membership_suspend(
    *, membership: Membership, actor: User | None = None, request: HttpRequest | None = None
) -> Membership:
    """Stop someone seeing the group at once, keeping their membership to reinstate."""
    membership = _locked(membership)
    _require_status(membership, Membership.Status.ACTIVE, action="suspended")
    _require_a_coordinator_left(membership, actor=actor, action="suspend")
    membership.status = Membership.Status.SUSPENDED
    membership.suspended_at = timezone.now()
    membership.save(update_fields=["status", "suspended_at", "updated_at"])
    return _membership_changed(membership, "portal.membership_suspended", actor=actor, request=request)


@transaction.atomic
def membership_reinstate(
    *, membership: Membership, actor: User | None = None, request: HttpRequest | None = None
) -> Membership:
    """Lift a suspension."""
    membership = _locked(membership)
    _require_status(membership, Membership.Status.SUSPENDED, action="reinstated")
    membership.status = Membership.Status.ACTIVE
    membership.suspended_at = None
    membership.save(update_fields=["status", "suspended_at", "updated_at"])
    return _membership_changed(membership, "portal.membership_reinstated", actor=actor, request=request)


@transaction.atomic
def membership_leave(
    *, membership: Membership, actor: User | None = None, request: HttpRequest | None = None
) -> Membership:
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


def _account_deactivate_if_unattached(*, user: User) -> None:
    if user.is_staff or user.is_superuser or is_editor(user):
        return
    if Membership.objects.filter(user=user).exclude(status=Membership.Status.LEFT).exists():
        return
    user.is_active = False
    user.save(update_fields=["is_active"])


@transaction.atomic
def members_area_setup(*, home_page: Page) -> tuple[MembersAreaIndexPage, list[WorkingGroupPage]]:
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
    working_groups = []
    for region in Region:
        working_group = WorkingGroupPage.objects.filter(region=region).first()
        if working_group is None:
            working_group = index.add_child(
                instance=WorkingGroupPage(title=f"{region.label} working group", slug=region.value, region=region)
            )
        working_groups.append(working_group_setup(working_group=working_group))
    editors_setup()
    return index, working_groups


def groups_sync_all() -> list[WorkingGroupPage]:
    """Rebuild every role from the source of truth (`manage.py sync_groups`)."""
    editors_setup()
    groups = list(WorkingGroupPage.objects.all())
    for working_group in groups:
        working_group_setup(working_group=working_group)
    return groups


# Invitations: the only way an account is created. A token is `secrets.token_urlsafe(32)`
# (256 random bits); only its SHA-256 is stored (see selectors.token_hash).


def token_new() -> tuple[str, str]:
    """A fresh raw token and the hash to store for it."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def invitation_accept_url(token: str) -> str:
    """The absolute link for the email, from the canonical base URL, never the request's Host."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("groups:invitation_accept", kwargs={"token": token})


class InvitationError(ValidationError):
    """An invitation that cannot be sent or accepted; `code` says why, for the views."""


def _can_invite(user: User, working_group: WorkingGroupPage) -> bool:
    return is_coordinator(user, working_group)


def _normalise_email(email: str | None) -> str:
    return (email or "").strip().lower()


def _accounts_with_email(email: str) -> QuerySet[User]:

    user_model = get_user_model()
    owners = EmailAddress.objects.filter(email__iexact=email).values("user")
    return user_model.objects.filter(Q(email__iexact=email) | Q(pk__in=owners))


def _invitation_send(*, invitation: Invitation, token: str) -> None:

    working_group = invitation.working_group
    email_queue(
        to=[invitation.email],
        # The group's name only: subjects are seen on lock screens and in mail logs.
        subject=f"You're invited to join the {working_group.region_name} working group",
        template="emails/invitation",
        context={
            "group_name": working_group.title,
            "organisation_name": invitation.organisation.name,
            "role": invitation.get_role_display().lower(),
            "accept_url": invitation_accept_url(token),
            "expires_on": date_format(timezone.localtime(invitation.expires_at), "j F Y"),
        },
    )


@transaction.atomic
def invitation_create(
    *,
    working_group: WorkingGroupPage,
    email: str,
    organisation: Organisation,
    role: str,
    invited_by: User,
    request: HttpRequest | None = None,
) -> tuple[Invitation, str]:
    """Invite `email` to join `working_group` through `organisation`, and email them the link.

    Only the group's active coordinators and administrators may invite. An address that
    already belongs to someone in the group is refused; older pending invitations for
    the same address and group are cancelled, so only the newest link works. Returns
    `(invitation, token)`: the raw token is needed for the email alone and is not stored.
    """

    if not _can_invite(invited_by, working_group):
        raise InvitationError("You cannot invite people to this group.", code="not_allowed")
    if role not in Membership.Role.values:
        raise InvitationError(f"Unknown role: {role}.", code="role")
    email = _normalise_email(email)
    if Membership.objects.filter(
        working_group=working_group,
        user__in=_accounts_with_email(email),
        status__in=[Membership.Status.ACTIVE, Membership.Status.SUSPENDED],
    ).exists():
        raise InvitationError("Someone with this email address is already a member of this group.", code="member")
    if not invited_by.is_superuser and _privileged_deactivated(email):
        raise InvitationError(
            "This address belongs to an account that only an administrator can switch back on. "
            "Ask an administrator to invite this person.",
            code="privileged",
        )
    now = timezone.now()
    Invitation.objects.pending().filter(working_group=working_group, email=email).update(cancelled_at=now)
    token, token_hash = token_new()
    invitation = Invitation.objects.create(
        email=email,
        working_group=working_group,
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
def invitation_resend(
    *, invitation: Invitation, sent_by: User, request: HttpRequest | None = None
) -> tuple[Invitation, str]:
    """Send a pending invitation again with a new link and a fresh 14 days.

    The old link stops working: a new token replaces it, since the old one was never
    stored and so cannot be sent again.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not _can_invite(sent_by, invitation.working_group):
        raise InvitationError("You cannot invite people to this group.", code="not_allowed")
    if invitation.accepted_at or invitation.cancelled_at:
        raise InvitationError("Only an invitation that has not been accepted or cancelled can be sent again.")
    return invitation_create(
        working_group=invitation.working_group,
        email=invitation.email,
        organisation=invitation.organisation,
        role=invitation.role,
        invited_by=sent_by,
        request=request,
    )


@transaction.atomic
def invitation_cancel(*, invitation: Invitation, cancelled_by: User) -> Invitation:
    """Withdraw a pending invitation: its link stops working at once."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not _can_invite(cancelled_by, invitation.working_group):
        raise InvitationError("You cannot manage this group's invitations.", code="not_allowed")
    if not invitation.is_pending:
        raise InvitationError(f"This invitation is {invitation.status} and cannot be cancelled.", code="not_pending")
    invitation.cancelled_at = timezone.now()
    invitation.save(update_fields=["cancelled_at"])
    return invitation


def account_username_for(email: str) -> str:
    """A free username made from the address's local part (for new accounts)."""
    user_model = get_user_model()
    base = (slugify(email.split("@")[0]) or "member")[:140]
    username, n = base, 1
    while user_model.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


def _deactivated_account(email: str) -> User | None:
    return _accounts_with_email(email).filter(is_active=False).order_by("pk").first()


def _privileged_deactivated(email: str) -> bool:
    user = _deactivated_account(email)
    return user is not None and account_is_privileged(user, ordinary_group_ids=_working_groups_auth_group_ids())


def invitation_needs_administrator(*, invitation: Invitation) -> bool:
    """Whether accepting would switch back on an account that had rights beyond a
    membership (administrator, staff, Editors...), for an invitation no administrator
    sent: such an account is never restored this way (see _account_create)."""
    inviter = invitation.invited_by
    sent_by_administrator = inviter is not None and inviter.is_active and inviter.is_superuser
    return not sent_by_administrator and _privileged_deactivated(invitation.email)


def _account_create(
    *,
    invitation: Invitation,
    password: str,
    first_name: str,
    last_name: str,
    job_title: str,
    request: HttpRequest | None = None,
) -> User:
    """A new account for the invited address, or the deactivated account of someone who
    left and is invited back, reactivated with the new password (the emailed link proves
    the address is theirs, as a password reset would), with the name and job title they
    gave.

    Switching an account back on drops its old authenticators and sessions
    (portal.credentials). An invitation grants a membership and nothing else: a
    deactivated account that had other rights is refused, unless an administrator sent
    the invitation, in which case it comes back with those rights removed.
    """
    email = invitation.email
    user = _deactivated_account(email)
    if user is None:
        user = get_user_model()(username=account_username_for(email), email=email)
    else:
        ordinary = _working_groups_auth_group_ids()
        if account_is_privileged(user, ordinary_group_ids=ordinary):
            if invitation_needs_administrator(invitation=invitation):
                raise InvitationError(
                    "This address belongs to an account that only an administrator can switch back on.",
                    code="privileged",
                )
            account_privileges_drop(
                user=user, ordinary_group_ids=ordinary, actor=invitation.invited_by, request=request
            )
    user.first_name, user.last_name = first_name, last_name
    validate_password(password, user)
    user.set_password(password)
    user.is_active = True
    user.save()
    person_details_change(user=user, first_name=first_name, last_name=last_name, job_title=job_title)
    # Verified: following the emailed link proves the address is theirs.
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def invitation_account_exists(*, invitation: Invitation) -> bool:
    """Whether an active account already uses the invited address (it must sign in to
    accept); a deactivated one is given a new password instead."""
    return _accounts_with_email(invitation.email).filter(is_active=True).exists()


def invitation_is_for(*, invitation: Invitation, user: User) -> bool:
    """Whether `user` owns the invited address: its login email or a verified address."""
    if _normalise_email(user.email) == invitation.email:
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=invitation.email, verified=True).exists()


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    user: User | None = None,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    job_title: str = "",
    request: HttpRequest | None = None,
) -> Membership:
    """Accept an invitation, once: create the account (or use the signed-in `user`) and
    make the membership it offers active.

    With no `user`, an account is created for the invited address with `password`
    (validated by AUTH_PASSWORD_VALIDATORS) and the name and job title given, unless one
    already exists, which must sign in and accept as itself (keeping its own name).
    With a `user`, it must own the invited address. Raises InvitationError with code
    expired, accepted, cancelled, account_exists, wrong_account, privileged or member.
    Returns the membership.
    """

    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    status = invitation.status
    if status != Invitation.Status.PENDING:
        raise InvitationError(f"This invitation is {status}.", code=status)
    if user is None:
        if invitation_account_exists(invitation=invitation):
            raise InvitationError("An account already uses this address: sign in to accept.", code="account_exists")
        if password is None:  # a caller's mistake (the password validators would fail on None)
            raise TypeError("invitation_accept needs a user or a password.")
        user = _account_create(
            invitation=invitation,
            password=password,
            first_name=first_name,
            last_name=last_name,
            job_title=job_title,
            request=request,
        )
    elif not invitation_is_for(invitation=invitation, user=user):
        raise InvitationError("This invitation was sent to a different email address.", code="wrong_account")

    working_group = invitation.working_group
    membership = Membership.objects.select_for_update().filter(user=user, working_group=working_group).first()
    if membership is not None and membership.status == Membership.Status.INVITED:
        membership.organisation, membership.role = invitation.organisation, invitation.role
        membership.save(update_fields=["organisation", "role", "updated_at"])
        membership = membership_activate(membership=membership)
    elif membership is None or membership.status == Membership.Status.LEFT:
        membership = membership_add(
            user=user, working_group=working_group, organisation=invitation.organisation, role=invitation.role
        )
    else:
        raise InvitationError("You are already a member of this group.", code="member")

    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(action="portal.invitation_accepted", request=request, user=user, invitation=invitation.pk)
    return membership
