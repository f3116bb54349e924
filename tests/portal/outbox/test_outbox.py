"""The email outbox: every email is stored in the caller's transaction, then sent in the background."""

import datetime
import io
import smtplib
import threading
import time

import pytest
import time_machine
from django_tasks import task_backends

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.db import connection, transaction

from portal.models import OutboundEmail
from portal.outbox import backoff_delay, email_queue, email_send

NOW = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
BODY_TEXT = "Dear {{ name }}, your request to join the working group has been received."
BODY_HTML = "<p>Dear {{ name }}, your request to join the <strong>working group</strong> has been received.</p>"
SUBJECT = "Your request to join the working group"


class FailingBackend(BaseEmailBackend):
    """An SMTP server that refuses everything, naming what it refused (which must never be logged)."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPException(f"Refused {email_messages[0].subject!r} for {email_messages[0].to}")


class SlowBackend(LocmemBackend):
    """Delivers like locmem, slowly enough for two senders to overlap."""

    def send_messages(self, email_messages):
        time.sleep(0.3)
        return super().send_messages(email_messages)


@pytest.fixture(autouse=True)
def _email_templates(settings, tmp_path):
    """The project has no email templates yet, so these tests bring their own."""
    templates = tmp_path / "templates"
    (templates / "emails").mkdir(parents=True)
    (templates / "emails" / "test_message.txt").write_text(BODY_TEXT)
    (templates / "emails" / "test_message.html").write_text(BODY_HTML)
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [templates, *engine["DIRS"]]}, *settings.TEMPLATES[1:]]


def queue_test_email(**overrides):
    return email_queue(
        **{
            "to": ["sam@example.org"],
            "subject": SUBJECT,
            "template": "emails/test_message",
            "context": {"name": "Sam"},
            **overrides,
        }
    )


def sweep(*args):
    """Run `manage.py send_queued_email` and return what it printed."""
    stdout = io.StringIO()
    call_command("send_queued_email", *args, stdout=stdout)
    return stdout.getvalue()


def make_pending_email(**fields):
    return OutboundEmail.objects.create(
        **{
            "to": ["sam@example.org"],
            "from_email": "no-reply@example.org",
            "subject": SUBJECT,
            "body_text": "Dear Sam, your request has been received.",
            **fields,
        }
    )


@pytest.mark.django_db
def test_queueing_in_a_rolled_back_transaction_stores_and_sends_nothing(django_capture_on_commit_callbacks, mailoutbox):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue_test_email()
        raise RuntimeError("the membership request failed to save")

    assert callbacks == []
    assert not OutboundEmail.objects.exists()
    assert mailoutbox == []


@pytest.mark.django_db
def test_committed_email_is_stored_then_sent_once(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_test_email()

    row = OutboundEmail.objects.get()
    assert row.pk == email.pk
    assert (row.status, row.attempts, row.last_error) == (OutboundEmail.Status.SENT, 1, "")
    assert row.sent_at is not None
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["sam@example.org"]
    assert message.subject == SUBJECT
    assert message.body == "Dear Sam, your request to join the working group has been received."
    assert [tuple(alternative) for alternative in message.alternatives] == [
        (
            "<p>Dear Sam, your request to join the <strong>working group</strong> has been received.</p>",
            "text/html",
        )
    ]
    assert message.message()["Message-ID"] == row.message_id
    assert str(row.uuid) in row.message_id


@pytest.mark.parametrize("line_break", ["\r\n", "\n", "\r", "\u2028"])
@pytest.mark.django_db
def test_subject_line_breaks_cannot_inject_headers(django_capture_on_commit_callbacks, mailoutbox, line_break):
    with django_capture_on_commit_callbacks(execute=True):
        queue_test_email(subject=f"Hello{line_break}Bcc: x@evil.example")

    row = OutboundEmail.objects.get()
    assert row.subject == "Hello Bcc: x@evil.example"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.bcc == []
    assert message.recipients() == ["sam@example.org"]
    assert message.message()["Bcc"] is None


@pytest.mark.django_db
def test_smtp_outage_delays_mail_and_the_sweeper_sends_it_once(
    django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.EMAIL_BACKEND = "tests.portal.outbox.test_outbox.FailingBackend"

    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        queue_test_email()

    row = OutboundEmail.objects.get()
    assert (row.status, row.attempts, row.last_error) == (OutboundEmail.Status.PENDING, 1, "SMTPException")
    assert row.next_attempt_at == NOW + datetime.timedelta(seconds=settings.OUTBOX_BACKOFF_SECONDS)
    assert mailoutbox == []

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(NOW + datetime.timedelta(seconds=10), tick=False):
        assert "nothing" in sweep()  # from cron: backoff is respected
    assert "sent: 1" in sweep("--now")  # after the outage is fixed

    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (OutboundEmail.Status.SENT, 2, "")
    assert len(mailoutbox) == 1

    assert "nothing" in sweep("--now")
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_sweeper_from_cron_sends_mail_once_its_backoff_has_passed(
    django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.EMAIL_BACKEND = "tests.portal.outbox.test_outbox.FailingBackend"
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        queue_test_email()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    with time_machine.travel(NOW + datetime.timedelta(seconds=settings.OUTBOX_BACKOFF_SECONDS), tick=False):
        assert "sent: 1" in sweep()
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_a_retry_task_that_fires_early_does_nothing(django_capture_on_commit_callbacks, mailoutbox, settings):
    settings.EMAIL_BACKEND = "tests.portal.outbox.test_outbox.FailingBackend"
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        email = queue_test_email()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    with time_machine.travel(NOW + datetime.timedelta(seconds=1), tick=False):
        assert email_send(email_id=email.pk) == OutboundEmail.Status.PENDING
    email.refresh_from_db()
    assert email.attempts == 1
    assert mailoutbox == []


@pytest.mark.django_db
def test_failed_mail_can_be_retried_after_a_long_outage(mailoutbox):
    email = OutboundEmail.objects.create(
        to=["sam@example.org"],
        from_email="portal@example.org",
        subject="Held",
        body_text="Body",
        status=OutboundEmail.Status.FAILED,
        attempts=12,
    )

    assert "sent: 1" in sweep("--retry-failed")

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        pytest.param(60, [60, 120, 240, 480], id="default-base"),
        pytest.param(5, [5, 10, 20, 40], id="configured-base"),
    ],
)
def test_backoff_doubles_after_each_failure(settings, base, expected):
    settings.OUTBOX_BACKOFF_SECONDS = base

    assert [backoff_delay(attempts) for attempts in (1, 2, 3, 4)] == expected


@pytest.mark.django_db
def test_each_failed_send_schedules_a_retry_after_the_backoff(django_capture_on_commit_callbacks, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.EMAIL_BACKEND = "tests.portal.outbox.test_outbox.FailingBackend"
    settings.OUTBOX_BACKOFF_SECONDS = 60
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        email = queue_test_email()
    results = task_backends["default"].results
    assert [(list(result.args), result.task.run_after) for result in results] == [([email.pk], None)]

    when = NOW
    for attempt, delay in [(1, 60), (2, 120), (3, 240), (4, 480)]:
        with time_machine.travel(when, tick=False), django_capture_on_commit_callbacks(execute=True):
            assert email_send(email_id=email.pk) == OutboundEmail.Status.PENDING

        retry = results[-1]
        assert len(results) == attempt + 1
        assert list(retry.args) == [email.pk]
        assert retry.task.run_after == when + datetime.timedelta(seconds=delay)
        email.refresh_from_db()
        assert email.next_attempt_at == retry.task.run_after
        when = retry.task.run_after


@pytest.mark.django_db
def test_mail_is_given_up_after_the_last_attempt_and_logged_without_content(
    django_capture_on_commit_callbacks, mailoutbox, settings, caplog
):
    settings.EMAIL_BACKEND = "tests.portal.outbox.test_outbox.FailingBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 3
    with caplog.at_level("WARNING", logger="portal.outbox"):
        with django_capture_on_commit_callbacks(execute=True):
            email = queue_test_email()
        sweep("--now")
        sweep("--now")

    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (OutboundEmail.Status.FAILED, 3, "SMTPException")
    [error] = [record.getMessage() for record in caplog.records if record.levelname == "ERROR"]
    assert str(email.uuid) in error
    for record in caplog.records:
        for private in ("Dear Sam", "working group", "sam@example.org"):
            assert private not in record.getMessage()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert "nothing" in sweep("--now")

    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.FAILED, 3)
    assert mailoutbox == []


@pytest.mark.django_db
def test_sweeper_sends_mail_whose_task_was_lost(mailoutbox):
    email = make_pending_email()

    assert "sent: 1" in sweep()

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert [message.to for message in mailoutbox] == [["sam@example.org"]]


@pytest.mark.parametrize("status", [OutboundEmail.Status.SENT, OutboundEmail.Status.FAILED])
@pytest.mark.django_db
def test_only_pending_mail_is_ever_sent(mailoutbox, status):
    email = make_pending_email(status=status, attempts=1)

    assert email_send(email_id=email.pk) == status

    email.refresh_from_db()
    assert (email.status, email.attempts) == (status, 1)
    assert mailoutbox == []


@pytest.mark.django_db
def test_sending_a_missing_email_does_nothing(mailoutbox):
    assert email_send(email_id=0) is None
    assert mailoutbox == []


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs row locks (SELECT ... FOR UPDATE SKIP LOCKED): PostgreSQL only"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_senders_at_once_send_one_email(mailoutbox, settings):
    settings.EMAIL_BACKEND = "tests.portal.outbox.test_outbox.SlowBackend"
    email = make_pending_email()
    start = threading.Barrier(2)
    outcomes = []

    def send():
        try:
            start.wait()
            outcomes.append(email_send(email_id=email.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.SENT, 1)
    assert len(mailoutbox) == 1
    assert OutboundEmail.Status.SENT in outcomes
    assert set(outcomes) <= {OutboundEmail.Status.SENT, None}


@pytest.mark.django_db
def test_the_admins_own_mail_is_stored_in_the_outbox_unless_muted():
    from wagtail.admin.mail import send_mail

    from portal.mail import admin_mail_muted

    send_mail("Page submitted", "A page waits for you.", ["steward@example.org"])
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == [["steward@example.org"]]
    with admin_mail_muted(), admin_mail_muted():
        assert send_mail("Page approved", "Your page was approved.", ["coordinator@example.org"]) == 0
    send_mail("Page rejected", "Your page was sent back.", ["coordinator@example.org"])
    assert OutboundEmail.objects.count() == 2
