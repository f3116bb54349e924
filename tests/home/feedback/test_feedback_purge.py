"""Security matrix row D06: old feedback, old sent email and finished task results are deleted
by `manage.py purge_feedback`, which is safe to run again and leaves a record."""

import datetime
import io

import pytest
import time_machine

from django.core.management import call_command
from django.utils import timezone

from home.models import FeedbackSubmission
from portal.models import OutboundEmail
from tests.feedback import post_feedback

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 1, 9, 0, tzinfo=datetime.UTC)


def purge():
    out = io.StringIO()
    call_command("purge_feedback", stdout=out)
    return out.getvalue()


def test_feedback_older_than_the_retention_period_is_deleted_once(client, feedback_page, settings, caplog):
    with time_machine.travel(NOW - datetime.timedelta(days=366), tick=False):
        post_feedback(client, feedback_page, your_message="Old feedback.")
    client.cookies.clear()
    from django.core.cache import cache

    cache.clear()
    with time_machine.travel(NOW - datetime.timedelta(days=364), tick=False):
        post_feedback(client, feedback_page, your_message="Recent feedback.")

    with time_machine.travel(NOW, tick=False), caplog.at_level("INFO", logger="portal.security"):
        first = purge()
        second = purge()

    assert "Deleted 1 feedback submissions" in first
    assert "Deleted 0 feedback submissions" in second
    assert [s.form_data["your_message"] for s in FeedbackSubmission.objects.all()] == ["Recent feedback."]
    assert any("portal.feedback_purged" in record.getMessage() for record in caplog.records)
    from wagtail.models import PageLogEntry

    entry = PageLogEntry.objects.get(action="portal.feedback_purged")
    assert entry.page_id == feedback_page.pk
    assert entry.data["deleted"] == 1


def test_the_retention_period_is_a_setting(client, feedback_page, settings):
    settings.FEEDBACK_RETENTION_DAYS = 30
    with time_machine.travel(NOW - datetime.timedelta(days=31), tick=False):
        post_feedback(client, feedback_page)
    with time_machine.travel(NOW, tick=False):
        purge()
    assert not FeedbackSubmission.objects.exists()


def test_sent_email_is_pruned_and_pending_email_kept(settings):
    old = NOW - datetime.timedelta(days=settings.OUTBOX_RETENTION_DAYS + 1)
    sent = OutboundEmail.objects.create(to=["a@example.org"], from_email="x@example.org", subject="s", body_text="b")
    OutboundEmail.objects.filter(pk=sent.pk).update(status=OutboundEmail.Status.SENT, sent_at=old)
    pending = OutboundEmail.objects.create(to=["b@example.org"], from_email="x@example.org", subject="s", body_text="b")
    OutboundEmail.objects.filter(pk=pending.pk).update(created_at=old)

    with time_machine.travel(NOW, tick=False):
        assert "1 sent emails" in purge()

    assert list(OutboundEmail.objects.values_list("pk", flat=True)) == [pending.pk]


def test_finished_task_results_are_pruned_with_the_database_backend(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from portal.tasks import send_outbound_email

    result = send_outbound_email.enqueue(0)
    DBTaskResult.objects.filter(pk=result.id).update(
        status="SUCCESSFUL", finished_at=timezone.now() - datetime.timedelta(days=20)
    )

    output = purge()

    assert not DBTaskResult.objects.exists(), output
