"""Whole-page caching for anonymous visitors.

Most visitors read public guidance without signing in, so their pages are served from
the `pages` cache (cleared whenever content is published, see home.signals). Anyone
carrying a session cookie, and every non-GET request, bypasses the cache entirely, so a
signed-in person never receives, nor populates, a shared copy.

Messages ("You have signed out") outlive the session in their own cookie, and every
page shows them: a request carrying that cookie is never answered from the cache (the
message would wait for a later page), and a page that showed a message is never stored.
"""

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware

# Search is left out: every query would be an entry of its own, and random queries
# could push the guidance pages out of the cache.
NEVER_CACHED_PREFIXES = ("/admin/", "/django-admin/", "/accounts/", "/members/", "/exit/", "/health/", "/search/")


def is_cacheable_request(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and not request.path_info.startswith(NEVER_CACHED_PREFIXES)
    )


def showed_messages(request):
    """Whether this response read (and so showed) or left behind any message."""
    storage = getattr(request, "_messages", None)
    return storage is not None and (storage.used or bool(storage._queued_messages))


class AnonymousUpdateCacheMiddleware(UpdateCacheMiddleware):
    def _should_update_cache(self, request, response):
        return (
            is_cacheable_request(request)
            and not showed_messages(request)
            and super()._should_update_cache(request, response)
        )


class AnonymousFetchFromCacheMiddleware(FetchFromCacheMiddleware):
    def process_request(self, request):
        if not is_cacheable_request(request):
            request._cache_update_cache = False
            return None
        return super().process_request(request)


def clear_page_cache():
    """Forget every cached page; called whenever published content changes."""
    caches[settings.CACHE_MIDDLEWARE_ALIAS].clear()
