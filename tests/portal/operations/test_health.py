"""/health/ready/ checks each part the site needs and names the ones that fail, saying
nothing else; /metrics/ answers the operator's scraper and no one else."""

import datetime
import json
import time

import pytest

from django.core.cache import cache
from django.db import OperationalError

from portal.models import OutboundEmail
from portal.schedule import HEARTBEAT_CACHE_KEY
from tests.fresh_process import SECRET_KEY, run_python

pytestmark = pytest.mark.django_db

# What a failure's exception might say, and the answer must never repeat.
SECRET_DETAIL = "could not connect to db-7.internal.example (10.0.0.7) as portal_admin"


@pytest.fixture
def with_worker(settings):
    """The production set-up: tasks in the database, run by a worker that sent a heartbeat."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    cache.set(HEARTBEAT_CACHE_KEY, time.time(), timeout=None)


def ready(client):
    response = client.get("/health/ready/")
    return response.status_code, response.content.decode()


def test_ready_when_every_part_is(client, with_worker):
    assert ready(client) == (200, "ok")


def break_database(monkeypatch):
    def cursor(*args, **kwargs):
        raise OperationalError(SECRET_DETAIL)

    monkeypatch.setattr("portal.views.connection.cursor", cursor)


class Unreachable:
    """A cache or an object storage that cannot be reached."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError(SECRET_DETAIL)

        return fail

    def path(self, name):
        raise NotImplementedError("no local paths, as in object storage")


def break_cache(monkeypatch):
    monkeypatch.setattr("portal.views.cache", Unreachable())


def break_storage(monkeypatch, settings, tmp_path):
    not_a_folder = tmp_path / "media-file"
    not_a_folder.write_text("")
    settings.MEDIA_ROOT = not_a_folder


def break_object_storage(monkeypatch, settings, tmp_path):
    monkeypatch.setattr("portal.views.default_storage", Unreachable())


def stop_worker(monkeypatch):
    cache.set(HEARTBEAT_CACHE_KEY, time.time() - 301, timeout=None)


def never_started_worker(monkeypatch):
    cache.delete(HEARTBEAT_CACHE_KEY)


def stall_outbox(monkeypatch):
    email = OutboundEmail.objects.create(to=["a@example.org"], from_email="x@example.org", subject="s", body_text="b")
    OutboundEmail.objects.filter(pk=email.pk).update(
        created_at=email.created_at - datetime.timedelta(seconds=3601),
    )


@pytest.mark.parametrize(
    ("breakage", "part"),
    [
        (break_database, "database"),
        (break_cache, "cache"),
        (break_storage, "storage"),
        (break_object_storage, "storage"),
        (stop_worker, "worker"),
        (never_started_worker, "worker"),
        (stall_outbox, "outbox"),
    ],
)
def test_a_failing_part_is_named_and_nothing_more(client, with_worker, monkeypatch, settings, tmp_path, breakage, part):
    if breakage in (break_storage, break_object_storage):
        breakage(monkeypatch, settings, tmp_path)
    else:
        breakage(monkeypatch)

    status, body = ready(client)

    assert status == 503
    # The outbox check reads the database, and the heartbeat is in the cache.
    also = {"database": ", outbox", "cache": ", worker"}.get(part, "")
    assert body == f"unavailable: {part}{also}"
    assert "internal" not in body
    assert "10.0.0.7" not in body


def test_object_storage_that_answers_is_ready(client, with_worker, monkeypatch):
    class Bucket:
        def path(self, name):
            raise NotImplementedError

        def exists(self, name):
            return False

    monkeypatch.setattr("portal.views.default_storage", Bucket())

    assert ready(client) == (200, "ok")


def test_recent_pending_email_and_a_recent_heartbeat_are_fine(client, with_worker):
    OutboundEmail.objects.create(to=["a@example.org"], from_email="x@example.org", subject="s", body_text="b")
    cache.set(HEARTBEAT_CACHE_KEY, time.time() - 299, timeout=None)

    assert ready(client) == (200, "ok")


def test_the_limits_are_settings(client, with_worker, settings):
    settings.HEALTH_HEARTBEAT_MAX_AGE_SECONDS = 10
    cache.set(HEARTBEAT_CACHE_KEY, time.time() - 11, timeout=None)

    assert ready(client) == (503, "unavailable: worker")


def test_readiness_is_never_cached(client, with_worker):
    assert "no-store" in client.get("/health/ready/")["Cache-Control"]


def test_a_new_site_whose_media_folder_is_not_made_yet_is_ready(client, with_worker, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "not-yet" / "media"

    assert ready(client) == (200, "ok")


# --- Metrics -------------------------------------------------------------------------------

TOKEN = "a-long-random-metrics-token"


@pytest.mark.parametrize(
    ("configured", "authorization"),
    [
        ("", None),
        ("", "Bearer "),
        (TOKEN, None),
        (TOKEN, "Bearer wrong-token"),
        (TOKEN, TOKEN),  # without the scheme
        (TOKEN, f"Bearer {TOKEN}x"),
    ],
)
def test_metrics_are_not_found_by_anyone_else(client, home_page, settings, configured, authorization):
    settings.METRICS_TOKEN = configured
    headers = {"Authorization": authorization} if authorization is not None else {}

    response = client.get("/metrics/", headers=headers)

    assert response.status_code == 404
    assert b"django_http" not in response.content


def test_metrics_are_served_to_the_operator(client, settings):
    settings.METRICS_TOKEN = TOKEN
    client.get("/health/live/")

    response = client.get("/metrics/", headers={"Authorization": f"Bearer {TOKEN}"})

    assert response.status_code == 200
    text = response.content.decode()
    assert "django_http_requests_total_by_view_transport_method_total" in text
    assert 'view="health_live"' in text
    assert "no-store" in response["Cache-Control"]


# --- Logs ----------------------------------------------------------------------------------
# Settings are read once, at import: each test starts a fresh interpreter with exactly the
# variables under test (tests.fresh_process), and sets logging up as django.setup() does,
# without loading the apps.

LOG_SOMETHING = (
    "import logging, os; "
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'portal.settings'); "
    "from django.conf import settings; from django.utils.log import configure_logging; "
    "configure_logging(settings.LOGGING_CONFIG, settings.LOGGING); "
    "logging.getLogger('portal.test').warning('Two\\nlines: %s', 'and \\x1b[31mred')"
)


def test_logs_are_one_json_object_per_line_when_configured():
    result = run_python(LOG_SOMETHING, {"DJANGO_SECRET_KEY": SECRET_KEY, "LOG_FORMAT": "json"})

    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    record = json.loads(lines[0])
    assert record["level"] == "WARNING"
    assert record["logger"] == "portal.test"
    assert record["message"] == "Two\nlines: and \x1b[31mred"
    assert record["time"]


def test_logs_are_plain_escaped_lines_by_default():
    result = run_python(LOG_SOMETHING, {"DJANGO_SECRET_KEY": SECRET_KEY})

    assert result.stderr.count("\n") == 1, result.stderr
    assert "WARNING portal.test Two\\nlines: and \\x1b[31mred" in result.stderr


def test_an_unknown_log_format_is_refused():
    result = run_python(LOG_SOMETHING, {"DJANGO_SECRET_KEY": SECRET_KEY, "LOG_FORMAT": "xml"})

    assert result.returncode != 0
    assert "LOG_FORMAT must be plain or json" in result.stderr
