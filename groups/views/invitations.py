"""Views for the members' area that are not Wagtail pages: invitations.

Thin: each validates its input, calls one service and renders. Private objects answer
404 to anyone who may not manage them, so a group's invitations are never confirmed
to exist from outside.
"""

from allauth.account.internal.flows.login import perform_password_login
from allauth.account.models import Login

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from .. import services
from ..forms import InvitationAcceptForm, InvitationForm
from ..invitations import invitation_for_token
from ..models import Invitation
from ..services import InvitationError
from .common import group_for_coordinator

MEMBERS_AREA_URL = "/members/"
# Statuses answered with 410 Gone: the link was real but cannot be used again.
GONE = {Invitation.Status.EXPIRED, Invitation.Status.ACCEPTED, Invitation.Status.CANCELLED}


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request, group_pk):
    group = group_for_coordinator(request, group_pk=group_pk)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.invitation_create(
                group=group, invited_by=request.user, request=request, **form.cleaned_data
            )
        except InvitationError as error:
            form.add_error("email" if error.code == "member" else None, error)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("invitation_list", group_pk=group.pk)
    return render(request, "groups/invitations/create.html", {"group": group, "form": form})


@login_required
@require_http_methods(["GET"])
def invitation_list(request, group_pk):
    group = group_for_coordinator(request, group_pk=group_pk)
    invitations = Invitation.objects.pending().filter(working_group=group).select_related("organisation")
    return render(request, "groups/invitations/list.html", {"group": group, "invitations": invitations})


def _group_invitation(request, group_pk, invitation_pk):
    group = group_for_coordinator(request, group_pk=group_pk)
    return get_object_or_404(Invitation, pk=invitation_pk, working_group=group)


@login_required
@require_POST
def invitation_resend(request, group_pk, invitation_pk):
    invitation = _group_invitation(request, group_pk, invitation_pk)
    try:
        invitation, _token = services.invitation_resend(invitation=invitation, sent_by=request.user, request=request)
    except InvitationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Invitation sent again to {invitation.email}. The earlier link no longer works.")
    return redirect("invitation_list", group_pk=group_pk)


@login_required
@require_POST
def invitation_cancel(request, group_pk, invitation_pk):
    invitation = _group_invitation(request, group_pk, invitation_pk)
    try:
        services.invitation_cancel(invitation=invitation, cancelled_by=request.user)
    except InvitationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Invitation to {invitation.email} cancelled.")
    return redirect("invitation_list", group_pk=group_pk)


def _problem(request, problem, invitation=None, status=200):
    context = {"problem": problem, "invitation": invitation}
    return render(request, "groups/invitations/problem.html", context, status=status)


@never_cache  # Holds a token in its URL and, signed out, a form: never stored by any cache.
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """Accept an invitation: set a password for a new account, or join as the signed-in one."""
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

    form = InvitationAcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.invitation_accept(
                invitation=invitation, password=form.cleaned_data["password1"], request=request
            )
        except InvitationError as error:
            return _problem(request, error.code, invitation, status=410 if error.code in GONE else 200)
        except ValidationError as error:  # The password rules, checked again by the service.
            form.add_error("password1", error)
        else:
            # allauth's own sign-in flow, so the session records a password sign-in (the
            # adapter then lets the new account set up MFA without a second password).
            # The MFA middleware sends them to set up an authenticator from /members/.
            new_user = membership.user
            login = Login(user=new_user, redirect_url=MEMBERS_AREA_URL, email=new_user.email)
            return perform_password_login(request, {"email": new_user.email}, login)
    return render(request, "groups/invitations/accept.html", {"invitation": invitation, "form": form})
