"""Site-wide request and response rules: security headers, session timeouts, MFA, and
the portal's own error pages on a development machine."""

import re
import time
from functools import cache
from urllib.parse import urlencode

from csp.middleware import CSPMiddleware

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core import signals
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect
from django.urls import get_resolver, get_urlconf, reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.log import log_response

from .auth import has_mfa


@cache
def _sessionless_patterns(patterns):
    return [re.compile(pattern) for pattern in patterns]


def is_sessionless(request):
    """Whether the URL is authenticated by a token alone (settings.SESSIONLESS_PATH_PATTERNS)."""
    patterns = _sessionless_patterns(tuple(getattr(settings, "SESSIONLESS_PATH_PATTERNS", ())))
    return any(pattern.match(request.path_info) for pattern in patterns)


class SecurityHeadersMiddleware:
    """Adds Permissions-Policy and keeps responses for signed-in people out of every cache.

    A page seen with a session must never be stored by a proxy, nor kept in the
    browser's cache on a shared computer, where the next person could open it; nor
    must any account, members' or admin page, signed in or not.
    """

    private_prefixes = ("/accounts/", "/members/", "/admin/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        cookie = settings.SESSION_COOKIE_NAME
        private_area = request.path_info.startswith(self.private_prefixes)
        if private_area or cookie in request.COOKIES or cookie in response.cookies:
            patch_cache_control(response, private=True, no_store=True)
            patch_vary_headers(response, ["Cookie"])
        return response


class PortalCSPMiddleware(CSPMiddleware):
    """The site's strict policy everywhere, loosened only inside the Wagtail admin.

    Wagtail's admin still relies on inline scripts and styles, so `/admin/` gets
    'unsafe-inline' for those two directives and nothing else; the public site never does.
    """

    admin_update = {"script-src": ["'unsafe-inline'"], "style-src": ["'unsafe-inline'"]}

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith("/admin/") and not report_only:
            parts.update = {**(parts.update or {}), **self.admin_update}
        return parts


class SessionTimeoutMiddleware:
    """Ends a signed-in session a fixed time after sign-in, however active it has been.

    The idle timeout is Django's own (SESSION_COOKIE_AGE, renewed by each request, and
    written back at most once a minute: see portal.sessions); this adds the absolute one,
    so a stolen or forgotten session cannot live for ever. It writes to the session only
    once, to record the sign-in time.
    """

    key = "portal_signed_in_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_sessionless(request) and request.user.is_authenticated:
            now = int(time.time())
            signed_in_at = request.session.setdefault(self.key, now)
            if now - signed_in_at > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


# The page someone was going to when they were sent to set up MFA: where "Continue" from
# their new recovery codes takes them (portal.accounts.recovery_codes_saved).
MFA_SETUP_NEXT_SESSION_KEY = "portal_mfa_setup_next"


class MFARequiredMiddleware:
    """Sends any signed-in account without MFA to set it up before anything else.

    allauth offers MFA but does not enforce it; every account here guards safeguarding
    information, so only the account pages (to set MFA up, or sign out), quick exit and
    static files are reachable until an authenticator is added.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path_info.startswith(settings.MFA_EXEMPT_PATH_PREFIXES)
            and not is_sessionless(request)
            and not has_mfa(user)
        ):
            going_to = request.get_full_path()
            if request.method == "GET":
                # allauth's set-up pages drop `next` (activation always leads to the
                # recovery codes), so the session keeps it for the codes' "Continue".
                request.session[MFA_SETUP_NEXT_SESSION_KEY] = going_to
            return redirect(f"{reverse('mfa_activate_totp')}?{urlencode({'next': going_to})}")
        return self.get_response(request)


class DevelopmentErrorPagesMiddleware:
    """With DEBUG on (`make run`), answers a missing page or a failure with the portal's
    own error pages, as production does, instead of Django's technical pages, which list
    every URL pattern and show settings and source. A developer who wants those sets
    DJANGO_DEBUG_PAGES=1 (settings.DEBUG_PAGES). The traceback of a failure is still
    logged to the console. With DEBUG off it does nothing: Django's handlers answer.

    Last in MIDDLEWARE, so that the page it answers with passes through every other
    middleware (security headers) like any other response. (django-csp adds no policy to
    a 404 or 500 while DEBUG is on, for the sake of Django's technical pages.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def _active():
        return settings.DEBUG and not settings.DEBUG_PAGES

    def __call__(self, request):
        response = self.get_response(request)
        if self._active() and response.status_code == 404 and request.resolver_match is None:
            # No URL pattern matched, so no view ran: Django answered with its technical page.
            response = get_resolver(get_urlconf()).resolve_error_handler(404)(request, exception=Http404())
        return response

    def process_exception(self, request, exception):
        # PermissionDenied and unreadable uploads get the portal's pages even with DEBUG on.
        if not self._active() or isinstance(exception, (PermissionDenied, MultiPartParserError)):
            return None
        resolver = get_resolver(get_urlconf())
        if isinstance(exception, Http404):
            return resolver.resolve_error_handler(404)(request, exception=exception)
        if isinstance(exception, (BadRequest, SuspiciousOperation)):
            response = resolver.resolve_error_handler(400)(request, exception=exception)
        else:
            signals.got_request_exception.send(sender=None, request=request)
            response = resolver.resolve_error_handler(500)(request)
        log_response(
            "%s: %s", response.reason_phrase, request.path, response=response, request=request, exception=exception
        )
        return response
