"""Mail the Wagtail admin sends itself (moderation, workflow and comment notifications)
goes through the portal's outbox like every other email: stored first, then sent in the
background with retries (portal.outbox), never straight to SMTP from a request.

The notification texts are the portal's own (templates/wagtailadmin/notifications/):
they name no page, task or person, and quote no comment, since a working group's page
titles and comments are members' words; the link to the admin says where to look.
"""

from contextlib import AbstractContextManager

from django.core.mail.backends.base import BaseEmailBackend

from .outbox import email_store
from .switches import ThreadSwitch

_muted = ThreadSwitch()


def admin_mail_muted() -> AbstractContextManager[None]:
    """Within this block (in this thread), the Wagtail admin's own emails (workflow and
    moderation notifications) are dropped, not stored. For loading demo content, whose
    trend summaries go through the approval workflow but must email nobody. Blocks nest."""
    return _muted.on()


class OutboxEmailBackend(BaseEmailBackend):
    """An email backend that stores each message in the outbox instead of sending it."""

    def send_messages(self, email_messages):
        if _muted.is_on():
            return 0
        stored = 0
        for message in email_messages:
            html = next(
                (content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), ""
            )
            email_store(
                to=[*message.to, *message.bcc],
                cc=message.cc,
                reply_to=message.reply_to,
                subject=message.subject,
                body_text=message.body,
                body_html=html,
                from_email=message.from_email,
            )
            stored += 1
        return stored


def outbox_connection(*args, **kwargs):
    return OutboxEmailBackend(fail_silently=kwargs.get("fail_silently") or False)


def route_wagtail_mail_through_outbox():
    """Every email of wagtail.admin.mail (send_mail, send_notification and the workflow
    notifiers) opens its connection with that module's get_connection: give it the
    outbox's. Called once, from PortalConfig.ready."""
    from wagtail.admin import mail as wagtail_mail  # noqa: PLC0415  (admin modules: not at import time)

    wagtail_mail.get_connection = outbox_connection
