"""Members' updates: a group's feed, posting, editing, deleting and hiding.

Thin: each view finds the group (404 for outsiders), validates, calls one service or
selector and renders. An update of another group, or a hidden one seen by anyone but a
coordinator, answers 404 exactly like an id that does not exist.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ..membership.selectors import working_group_for_member
from ..permissions import (
    can_change_update,
    can_post_update,
    can_view_update,
    is_coordinator,
    is_own_changeable_update,
    update_edit_deadline,
)
from . import services
from .forms import UpdateFilterForm, UpdateForm
from .selectors import feed_counts, feed_version, group_updates, update_tags
from .services import UpdateError

UPDATES_PER_PAGE = 20
NAV_KEY = "update_list"


def _group_update(request, group_slug, pk):
    """The group and its update `pk`, if the signed-in person may see both; else 404."""
    working_group = working_group_for_member(user=request.user, group_slug=group_slug)
    update = get_object_or_404(group_updates(working_group=working_group, include_hidden=True), pk=pk)
    if not can_view_update(request.user, update):
        raise Http404
    return working_group, update


def _changeable_update(request, group_slug, pk):
    """The update, if the signed-in person may see it; its author past the edit window
    gets a page that says so, anyone else a 404."""
    working_group, update = _group_update(request, group_slug, pk)
    if update.author_id != request.user.pk:
        raise Http404
    if not can_change_update(request.user, update):
        context = {
            "group": working_group,
            "update": update,
            "deadline": update_edit_deadline(update),
            "window_hours": settings.UPDATE_EDIT_WINDOW_HOURS,
        }
        return working_group, update, render(request, "groups/updates/locked.html", context, status=403)
    return working_group, update, None


def _annotate(updates, *, user, coordinator):
    """Mark each update with what the viewer (a member of its group) may do with it."""
    for update in updates:
        update.viewer_can_change = is_own_changeable_update(user, update)
        update.viewer_can_hide = coordinator
    return updates


class _AnnotatedUpdates:
    """A page's updates, read and marked (`_annotate`) only if the page is rendered: a feed
    kept as rendered needs neither."""

    def __init__(self, updates, **annotate):
        self._updates, self._annotate, self._list = updates, annotate, None

    def _read(self):
        if self._list is None:
            self._list = _annotate(list(self._updates), **self._annotate)
        return self._list

    def __iter__(self):
        return iter(self._read())

    def __len__(self):
        return len(self._read())


# The feed's own query parameters: with no others, the rendered feed is the same for every
# viewer it is kept for (pagination links keep the request's parameters).
FEED_PARAMETERS = {"tag", "page"}


def _feed_key(request, *, coordinator, changeable):
    """What the feed, as rendered, is kept under (with the group and page number), or None
    where it is not kept: for coordinators (their hide buttons carry their CSRF token) and
    for other parameters.

    Every other member sees the same feed, except for the Edit and Delete links on their
    own updates still in the edit window: someone with such updates has a feed of their
    own, named by how many there are. Within one generation no update changes, so that
    number only falls, as the oldest leave the window, and says which they are."""
    if coordinator or not set(request.GET) <= FEED_PARAMETERS:
        return None
    query = request.GET.copy()
    query.pop("page", None)
    viewer = f"{request.user.pk}:{changeable}" if changeable else "anyone"
    return f"{feed_version()}:{viewer}:{query.urlencode()}"


@login_required
@require_http_methods(["GET"])
def update_list(request, group_slug):
    working_group = working_group_for_member(user=request.user, group_slug=group_slug)
    coordinator = is_coordinator(request.user, working_group)
    tags = update_tags()
    form = UpdateFilterForm(request.GET or None, tags=tags)
    context = {"group": working_group, "form": form, "tags": tags, "coordinator": coordinator, "nav": NAV_KEY}
    if request.GET and not form.is_valid():
        return render(request, "groups/updates/list.html", context, status=400)
    tag = form.cleaned_data.get("tag") if request.GET else None
    updates = group_updates(working_group=working_group, include_hidden=coordinator, tag=tag)
    total, changeable = feed_counts(updates=updates, user=request.user)
    paginator = Paginator(updates, UPDATES_PER_PAGE)
    paginator.count = total  # counted with the viewer's own changeable updates
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = _AnnotatedUpdates(page.object_list, user=request.user, coordinator=coordinator)
    feed_key = _feed_key(request, coordinator=coordinator, changeable=changeable)
    # Not `page`: the layout takes that for the Wagtail page being shown.
    context.update(feed_page=page, tag=tag, feed_key=feed_key)
    return render(request, "groups/updates/list.html", context)


@login_required
@require_http_methods(["GET"])
def update_detail(request, group_slug, pk):
    working_group, update = _group_update(request, group_slug, pk)
    _annotate([update], user=request.user, coordinator=is_coordinator(request.user, working_group))
    return render(request, "groups/updates/detail.html", {"group": working_group, "update": update, "nav": NAV_KEY})


@login_required
@require_http_methods(["GET", "POST"])
def update_create(request, group_slug):
    working_group = working_group_for_member(user=request.user, group_slug=group_slug)
    if not can_post_update(request.user, working_group):
        raise Http404
    form = UpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            update = services.update_post(working_group=working_group, author=request.user, **form.cleaned_data)
        except UpdateError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your update has been posted.")
            return redirect(update.get_absolute_url())
    context = {"group": working_group, "form": form, "nav": NAV_KEY, "editing": False}
    return render(request, "groups/updates/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def update_edit(request, group_slug, pk):
    working_group, update, refusal = _changeable_update(request, group_slug, pk)
    if refusal:
        return refusal
    initial = {"title": update.title, "body": update.body, "tags": list(update.tags.all())}
    form = UpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update = services.update_edit(update=update, editor=request.user, **form.cleaned_data)
        except UpdateError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your update has been changed.")
            return redirect(update.get_absolute_url())
    context = {
        "group": working_group,
        "update": update,
        "form": form,
        "nav": NAV_KEY,
        "editing": True,
        "deadline": update_edit_deadline(update),
    }
    return render(request, "groups/updates/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def update_delete(request, group_slug, pk):
    working_group, update, refusal = _changeable_update(request, group_slug, pk)
    if refusal:
        return refusal
    if request.method == "POST":
        try:
            services.update_delete(update=update, deleted_by=request.user, request=request)
        except UpdateError as error:
            messages.error(request, error.messages[0])
            return redirect(update.get_absolute_url())
        messages.success(request, f"Your update “{update.title}” has been deleted.")
        return redirect("groups:update_list", group_slug=working_group.slug)
    return render(request, "groups/updates/delete.html", {"group": working_group, "update": update, "nav": NAV_KEY})


def _coordinated_update(request, group_slug, pk):
    working_group = working_group_for_member(user=request.user, group_slug=group_slug)
    if not is_coordinator(request.user, working_group):
        raise Http404
    return get_object_or_404(group_updates(working_group=working_group, include_hidden=True), pk=pk)


@login_required
@require_POST
def update_hide(request, group_slug, pk):
    update = _coordinated_update(request, group_slug, pk)
    services.update_hide(update=update, hidden_by=request.user, request=request)
    messages.success(request, f"“{update.title}” is hidden: only coordinators can see it.")
    return redirect(update.get_absolute_url())


@login_required
@require_POST
def update_unhide(request, group_slug, pk):
    update = _coordinated_update(request, group_slug, pk)
    services.update_unhide(update=update, unhidden_by=request.user, request=request)
    messages.success(request, f"“{update.title}” is shown to the group's members again.")
    return redirect(update.get_absolute_url())
