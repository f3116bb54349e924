"""The group's member directory, and coordinators' management of memberships.

Every view answers 404 to anyone who may not see (or run) the group, and looks the
membership up within the group from the URL, so another group's ids find nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from .. import services
from ..forms import MembershipRoleForm
from ..models import Membership
from ..permissions import is_coordinator
from ..selectors import group_members
from .common import group_for_coordinator, group_for_member

MANAGEABLE = [Membership.Status.ACTIVE, Membership.Status.SUSPENDED]


@login_required
@require_http_methods(["GET"])
def member_directory(request, group_slug):
    group = group_for_member(request, group_slug=group_slug)
    coordinator = is_coordinator(request.user, group)
    context = {
        "group": group,
        "memberships": group_members(group=group),
        "suspended": group_members(group=group, status=Membership.Status.SUSPENDED) if coordinator else [],
        "can_manage": coordinator,
    }
    return render(request, "groups/people/directory.html", context)


def _membership(request, group_slug, membership_pk):
    group = group_for_coordinator(request, group_slug=group_slug)
    return get_object_or_404(
        Membership.objects.select_related("user", "organisation", "working_group"),
        pk=membership_pk,
        working_group=group,
        status__in=MANAGEABLE,
    )


def _name(membership):
    return membership.user.get_full_name() or membership.user.get_username()


def _back_to(membership):
    return redirect("membership_manage", group_slug=membership.working_group.slug, membership_pk=membership.pk)


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
    label = Membership.Role(role).label.lower()
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
    return redirect("member_directory", group_slug=group_slug)
