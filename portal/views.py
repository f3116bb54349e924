"""Views that belong to the whole site rather than one app."""

import hmac
import logging
import os
import time
import uuid

from django_prometheus.exports import ExportToDjangoView
from django_tasks import task_backends
from django_tasks.backends.immediate import ImmediateBackend

from django.conf import settings
from django.contrib.auth import logout
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from wagtail.admin.auth import require_admin_access
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.models import Page, Site

from home.models import PortalSettings

from .models import OutboundEmail
from .schedule import HEARTBEAT_CACHE_KEY

logger = logging.getLogger("portal.health")

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


def _database_ready() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return True


def _cache_ready() -> bool:
    key, value = f"portal:health:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=30)
    ready = cache.get(key) == value
    cache.delete(key)
    return ready


def _storage_ready() -> bool:
    """The document storage answers: a local directory that can be written to, or (object
    storage) a request to the bucket that would fail on a missing bucket or bad credentials."""
    try:
        location = default_storage.path("")
    except NotImplementedError:
        default_storage.exists("health-check")
        return True
    # Not created yet on a new site: the storage creates it, in the nearest folder that is.
    while not os.path.exists(location) and os.path.dirname(location) != location:
        location = os.path.dirname(location)
    return os.path.isdir(location) and os.access(location, os.W_OK)


def _worker_ready() -> bool:
    """The scheduler and the worker ran the heartbeat job lately. With the immediate task
    backend (tests, some development set-ups) tasks run in the request: there is no worker."""
    if isinstance(task_backends["default"], ImmediateBackend):
        return True
    beat = cache.get(HEARTBEAT_CACHE_KEY)
    return beat is not None and time.time() - beat <= settings.HEALTH_HEARTBEAT_MAX_AGE_SECONDS


def _outbox_ready() -> bool:
    """No email has waited to be sent for longer than HEALTH_OUTBOX_MAX_AGE_SECONDS."""
    oldest = (
        OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return oldest is None or (timezone.now() - oldest).total_seconds() <= settings.HEALTH_OUTBOX_MAX_AGE_SECONDS


READINESS_CHECKS = {
    "database": _database_ready,
    "cache": _cache_ready,
    "storage": _storage_ready,
    "worker": _worker_ready,
    "outbox": _outbox_ready,
}


@require_safe
@never_cache
def health_ready(request):
    """The process can reach its database, cache and document storage, the worker runs,
    and email is being sent. Otherwise a 503 names the parts that failed, and nothing more
    (the reasons are logged)."""
    failed = []
    for name, check in READINESS_CHECKS.items():
        try:
            ready = check()
        except Exception as error:  # the answer names the part; the log says why
            logger.warning("Readiness: %s failed (%s)", name, type(error).__name__)
            ready = False
        if not ready:
            failed.append(name)
    if failed:
        return HttpResponse(f"unavailable: {', '.join(failed)}", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@require_safe
@never_cache
def metrics(request):
    """Prometheus metrics, for the operator's scraper only: it sends
    `Authorization: Bearer <METRICS_TOKEN>`. Anyone else, and everyone when no token is
    set, gets the site's ordinary 404, as for a page that does not exist."""
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if not token or not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        raise Http404
    return ExportToDjangoView(request)


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
