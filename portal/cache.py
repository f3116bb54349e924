"""Whole-page caching for anonymous visitors, sent compressed.

Most visitors read public guidance without signing in, so their pages are served from
the `pages` cache (cleared whenever content is published, see home.signals). Anyone
carrying a session cookie, and every non-GET request, bypasses the cache entirely, so a
signed-in person never receives, nor populates, a shared copy.

A page is stored gzip-compressed, once, and sent compressed to every browser that accepts
it (decompressed for the rare one that does not). Only what goes into this cache is
compressed: such a page is the same for every visitor and holds no secret, so compression
cannot leak one (BREACH). Pages with forms or sessions never get here: they are marked
private or never-cache, set cookies, or carry a CSRF token, and are sent as they are.

Messages ("You have signed out") outlive the session in their own cookie, and every
page shows them: a request carrying that cookie is never answered from the cache (the
message would wait for a later page), and a page that showed a message is never stored.
"""

import gzip
import re

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware
from django.utils.cache import patch_vary_headers

# Search is left out: every query would be an entry of its own, and random queries
# could push the guidance pages out of the cache.
NEVER_CACHED_PREFIXES = ("/admin/", "/django-admin/", "/accounts/", "/members/", "/exit/", "/health/", "/search/")

COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/javascript",
    "image/svg+xml",
)
MIN_COMPRESSED_BYTES = 200  # below this, gzip's own header and trailer outweigh the saving
GZIP_LEVEL = 6  # paid once per cached page, not per request
_ACCEPTS_GZIP = re.compile(r"\bgzip\b(?!\s*;\s*q=0(?:\.0*)?\s*(?:,|$))")


def is_cacheable_request(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and not request.path_info.startswith(NEVER_CACHED_PREFIXES)
    )


def accepts_gzip(request):
    return bool(_ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))


def _compressible(response):
    return (
        isinstance(response, HttpResponse)
        and not response.streaming
        and not response.has_header("Content-Encoding")
        and not response.cookies
        and response.get("Content-Type", "").startswith(COMPRESSIBLE_TYPES)
        and len(response.content) >= MIN_COMPRESSED_BYTES
        and b"csrfmiddlewaretoken" not in response.content
    )


def compress(response):
    """gzip the response's body in place (the copy stored in the page cache)."""
    response.content = gzip.compress(response.content, compresslevel=GZIP_LEVEL, mtime=0)
    response["Content-Encoding"] = "gzip"
    response["Content-Length"] = str(len(response.content))
    response.compressed_for_cache = True


def decompress(response):
    """The plain body again, for a client that does not accept gzip."""
    response.content = gzip.decompress(response.content)
    del response["Content-Encoding"]
    response["Content-Length"] = str(len(response.content))


class _CompressingCache:
    """The page cache as UpdateCacheMiddleware sees it: a page is compressed as it is stored.

    Compressing at the moment of storing ties compression to exactly what Django's cache
    middleware decides is shareable (a 200, not private or never-cache, no cookie set).
    """

    def __init__(self, cache):
        self._cache = cache

    def set(self, key, value, timeout):
        if _compressible(value):
            compress(value)
        return self._cache.set(key, value, timeout)

    def __getattr__(self, name):
        return getattr(self._cache, name)


def showed_messages(request):
    """Whether this response read (and so showed) or left behind any message."""
    storage = getattr(request, "_messages", None)
    return storage is not None and (storage.used or bool(storage._queued_messages))


class AnonymousUpdateCacheMiddleware(UpdateCacheMiddleware):
    @property
    def cache(self):
        return _CompressingCache(caches[self.cache_alias])

    def _should_update_cache(self, request, response):
        return (
            is_cacheable_request(request)
            and not showed_messages(request)
            and super()._should_update_cache(request, response)
        )

    def process_response(self, request, response):
        response = super().process_response(request, response)
        stored_now = getattr(request, "_cache_update_cache", False)  # False on a cache hit
        if stored_now and response.__dict__.pop("compressed_for_cache", False):
            # Just stored compressed: the copy sent now must suit this client (and any
            # shared cache on the way must keep the two encodings apart).
            patch_vary_headers(response, ("Accept-Encoding",))
            if not accepts_gzip(request):
                decompress(response)
        return response


class AnonymousFetchFromCacheMiddleware(FetchFromCacheMiddleware):
    def process_request(self, request):
        if not is_cacheable_request(request):
            request._cache_update_cache = False
            return None
        response = super().process_request(request)
        if response is not None and response.get("Content-Encoding") == "gzip":
            patch_vary_headers(response, ("Accept-Encoding",))
            if not accepts_gzip(request):
                decompress(response)
        return response


def clear_page_cache():
    """Forget every cached page; called whenever published content changes."""
    caches[settings.CACHE_MIDDLEWARE_ALIAS].clear()
