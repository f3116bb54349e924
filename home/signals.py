"""Clear cached public pages whenever what they show changes.

Anonymous visitors are served whole pages from a cache (portal.cache). Any published
page, library entry or setting can appear on many pages (menus, lists, search), so any
such change clears them all: publishing is rare and the cache refills on the next visit.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished

from portal.cache import clear_page_cache
from resources.models import Audience, Resource, SupportService, Topic

from .models import PortalSettings

CACHED_CONTENT = (Page, PageViewRestriction, Redirect, SupportService, Resource, Topic, Audience, PortalSettings)


@receiver(page_published)
@receiver(page_unpublished)
def page_changed(sender, **kwargs):
    clear_page_cache()


@receiver(post_save)
@receiver(post_delete)
def content_changed(sender, **kwargs):
    # issubclass, not membership: page types are subclasses of Page. Migrations send
    # these signals with historical models, which are no subclasses and are ignored.
    if isinstance(sender, type) and issubclass(sender, CACHED_CONTENT):
        clear_page_cache()
