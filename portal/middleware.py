"""Response headers that Django's SecurityMiddleware does not set itself."""

from csp.middleware import CSPMiddleware

from django.conf import settings
from django.utils.cache import patch_cache_control, patch_vary_headers


class SecurityHeadersMiddleware:
    """Adds Permissions-Policy and keeps responses for signed-in people out of every cache.

    A page seen with a session must never be stored by a proxy, nor kept in the
    browser's cache on a shared computer, where the next person could open it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        cookie = settings.SESSION_COOKIE_NAME
        if cookie in request.COOKIES or cookie in response.cookies:
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
