import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class OutboundEmail(models.Model):
    """One email waiting to be sent, being sent, sent or given up on.

    Rows are written in the same transaction as whatever caused the email, so an SMTP
    outage delays mail and never loses it (see portal.outbox).
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    to = models.JSONField(help_text="List of recipient addresses.")
    cc = models.JSONField(default=list, blank=True)
    reply_to = models.JSONField(default=list, blank=True)
    from_email = models.CharField(max_length=254)
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.subject} ({self.get_status_display()})"

    @property
    def message_id(self):
        """Stable per row, so a message delivered twice is recognisable as one."""
        domain = getattr(settings, "OUTBOX_MESSAGE_ID_DOMAIN", "portal.invalid")
        return f"<outbox-{self.uuid}@{domain}>"


class Profile(models.Model):
    """What the people someone works with see beside their name: their job title.

    The name itself is Django's (first_name, last_name on the user). One row per person,
    made when they first give a job title; someone without one is shown by name alone.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="profile"
    )
    job_title = models.CharField("job title", max_length=100, blank=True)

    def __str__(self):
        return self.job_title
