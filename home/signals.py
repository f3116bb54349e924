"""Clear cached public pages, and the site's cached frame, whenever what they show changes.

Anonymous visitors are served whole pages from a cache (portal.cache). Any published
page, library entry or setting can appear on many pages (menus, lists, search), so any
such change clears them all: publishing is rare and the cache refills on the next visit.

The receivers are connected per model (`connect_page_cache_receivers`, from
`HomeConfig.ready`) for exactly the models whose rows public pages show, rather than
to every save of every model.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Collection, Page, PageViewRestriction, Site, get_page_models
from wagtail.signals import page_published, page_unpublished

from portal.cache import clear_page_cache
from resources.models import Audience, Resource, SupportService, Topic

from .frame import clear_frame
from .models import PortalSettings

CACHED_CONTENT = (PageViewRestriction, Redirect, SupportService, Resource, Topic, Audience, PortalSettings, Site)


def _clear_frame():
    """Now, and again after the commit: a request that read the old rows meanwhile must not
    keep them in a new frame."""
    clear_frame()
    transaction.on_commit(clear_frame)


def page_changed(sender, **kwargs):
    clear_page_cache()
    _clear_frame()


def content_changed(sender, **kwargs):
    clear_page_cache()
    _clear_frame()


def frame_changed(sender, **kwargs):
    _clear_frame()


def restriction_groups_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        _clear_frame()


def connect_page_cache_receivers():
    """Clear the cache on publishing and unpublishing, and on any save or delete of a
    page (every page type: Django sends a save with the concrete model) or of the other
    cached content."""
    page_published.connect(page_changed, dispatch_uid="home_page_cache_published")
    page_unpublished.connect(page_changed, dispatch_uid="home_page_cache_unpublished")
    models = {Page, *get_page_models(), *CACHED_CONTENT}
    for model in models:
        uid = f"home_page_cache_{model._meta.label_lower}"
        post_save.connect(content_changed, sender=model, dispatch_uid=f"{uid}_save")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"{uid}_delete")
    # Pages kept for routing hold their collection (a working group's documents); deleting
    # one unlinks it from its page without a save of the page.
    for signal in (post_save, post_delete):
        signal.connect(frame_changed, sender=Collection, dispatch_uid=f"home_frame_collection_{signal is post_save}")
    # The frame keeps each view restriction's groups, which change without a save.
    m2m_changed.connect(
        restriction_groups_changed,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="home_frame_view_restriction_groups",
    )
