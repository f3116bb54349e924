"""What the trend views start with: the working group they are about, or a 404.

The other features' views call `groups.membership.selectors` directly; this keeps the
trend views' `request`-first calls until they move into their own package.
"""

from ..membership.selectors import working_group_for_coordinator, working_group_for_member


def group_for_member(request, *, group_slug):
    """The live working group whose area the signed-in person may see, or 404."""
    return working_group_for_member(user=request.user, group_slug=group_slug)


def group_for_coordinator(request, *, group_slug):
    """The live working group that the signed-in person coordinates (or administers), or 404."""
    return working_group_for_coordinator(user=request.user, group_slug=group_slug)
