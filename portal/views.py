"""Views that belong to the whole site rather than one app."""

from django.contrib.auth import logout
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from wagtail.admin.auth import require_admin_access
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.models import Page, Site

from home.models import PortalSettings

DEFAULT_EXIT_URL = "https://www.bbc.co.uk/weather"


@never_cache
def quick_exit(request):
    """Leave the site at once: end any session, ask the browser to forget this site, go.

    Reached by a plain link (so it works without JavaScript) or by the quick-exit script,
    which uses location.replace so that Back does not return here. It ends a session on
    GET on purpose: leaving must take one click, and logging someone out is harmless.
    """
    try:
        site = Site.find_for_request(request)
        destination = PortalSettings.for_site(site).quick_exit_url if site else DEFAULT_EXIT_URL
    except Exception:  # A broken database must never stop someone leaving.
        destination = DEFAULT_EXIT_URL
    if hasattr(request, "session"):
        logout(request)
    response = HttpResponseRedirect(destination)
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_safe
def health_live(request):
    """The process answers. Also the minimal view `make bench` compares pages against."""
    return HttpResponse("ok", content_type="text/plain")


@require_safe
@never_cache
def health_ready(request):
    """The process can reach its database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


def _error(template, status):
    def view(request, exception=None):
        return render(request, template, status=status)

    return view


bad_request = _error("400.html", 400)
permission_denied = _error("403.html", 403)
page_not_found = _error("404.html", 404)


def server_error(request):
    return render(request, "500.html", status=500)


_wagtail_confirm_workflow_cancellation = page_viewset_registry.as_view(
    "confirm_workflow_cancellation", page_id_kwarg="page_id"
)


@require_admin_access
def confirm_workflow_cancellation(request, page_id):
    """Wagtail's view, but only for pages the person may edit.

    Wagtail's own answers any admin user about any page id, so an editor could learn
    that a page in a working group's private area exists; here it is a 404 instead.
    """
    page = get_object_or_404(Page, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise Http404
    return _wagtail_confirm_workflow_cancellation(request, page_id=page_id)
