"""Membership views: invitations, the group's member directory and coordinators'
management of memberships.

Thin: each validates its input, calls one service and renders. Private objects answer
404 to anyone who may not see (or run) the group, and objects are looked up within the
group from the URL, so another group's ids find nothing and a group's invitations are
never confirmed to exist from outside.
"""

from allauth.account.internal.flows.login import perform_password_login
from allauth.account.models import Login
from allauth.core import ratelimit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from ..enums import InvitationStatus, MembershipRole, MembershipStatus
from ..permissions import is_coordinator
from . import services
from .forms import InvitationAcceptForm, InvitationForm, MembershipRoleForm
from .selectors import (
    group_members,
    invitation_for_token,
    invitation_organisations,
    pending_invitations,
    working_group_for_coordinator,
    working_group_for_member,
    working_group_invitation,
    working_group_membership,
)
from .services import InvitationError

MEMBERS_AREA_URL = "/members/"
# Statuses answered with 410 Gone: the link was real but cannot be used again.
GONE = {InvitationStatus.EXPIRED, InvitationStatus.ACCEPTED, InvitationStatus.CANCELLED}


TOO_MANY_INVITATIONS = "You have sent a lot of invitations in a short time. Please wait an hour and try again."
TOO_MANY_FOR_ADDRESS = (
    "This address has been sent several invitations today. Please wait until tomorrow, "
    "or ask them to look for the latest one in their inbox (and spam folder)."
)


def _invitation_rate_limited(request, email):
    """Why another invitation to `email` may not be sent now (ACCOUNT_RATE_LIMITS "invitation"
    per coordinator, "invitation_address" per address), or None. Counted in the shared
    cache by allauth's rate limiter, as sign-ins and feedback are."""
    if not ratelimit.consume(request, action="invitation"):
        return TOO_MANY_INVITATIONS
    if not ratelimit.consume(request, action="invitation_address", key=email.strip().lower()):
        return TOO_MANY_FOR_ADDRESS
    return None


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request, group_slug):
    working_group = working_group_for_coordinator(user=request.user, group_slug=group_slug)
    form = InvitationForm(
        request.POST or None,
        group_title=working_group.title,
        organisations=invitation_organisations(working_group=working_group),
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        limited = _invitation_rate_limited(request, form.cleaned_data["email"])
        if limited:
            form.add_error(None, limited)
            status = 429
        else:
            try:
                invitation, _token = services.invitation_create(
                    working_group=working_group, invited_by=request.user, request=request, **form.cleaned_data
                )
            except InvitationError as error:
                form.add_error("email" if error.code in ("member", "privileged") else None, error)
            else:
                messages.success(request, f"Invitation sent to {invitation.email}.")
                return redirect("groups:invitation_list", group_slug=working_group.slug)
    return render(request, "groups/invitations/create.html", {"group": working_group, "form": form}, status=status)


@login_required
@require_http_methods(["GET"])
def invitation_list(request, group_slug):
    working_group = working_group_for_coordinator(user=request.user, group_slug=group_slug)
    invitations = pending_invitations(working_group=working_group)
    return render(request, "groups/invitations/list.html", {"group": working_group, "invitations": invitations})


def _group_invitation(request, group_slug, invitation_pk):
    working_group = working_group_for_coordinator(user=request.user, group_slug=group_slug)
    return working_group_invitation(working_group=working_group, invitation_pk=invitation_pk)


@login_required
@require_POST
def invitation_resend(request, group_slug, invitation_pk):
    invitation = _group_invitation(request, group_slug, invitation_pk)
    limited = _invitation_rate_limited(request, invitation.email)
    if limited:
        messages.error(request, limited)
        return redirect("groups:invitation_list", group_slug=group_slug)
    try:
        invitation, _token = services.invitation_resend(invitation=invitation, sent_by=request.user, request=request)
    except InvitationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Invitation sent again to {invitation.email}. The earlier link no longer works.")
    return redirect("groups:invitation_list", group_slug=group_slug)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_cancel(request, group_slug, invitation_pk):
    """GET asks for confirmation (a page of its own, so it works without JavaScript);
    POST cancels."""
    invitation = _group_invitation(request, group_slug, invitation_pk)
    if request.method == "GET":
        if invitation.status != InvitationStatus.PENDING:
            messages.info(request, f"The invitation to {invitation.email} is no longer waiting for a reply.")
            return redirect("groups:invitation_list", group_slug=group_slug)
        return render(
            request, "groups/invitations/cancel.html", {"group": invitation.working_group, "invitation": invitation}
        )
    try:
        services.invitation_cancel(invitation=invitation, cancelled_by=request.user)
    except InvitationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Invitation to {invitation.email} cancelled.")
    return redirect("groups:invitation_list", group_slug=group_slug)


def _problem(request, problem, invitation=None, status=200):
    context = {"problem": problem, "invitation": invitation}
    return render(request, "groups/invitations/problem.html", context, status=status)


@never_cache  # Holds a token in its URL and, signed out, a form: never stored by any cache.
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """Accept an invitation: give a name, job title and password for a new account, or
    join as the signed-in one."""
    invitation = invitation_for_token(token)
    if invitation is None:  # Unknown or tampered: the same answer for both.
        return _problem(request, "unknown", status=404)
    if invitation.status in GONE:
        return _problem(request, invitation.status, invitation, status=410)

    user = request.user
    if user.is_authenticated:
        if not services.invitation_is_for(invitation=invitation, user=user):
            return _problem(request, "wrong_account", invitation, status=403)
        if request.method == "POST":
            try:
                membership = services.invitation_accept(invitation=invitation, user=user, request=request)
            except InvitationError as error:
                return _problem(request, error.code, invitation, status=410 if error.code in GONE else 200)
            return redirect(membership.working_group.url or MEMBERS_AREA_URL)
        return render(request, "groups/invitations/confirm.html", {"invitation": invitation})

    if services.invitation_account_exists(invitation=invitation):
        return render(request, "groups/invitations/sign_in.html", {"invitation": invitation})
    if services.invitation_needs_administrator(invitation=invitation):
        return _problem(request, "privileged", invitation)

    form = InvitationAcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.invitation_accept(
                invitation=invitation,
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                job_title=form.cleaned_data["job_title"],
                request=request,
            )
        except InvitationError as error:
            return _problem(request, error.code, invitation, status=410 if error.code in GONE else 200)
        except ValidationError as error:  # The password rules, checked again by the service.
            form.add_error("password1", error)
        else:
            # allauth's own sign-in flow, so the session records a password sign-in (the
            # adapter then lets the new account set up MFA without a second password).
            # The MFA middleware sends them from their new group to set up an
            # authenticator, and they land in the group once it is set up.
            new_user = membership.user
            login = Login(
                user=new_user, redirect_url=membership.working_group.url or MEMBERS_AREA_URL, email=new_user.email
            )
            return perform_password_login(request, {"email": new_user.email}, login)
    return render(request, "groups/invitations/accept.html", {"invitation": invitation, "form": form})


# The member directory and memberships

MANAGEABLE = [MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED]


@login_required
@require_http_methods(["GET"])
def member_directory(request, group_slug):
    working_group = working_group_for_member(user=request.user, group_slug=group_slug)
    coordinator = is_coordinator(request.user, working_group)
    context = {
        "group": working_group,
        "memberships": group_members(working_group=working_group),
        "suspended": group_members(working_group=working_group, status=MembershipStatus.SUSPENDED)
        if coordinator
        else [],
        "can_manage": coordinator,
    }
    return render(request, "groups/people/directory.html", context)


def _membership(request, group_slug, membership_pk):
    working_group = working_group_for_coordinator(user=request.user, group_slug=group_slug)
    return working_group_membership(working_group=working_group, membership_pk=membership_pk, statuses=MANAGEABLE)


def _name(membership):
    return membership.user.get_full_name() or membership.user.get_username()


def _back_to(membership):
    return redirect("groups:membership_manage", group_slug=membership.working_group.slug, membership_pk=membership.pk)


@login_required
@require_http_methods(["GET"])
def membership_manage(request, group_slug, membership_pk):
    membership = _membership(request, group_slug, membership_pk)
    form = MembershipRoleForm(initial={"role": membership.role})
    return render(request, "groups/people/manage.html", {"membership": membership, "form": form})


def _change(request, membership, service, success, **kwargs):
    try:
        service(membership=membership, actor=request.user, request=request, **kwargs)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, success)


