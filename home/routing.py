"""The pages Wagtail's routing reads, kept in the shared cache under the site's frame.

Routing `/members/cumbria/` reads one page per level of the path (home.models.HomePage
and groups' `likely_child_type` make it one query a level). The pages change only when
someone edits, publishes, moves or deletes one, and every such change clears the site's
frame (home.signals), whose next version starts a new set here, as breadcrumbs do
(home.frame). So each level found is kept under the frame's version and its URL path,
and the home page reads every level of the request's path from the cache in one go
(`prefetch_route`).

Only the lookups are kept: every check a page makes while routing (its group's privacy,
whether it is live) is made on every request, as before. A path that finds no page is not
kept, so made-up URLs cannot fill the cache.

The view restrictions Wagtail checks before serving a page are kept in the frame, each as
a `KeptViewRestriction`, with the ids of its groups (the members' area uses them:
groups.models).
"""

from dataclasses import dataclass

from django.core.cache import cache

from wagtail.models import PageViewRestriction

ROUTE_SECONDS = 3600  # as the frame's: a change starts a new version at once
_ATTRIBUTE = "portal_routed_pages"


def _key(version, url_path):
    return f"portal:route:{version}:{url_path}"


def breadcrumbs_key(version, url_path):
    """Where home.frame keeps the breadcrumbs of the page at `url_path` under the frame's
    version: read here with the routes, in the same cache read."""
    return f"portal:breadcrumbs:{version}:{url_path}"


_BREADCRUMBS_ATTRIBUTE = "portal_prefetched_breadcrumbs"


def prefetched_breadcrumbs(request, url_path):
    """The breadcrumbs kept for `url_path`, if `prefetch_route` read them; else None."""
    return getattr(request, _BREADCRUMBS_ATTRIBUTE, {}).get(url_path)


def _child_path(parent, slug):
    return f"{parent.url_path}{slug}/"


def prefetch_route(request, root, path_components):
    """Read the kept page of every level of `path_components` below `root` at once, and the
    kept breadcrumbs of each (whichever level is served)."""
    version = getattr(request, "portal_frame_version", None)
    if version is None or not path_components:
        return
    paths, url_path = [], root.url_path
    for component in path_components:
        url_path = f"{url_path}{component}/"
        paths.append(url_path)
    keys = {_key(version, path): path for path in paths}
    crumbs = {breadcrumbs_key(version, path): path for path in paths}
    found = cache.get_many([*keys, *crumbs])
    setattr(request, _ATTRIBUTE, {keys[key]: value for key, value in found.items() if key in keys})
    setattr(request, _BREADCRUMBS_ATTRIBUTE, {crumbs[key]: value for key, value in found.items() if key in crumbs})


def child_page(request, parent, model, slug):
    """`parent`'s child of type `model` with `slug`, or None: kept per frame version."""
    url_path = _child_path(parent, slug)
    kept = getattr(request, _ATTRIBUTE, {}).get(url_path)
    if type(kept) is model and kept.path.startswith(parent.path) and kept.depth == parent.depth + 1:
        return kept
    child = model.objects.child_of(parent).filter(slug=slug).first()
    version = getattr(request, "portal_frame_version", None)
    if child is not None and version is not None and child.url_path == url_path:
        cache.set(_key(version, url_path), child, ROUTE_SECONDS)
    return child


@dataclass(frozen=True)
class KeptViewRestriction:
    """A page view restriction as the frame keeps it: what Wagtail's check
    (`BaseViewRestriction.accept_request`) reads, with its groups' ids, answering as it
    does for the types it stands in for (not shared passwords: see `kept_restrictions`)."""

    id: int
    restriction_type: str
    group_ids: frozenset

    def accept_request(self, request):
        user = request.user
        if self.restriction_type == PageViewRestriction.LOGIN:
            return user.is_authenticated
        if self.restriction_type == PageViewRestriction.GROUPS:
            if user.is_superuser:
                return True
            return bool(self.group_ids & user_group_ids(user))
        return True


def user_group_ids(user):
    """The ids of `user`'s Django groups: as loaded with the person (portal.auth), else asked."""
    known = getattr(user, "portal_group_ids", None)
    if known is not None:
        return known
    if not user.is_authenticated:
        return frozenset()
    return frozenset(user.groups.values_list("pk", flat=True))


def kept_restrictions(kept, paths):
    """The restrictions on the pages at tree paths `paths`, from a frame's
    `view_restrictions` (`request.portal_view_restrictions`); None when one of them is a
    shared password (Wagtail's own check then handles them: its form needs the model)."""
    found = [restriction for path in paths for restriction in kept.get(path, ())]
    if any(restriction.restriction_type == PageViewRestriction.PASSWORD for restriction in found):
        return None
    return found
