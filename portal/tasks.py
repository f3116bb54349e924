"""Background tasks, run by `manage.py db_worker`: sending the outbox's email.

portal.outbox stores each email and enqueues `send_outbound_email` once the storing
transaction commits. One attempt happens here; a failure is retried with exponential
backoff by enqueuing the same task again, which is why the task and the sending code
share this module (portal.outbox imports it; nothing here imports portal.outbox).
"""

import logging
from datetime import datetime, timedelta

from django_tasks import task

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from .models import OutboundEmail

logger = logging.getLogger("portal.outbox")


@task()
def send_outbound_email(email_id: int) -> str | None:
    """Send one outbox email; failures reschedule themselves (see email_send)."""
    return email_send(email_id=email_id)


def email_enqueue(email_id: int, run_after: datetime | None = None) -> None:
    """Enqueue the task that sends one outbox email, now or (where the backend can defer) later."""
    task = send_outbound_email
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # The sweeper picks the row up when it is due.
        task = task.using(run_after=run_after)
    task.enqueue(email_id)


def backoff_delay(attempts: int) -> int:
    """Seconds to wait after the given number of failed attempts: base, then 2, 4, 8 times the base,
    never more than OUTBOX_MAX_BACKOFF_SECONDS."""
    return min(settings.OUTBOX_BACKOFF_SECONDS * 2 ** (attempts - 1), settings.OUTBOX_MAX_BACKOFF_SECONDS)


def email_send(*, email_id: int, force: bool = False) -> str | None:
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
                transaction.on_commit(lambda: email_enqueue(email.pk, run_after=run_after))
        else:
            email.status = OutboundEmail.Status.SENT
            email.sent_at = timezone.now()
            email.last_error = ""
        email.save(update_fields=["attempts", "status", "sent_at", "last_error", "next_attempt_at"])
        return email.status


def _deliver(email: OutboundEmail) -> None:
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
