"""Members' views of a group's meetings and actions that are not Wagtail pages: the
meeting index, an action's page (status, history and the update form), and the
calendar feed with the page to find and reset its address.

Outsiders get 404 everywhere, like a group that does not exist. The feed is the one
view that is not signed in: its secret token alone says who is asking.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..membership.selectors import live_working_group, working_group_for_member
from ..permissions import can_update_action
from . import services
from .calendar import group_calendar
from .forms import ActionStatusForm
from .selectors import action_history, group_action, meetings_for_index


@login_required
@require_GET
def meeting_index(request, group_slug):
    working_group = working_group_for_member(user=request.user, group_slug=group_slug)
    upcoming, past_by_year = meetings_for_index(working_group=working_group)
    return render(
        request,
        "groups/meetings/index.html",
        {"group": working_group, "upcoming": upcoming, "past_by_year": past_by_year},
    )


def _group_action(working_group, pk):
    """An action of one of the group's live meetings, or 404 (another group's id included)."""
    action = group_action(working_group=working_group, pk=pk)
    if action is None:
        raise Http404
    return action


@login_required
@require_http_methods(["GET", "POST"])
def action_detail(request, group_slug, pk):
    """An action with its history; its owner and the coordinators may change its status."""
    working_group = working_group_for_member(user=request.user, group_slug=group_slug)
    action = _group_action(working_group, pk)
    can_update = can_update_action(request.user, action, working_group=working_group)
    form = None
    if can_update:
        form = ActionStatusForm(request.POST if request.method == "POST" else None, initial={"status": action.status})
    if request.method == "POST":
        if not can_update:
            raise Http404
        if form.is_valid():
            try:
                services.action_status_change(action=action, user=request.user, **form.cleaned_data)
            except PermissionDenied as error:  # lost the right since the page was read
                raise Http404 from error
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, "Action updated.")
                return redirect("groups:action_detail", group_slug=working_group.slug, pk=action.pk)
    return render(
        request,
        "groups/meetings/action.html",
        {"group": working_group, "action": action, "form": form, "history": action_history(action=action)},
    )


@login_required
@require_GET
def meeting_calendar(request, group_slug):
    """Where a member finds the address of the group's calendar feed (and can reset it)."""
    working_group = working_group_for_member(user=request.user, group_slug=group_slug)
    feed = services.calendar_feed_for(user=request.user)
    feed_url = request.build_absolute_uri(
        reverse("groups:meeting_calendar_feed", kwargs={"group_slug": working_group.slug, "token": feed.token})
    )
    return render(request, "groups/meetings/calendar.html", {"group": working_group, "feed_url": feed_url})


@login_required
@require_POST
def meeting_calendar_reset(request, group_slug):
    working_group = working_group_for_member(user=request.user, group_slug=group_slug)
    services.calendar_feed_reset(user=request.user)
    messages.success(request, "Your calendar address has been changed. The old address no longer works.")
    return redirect("groups:meeting_calendar", group_slug=working_group.slug)


@require_GET
def meeting_calendar_feed(request, group_slug, token):
    """The group's meetings as iCalendar, for the member whose secret token is in the URL.

    Never by session: the token alone authenticates, and stops working when the member
    resets it or leaves the group. Every failure is the same 404.
    """
    working_group = live_working_group(group_slug=group_slug)
    if working_group is None or services.calendar_feed_user(token=token, working_group=working_group) is None:
        raise Http404
    response = HttpResponse(
        group_calendar(working_group=working_group, request=request), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{working_group.slug}-meetings.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
