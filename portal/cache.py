"""Whole-page caching for anonymous visitors.

Most visitors read public guidance without signing in, so their pages are served from
the `pages` cache (cleared whenever content is published, see home.signals). Anyone
carrying a session cookie, and every non-GET request, bypasses the cache entirely, so a
signed-in person never receives, nor populates, a shared copy.
"""

from django.conf import settings
from django.core.cache import caches
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware

# Search is left out: every query would be an entry of its own, and random queries
# could push the guidance pages out of the cache.
NEVER_CACHED_PREFIXES = ("/admin/", "/django-admin/", "/accounts/", "/members/", "/exit/", "/health/", "/search/")


def is_cacheable_request(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path_info.startswith(NEVER_CACHED_PREFIXES)
    )


class AnonymousUpdateCacheMiddleware(UpdateCacheMiddleware):
    def _should_update_cache(self, request, response):
        return is_cacheable_request(request) and super()._should_update_cache(request, response)


class AnonymousFetchFromCacheMiddleware(FetchFromCacheMiddleware):
    def process_request(self, request):
        if not is_cacheable_request(request):
            request._cache_update_cache = False
            return None
        return super().process_request(request)


def clear_page_cache():
    """Forget every cached page; called whenever published content changes."""
    caches[settings.CACHE_MIDDLEWARE_ALIAS].clear()
