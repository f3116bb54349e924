"""The email outbox: every outgoing email is stored first, then sent in the background.

`email_queue` writes an OutboundEmail row in the caller's transaction and, once that
transaction commits, enqueues a task to send it. A failed send is retried with
exponential backoff; after OUTBOX_MAX_ATTEMPTS the row is marked failed. `outbox_sweep`
(behind `manage.py send_queued_email`) sends anything still pending, which recovers mail
whose task was lost.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone

from .models import OutboundEmail

logger = logging.getLogger(__name__)


def email_queue(
    *,
    to,
    subject,
    template,
    context=None,
    cc=(),
    reply_to=(),
    from_email=None,
):
    """Store an email rendered from `<template>.txt` (and `<template>.html` if present).

    Call inside the transaction that creates the thing the email is about: if that
    transaction rolls back, no email exists; if it commits, the email will be sent.
    """
    context = context or {}
    # Plain text must not be HTML-escaped ("O'Brien & Co", not "O&#x27;Brien &amp; Co").
    body_text = get_template(f"{template}.txt").template.render(Context(context, autoescape=False))
    try:
        body_html = render_to_string(f"{template}.html", context)
    except TemplateDoesNotExist:
        body_html = ""
    return email_store(
        to=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        cc=cc,
        reply_to=reply_to,
        from_email=from_email,
    )


def email_store(*, to, subject, body_text, body_html="", cc=(), reply_to=(), from_email=None):
    """Store an already rendered email and send it once the caller's transaction commits."""
    email = OutboundEmail.objects.create(
        to=list(to),
        cc=list(cc),
        reply_to=list(reply_to),
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        subject=" ".join(subject.split())[:255],
        body_text=body_text,
        body_html=body_html,
    )
    transaction.on_commit(lambda: _enqueue(email.pk))
    return email


def _enqueue(email_id, run_after=None):
    from .tasks import send_outbound_email  # imported here: tasks imports this module

    task = send_outbound_email
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # The sweeper picks the row up when it is due.
        task = task.using(run_after=run_after)
    task.enqueue(email_id)


def backoff_delay(attempts):
    """Seconds to wait after the given number of failed attempts: base, then 2, 4, 8 times the base,
    never more than OUTBOX_MAX_BACKOFF_SECONDS."""
    return min(settings.OUTBOX_BACKOFF_SECONDS * 2 ** (attempts - 1), settings.OUTBOX_MAX_BACKOFF_SECONDS)


def email_send(*, email_id, force=False):
    """Try to send one pending email that is due (or any pending one, if forced).

    Returns the row's status afterwards. Holding the row lock while talking to SMTP
    means the worker and the sweeper never send the same row concurrently; a retry
    task that fires before the row is due (a stale duplicate) does nothing.
    """
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update(skip_locked=True).filter(pk=email_id).first()
        if email is None or email.status != OutboundEmail.Status.PENDING:
            return email.status if email else None
        if not force and email.next_attempt_at > timezone.now():
            return email.status
        email.attempts += 1
        try:
            _deliver(email)
        except Exception as error:
            email.last_error = f"{type(error).__name__}"[:255]
            if email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                email.status = OutboundEmail.Status.FAILED
                logger.error(
                    "Outbox email %s failed permanently after %s attempts (%s)",
                    email.uuid,
                    email.attempts,
                    email.last_error,
                )
            else:
                email.next_attempt_at = timezone.now() + timedelta(seconds=backoff_delay(email.attempts))
                logger.warning(
                    "Outbox email %s attempt %s failed (%s); retrying at %s",
                    email.uuid,
                    email.attempts,
                    email.last_error,
                    email.next_attempt_at.isoformat(),
                )
                run_after = email.next_attempt_at
                transaction.on_commit(lambda: _enqueue(email.pk, run_after=run_after))
        else:
            email.status = OutboundEmail.Status.SENT
            email.sent_at = timezone.now()
            email.last_error = ""
        email.save(update_fields=["attempts", "status", "sent_at", "last_error", "next_attempt_at"])
        return email.status


def _deliver(email):
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=email.from_email,
        to=email.to,
        cc=email.cc,
        reply_to=email.reply_to,
        headers={"Message-ID": email.message_id},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    message.send()


def outbox_sweep(*, force=False, retry_failed=False):
    """Send pending email that is due, recovering rows whose task was lost.

    `force` sends every pending row now, whatever its backoff (after an outage is
    fixed); `retry_failed` first puts rows that ran out of attempts back in the queue,
    so that even a very long outage loses nothing. Returns a count per outcome.
    """
    if retry_failed:
        OutboundEmail.objects.filter(status=OutboundEmail.Status.FAILED).update(
            status=OutboundEmail.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
    pending = OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING)
    if not force:
        pending = pending.filter(next_attempt_at__lte=timezone.now())
    outcomes = {}
    for email_id in list(pending.values_list("pk", flat=True)):
        status = email_send(email_id=email_id, force=force)
        outcomes[status] = outcomes.get(status, 0) + 1
    return outcomes
