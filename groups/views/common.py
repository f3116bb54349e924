"""What every members-only view starts with: the working group it is about, or a 404.

Signed-in people who may not see or run a group get 404, the same answer as for a group
that does not exist, so nothing confirms another group's objects exist.
"""

from django.http import Http404

from ..models import WorkingGroupPage
from ..permissions import can_view_group, is_coordinator


def _live_group(**lookup):
    group = WorkingGroupPage.objects.live().filter(**lookup).first()
    if group is None:
        raise Http404
    return group


def group_for_member(request, *, group_slug=None, group_pk=None):
    """The live group (by slug or pk) whose area the signed-in person may see."""
    group = _live_group(**({"slug": group_slug} if group_slug is not None else {"pk": group_pk}))
    if not can_view_group(request.user, group):
        raise Http404
    return group


def group_for_coordinator(request, *, group_slug=None, group_pk=None):
    """The live group (by slug or pk) that the signed-in person coordinates (or administers)."""
    group = _live_group(**({"slug": group_slug} if group_slug is not None else {"pk": group_pk}))
    if not is_coordinator(request.user, group):
        raise Http404
    return group