@login_required
@require_POST
def membership_role(request, group_slug, membership_pk):
    membership = _membership(request, group_slug, membership_pk)
    form = MembershipRoleForm(request.POST)
    if not form.is_valid():
        return render(request, "groups/people/manage.html", {"membership": membership, "form": form}, status=400)
    role = form.cleaned_data["role"]
    name = _name(membership)
    label = MembershipRole(role).label.lower()
    _change(request, membership, services.membership_change_role, f"{name} is now a {label}.", role=role)
    return _back_to(membership)


@login_required
@require_POST
def membership_suspend(request, group_slug, membership_pk):
    membership = _membership(request, group_slug, membership_pk)
    _change(
        request,
        membership,
        services.membership_suspend,
        f"{_name(membership)} is suspended and can no longer see the group.",
    )
    return _back_to(membership)


@login_required
@require_POST
def membership_reinstate(request, group_slug, membership_pk):
    membership = _membership(request, group_slug, membership_pk)
    _change(request, membership, services.membership_reinstate, f"{_name(membership)} can see the group again.")
    return _back_to(membership)


@login_required
@require_http_methods(["GET", "POST"])
def membership_remove(request, group_slug, membership_pk):
    membership = _membership(request, group_slug, membership_pk)
    if request.method == "GET":
        return render(request, "groups/people/remove.html", {"membership": membership})
    name = _name(membership)
    try:
        services.membership_leave(membership=membership, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return _back_to(membership)
    messages.success(request, f"{name} has been removed from the group. Their past notes and actions keep their name.")
    return redirect("groups:member_directory", group_slug=group_slug)
