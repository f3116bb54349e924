"""The site's frame (site, home page, menu, footer settings) read once and shared.

Every page that is not served from the page cache (every signed-in page, search, forms)
needs the same few things before it renders a word: which Wagtail site answers the host,
its home page (where Wagtail's routing starts), the menu under it and the portal settings
with the footer's page links. Read from the database, that is six to ten queries a
request. They change only when someone edits pages, settings or sites, so they are kept
in the shared cache as one entry per host, and dropped (`clear_frame`) by the same
receivers that clear the page cache (home.signals).

`SiteFrameMiddleware` hands them to Wagtail the ways it looks for them: the site on the
request (`Site.find_for_request`), the settings on the request
(`PortalSettings.for_request`), the site root paths that page URLs are made from (where
`Page.get_url` looks, on the request), the menu for `main_navigation`, and the type of
each of the home page's children, so that routing reads a child in one query
(`HomePage.route`).

Each page's breadcrumbs (its live, public ancestors) change with the same edits, and
reading them is one of the costliest queries a page makes, so they are kept too
(`breadcrumbs`), under the frame's version: a new frame starts a new set.

The site's page view restrictions, with their groups, are part of the frame too: a
private page checks them on every request (home.routing.KeptViewRestriction, used by the
members' area), where Wagtail reads the restrictions and then their groups each time.
"""

import secrets
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Length, Substr
from django.http.request import split_domain_port

from wagtail.models import PageViewRestriction, Site

from .models import PortalSettings
from .routing import KeptViewRestriction, breadcrumbs_key, prefetched_breadcrumbs

FRAME_KEY = "portal:site-frame:4"  # a new number whenever Frame changes shape
FRAME_SECONDS = 3600  # changes clear it at once; this only bounds what a lost clear could leave
FOOTER_PAGES = ("safety_page", "accessibility_page", "privacy_page", "feedback_page")
# Requests that render no page need no frame.
FRAMELESS_PREFIXES = ("/health/", "/static/", "/media/", "/favicon")


@dataclass
class Frame:
    site: Site
    settings: PortalSettings
    navigation: list = field(default_factory=list)
    child_types: dict = field(default_factory=dict)  # the home page's children: slug -> "app.Model"
    site_root_paths: list = field(default_factory=list)  # Site.get_site_root_paths(), for page URLs
    version: str = field(default_factory=lambda: secrets.token_hex(8))  # names this frame's breadcrumbs
    # Every page view restriction: the restricted page's tree path -> its restrictions.
    view_restrictions: dict = field(default_factory=dict)


def _view_restrictions():
    kept = {}
    for restriction in PageViewRestriction.objects.select_related("page").prefetch_related("groups"):
        group_ids = frozenset(group.pk for group in restriction.groups.all())
        kept.setdefault(restriction.page.path, []).append(
            KeptViewRestriction(restriction.pk, restriction.restriction_type, group_ids)
        )
    return kept


def _host_key(request):
    return f"{split_domain_port(request._get_raw_host())[0]}:{request.get_port()}"


def _build(request):
    site = Site._find_for_request(request)
    if site is None:
        return None
    site.root_page = site.root_page.specific
    settings = PortalSettings.for_site(site)
    settings._request = request
    for name in FOOTER_PAGES:
        settings.get_page_url(name)  # filled in now, kept with the settings
    del settings._request
    navigation = list(site.root_page.get_children().live().public().in_menu().only("id", "title", "url_path"))
    child_types = {
        slug: f"{app_label}.{model}"
        for slug, app_label, model in site.root_page.get_children().values_list(
            "slug", "content_type__app_label", "content_type__model"
        )
    }
    return Frame(
        site=site,
        settings=settings,
        navigation=navigation,
        child_types=child_types,
        site_root_paths=Site.get_site_root_paths(),
        view_restrictions=_view_restrictions(),
    )


def frame_for_request(request):
    """The frame for the request's host: from the shared cache, or read and kept there."""
    key = _host_key(request)
    frames = cache.get(FRAME_KEY) or {}
    frame = frames.get(key)
    if frame is None:
        frame = _build(request)
        if frame is None:
            return None
        frames[key] = frame
        cache.set(FRAME_KEY, frames, FRAME_SECONDS)
    return frame


def clear_frame():
    """Forget the frame of every host; called whenever pages, settings or sites change."""
    cache.delete(FRAME_KEY)


class SiteFrameMiddleware:
    """Puts the cached frame where Wagtail and the templates look for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(FRAMELESS_PREFIXES):
            frame = frame_for_request(request)
            if frame is not None:
                request._wagtail_site = frame.site
                frame.settings._request = request
                setattr(request, PortalSettings.get_cache_attr_name(), frame.settings)
                request.portal_navigation = frame.navigation
                request.portal_child_types = frame.child_types
                request._wagtail_cached_site_root_paths = frame.site_root_paths
                request.portal_frame_version = frame.version
                request.portal_view_restrictions = frame.view_restrictions
        return self.get_response(request)


def read_breadcrumbs(page):
    """The live, public ancestors of `page` below the site root, read from the database."""
    # Wagtail's public() reads every view restriction first; this asks in the same query
    # whether a restriction sits on the ancestor or above it (a prefix of its tree path).
    restricted_at_or_above = PageViewRestriction.objects.annotate(
        length=Length("page__path"),
    ).filter(page__path=Substr(OuterRef("path"), 1, F("length")))
    ancestors = page.get_ancestors().filter(depth__gt=1).live().filter(~Exists(restricted_at_or_above))
    return list(ancestors.only("id", "title", "url_path", "depth"))


def breadcrumbs(request, page):
    """`read_breadcrumbs(page)`, kept in the shared cache under the request's frame.

    Anything that could change them (a page saved, moved, published or unpublished, a
    view restriction added or removed) clears the frame, and the next frame has a new
    version, so a kept trail is never read again once it may be wrong.
    """
    version = getattr(request, "portal_frame_version", None)
    if version is None or page.pk is None:
        return read_breadcrumbs(page)
    key = breadcrumbs_key(version, page.url_path)
    ancestors = prefetched_breadcrumbs(request, page.url_path)
    if ancestors is None:
        ancestors = cache.get(key)
    if ancestors is None:
        ancestors = read_breadcrumbs(page)
        cache.set(key, ancestors, FRAME_SECONDS)
    return ancestors


def main_navigation(request):
    """Live, public pages directly under the home page that editors marked 'show in menus'."""
    navigation = getattr(request, "portal_navigation", None)
    if navigation is not None:
        return navigation
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return list(site.root_page.get_children().live().public().in_menu().only("id", "title", "url_path"))
