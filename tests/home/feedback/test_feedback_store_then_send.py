"""Security matrix rows F01 and F02: a submission is stored with its emails, then sent;
an SMTP outage never shows the sender an error or loses anything."""

import smtplib

import pytest

from django.core.mail import get_connection
from django.core.management import call_command
from django.db import connection

from home.models import FeedbackFormPage, FeedbackSubmission
from portal.models import OutboundEmail
from tests.feedback import post_feedback
from tests.html import main_text

pytestmark = pytest.mark.django_db


def test_smtp_down_shows_the_confirmation_stores_and_sends_once_after_recovery(
    client, feedback_page, settings, mailoutbox, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.portal.outbox.test_outbox.FailingBackend"

    with django_capture_on_commit_callbacks(execute=True):
        response = post_feedback(client, feedback_page)

    assert response.status_code == 302
    confirmation = client.get(response["Location"])
    assert confirmation.status_code == 200
    submission = FeedbackSubmission.objects.get()
    assert submission.reference in main_text(confirmation)
    assert "Feedback sent" in main_text(confirmation)
    email = OutboundEmail.objects.get()
    assert (email.status, email.to) == (OutboundEmail.Status.PENDING, ["prevention@example.org"])
    assert mailoutbox == []
    assert any("SMTPException" in record.getMessage() for record in caplog.records)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_queued_email", "--now", stdout=None)
    call_command("send_queued_email", "--now", stdout=None)

    assert len(mailoutbox) == 1
    assert submission.reference in mailoutbox[0].subject
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT


def test_the_form_page_overrides_the_stock_submission_processing():
    from wagtail.contrib.forms.models import EmailFormMixin, FormMixin

    assert FeedbackFormPage.process_form_submission is not EmailFormMixin.process_form_submission
    assert FeedbackFormPage.process_form_submission is not FormMixin.process_form_submission
    assert FeedbackFormPage.serve is not FormMixin.serve


@pytest.fixture
def atomic_requests(monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "ATOMIC_REQUESTS", True)


def test_with_atomic_requests_an_smtp_failure_still_stores_the_submission(
    client, feedback_page, settings, atomic_requests, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.portal.outbox.test_outbox.FailingBackend"

    with django_capture_on_commit_callbacks(execute=True):
        response = post_feedback(client, feedback_page)

    assert response.status_code == 302
    assert FeedbackSubmission.objects.count() == 1
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.PENDING


def test_the_stock_processing_loses_the_submission_when_smtp_fails(
    client, feedback_page, settings, atomic_requests, monkeypatch
):
    """Documents the hazard the override avoids: Wagtail's own processing sends mail inside
    the request, so the failure rolls back the stored row (and the sender sees an error)."""
    from wagtail.contrib.forms.models import EmailFormMixin

    settings.EMAIL_BACKEND = "tests.portal.outbox.test_outbox.FailingBackend"
    feedback_page.to_address = "prevention@example.org"
    feedback_page.save()
    monkeypatch.setattr(
        FeedbackFormPage,
        "process_form_submission",
        lambda self, form, **kwargs: EmailFormMixin.process_form_submission(self, form),
    )
    # Stock Wagtail sends on Django's own connection (the portal routes it to the outbox: portal.mail).
    monkeypatch.setattr("wagtail.admin.mail.get_connection", get_connection)

    with pytest.raises(smtplib.SMTPException):
        post_feedback(client, feedback_page)

    assert FeedbackSubmission.objects.count() == 0
