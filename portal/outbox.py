"""The email outbox: every outgoing email is stored first, then sent in the background.

`email_queue` writes an OutboundEmail row in the caller's transaction and, once that
transaction commits, enqueues a task to send it. A failed send is retried with
exponential backoff; after OUTBOX_MAX_ATTEMPTS the row is marked failed. `outbox_sweep`
(behind `manage.py send_queued_email`) sends anything still pending, which recovers mail
whose task was lost.

Sending (one attempt, backoff, the retry) lives in portal.tasks beside the task that
runs it, because a failed attempt enqueues that task again; this module imports it, and
nothing there imports this module.
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template import Context, Engine, TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone

from .models import OutboundEmail
from .tasks import backoff_delay, email_enqueue, email_send

__all__ = ["backoff_delay", "email_queue", "email_send", "email_store", "outbox_sweep"]


def email_queue(
    *,
    to: Iterable[str],
    subject: str,
    template: str,
    context: dict[str, Any] | None = None,
    cc: Iterable[str] = (),
    reply_to: Iterable[str] = (),
    from_email: str | None = None,
) -> OutboundEmail:
    """Store an email rendered from `<template>.txt` (and `<template>.html` if present).

    Call inside the transaction that creates the thing the email is about: if that
    transaction rolls back, no email exists; if it commits, the email will be sent.
    """
    context = context or {}
    # Plain text must not be HTML-escaped ("O'Brien & Co", not "O&#x27;Brien &amp; Co").
    body_text = Engine.get_default().get_template(f"{template}.txt").render(Context(context, autoescape=False))
    body_html: str
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


def email_store(
    *,
    to: Iterable[str],
    subject: str,
    body_text: str,
    body_html: str = "",
    cc: Iterable[str] = (),
    reply_to: Iterable[str] = (),
    from_email: str | None = None,
) -> OutboundEmail:
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
    transaction.on_commit(lambda: email_enqueue(email.pk))
    return email


def outbox_sweep(*, force: bool = False, retry_failed: bool = False) -> dict[str | None, int]:
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
    outcomes: dict[str | None, int] = {}
    for email_id in list(pending.values_list("pk", flat=True)):
        status = email_send(email_id=email_id, force=force)
        outcomes[status] = outcomes.get(status, 0) + 1
    return outcomes
