"""Writes for feedback: store then send, triage, and retention.

A submission and one outbox email per recipient are written in one transaction, so an
SMTP outage delays the emails and never loses a submission (portal.outbox sends them
in the background and retries).
"""

import logging
import uuid
from datetime import datetime, timedelta

from django import forms
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from wagtail.log_actions import log
from wagtail.models import Page

from portal.audit import audit_record
from portal.models import OutboundEmail
from portal.outbox import email_queue

from .models.feedback import FeedbackFormPage, FeedbackSubmission
from .selectors import Routing, feedback_routing, feedback_submission_for_token

logger = logging.getLogger("portal.feedback")


def feedback_admin_url(submission: FeedbackSubmission) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("feedback_submissions:edit", args=[submission.pk])


def _needs_email(submission: FeedbackSubmission) -> bool:
    """Page feedback saying only 'useful, yes' is counted, not emailed: nothing to act on."""
    data = submission.form_data
    return not (submission.source_page_id and data.get("page_useful") == "Yes" and not data.get("page_problem"))


def _queue_emails(submission: FeedbackSubmission, form_page: FeedbackFormPage) -> Routing:
    routing = feedback_routing(form_page=form_page, topic=submission.topic, region=submission.region)
    source = submission.source_page.specific if submission.source_page is not None else None
    for recipient in routing.recipients:
        email_queue(
            to=[recipient.address],
            # The reference and the topic (a choice the form offers) only: no personal data.
            subject=f"Feedback {submission.reference}: {submission.topic or 'no topic given'}",
            template="emails/feedback_received",
            context={
                "reference": submission.reference,
                "topic": submission.topic,
                "region": submission.region,
                "form_title": form_page.title,
                "source_title": source.title if source else "",
                "source_url": source.full_url if source else "",
                "admin_url": feedback_admin_url(submission) if recipient.admin_link else "",
                "copy_for": recipient.copy_for,
                "answers": submission.answers() if routing.include_answers else [],
            },
        )
    return routing


def feedback_submit(
    *, form_page: FeedbackFormPage, form: forms.Form, token: uuid.UUID | None, source_page: Page | None = None
) -> tuple[FeedbackSubmission, bool]:
    """Store a submission and its outbox emails together; return (submission, created).

    The form page stores the row (its `process_form_submission`); this adds one outbox
    email per recipient in the same transaction. The same form token twice (a double
    click, a resent request, two at once) stores one submission: the unique column
    refuses the second, which gets the first back.
    """
    if token is not None:
        existing = feedback_submission_for_token(token)
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            submission = form_page.process_form_submission(form, token=token, source_page=source_page)
            if _needs_email(submission):
                _queue_emails(submission, form_page)
    except IntegrityError:
        existing = feedback_submission_for_token(token) if token is not None else None
        if existing is None:
            raise
        return existing, False
    logger.info("feedback stored reference=%s topic=%s", submission.reference, submission.topic)
    return submission, True


@transaction.atomic
def feedback_triage(
    *,
    submission: FeedbackSubmission,
    status: str,
    assignee: AbstractBaseUser | None,
    internal_notes: str,
    actor: AbstractBaseUser,
    acknowledge: bool = False,
) -> FeedbackSubmission:
    """Record an editor's triage; optionally email the sender an acknowledgement (once).

    An acknowledgement goes only to an address given with consent to be contacted, and
    is never sent automatically: anyone can type anyone's address into a public form.
    """
    submission = FeedbackSubmission.objects.select_for_update().get(pk=submission.pk)
    submission.status, submission.assignee, submission.internal_notes = status, assignee, internal_notes
    fields = ["status", "assignee", "internal_notes"]
    if acknowledge and submission.reply_email and submission.acknowledged_at is None:
        email_queue(
            to=[submission.reply_email],
            subject=f"We have received your feedback ({submission.reference})",
            template="emails/feedback_acknowledgement",
            context={"reference": submission.reference, "form_title": submission.page.title},
        )
        submission.acknowledged_at = timezone.now()
        if submission.status == FeedbackSubmission.Status.NEW:
            submission.status = FeedbackSubmission.Status.ACKNOWLEDGED
        fields.append("acknowledged_at")
    submission.save(update_fields=fields)
    log(
        instance=submission.page, action="portal.feedback_triaged", user=actor, data={"reference": submission.reference}
    )
    return submission


def feedback_purge(*, now: datetime | None = None) -> dict[str, int]:
    """Delete feedback older than FEEDBACK_RETENTION_DAYS and sent outbox email older than
    OUTBOX_RETENTION_DAYS; safe to run again (a second run finds nothing). Returns the counts.

    Each form page's history records how many of its submissions went, and the security
    log gets one line per run.
    """
    now = now or timezone.now()
    feedback_cutoff = now - timedelta(days=settings.FEEDBACK_RETENTION_DAYS)
    outbox_cutoff = now - timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    with transaction.atomic():
        old = FeedbackSubmission.objects.filter(submit_time__lt=feedback_cutoff)
        per_page: dict[int, int] = {}
        for page_id in old.values_list("page_id", flat=True):
            per_page[page_id] = per_page.get(page_id, 0) + 1
        submissions, _ = old.delete()
        emails, _ = OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT, sent_at__lt=outbox_cutoff).delete()
        for page in Page.objects.filter(pk__in=per_page):
            log(
                instance=page,
                action="portal.feedback_purged",
                data={"deleted": per_page[page.pk], "older_than_days": settings.FEEDBACK_RETENTION_DAYS},
            )
    audit_record(action="portal.feedback_purged", submissions=submissions, emails=emails)
    return {"submissions": submissions, "emails": emails}
