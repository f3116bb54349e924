"""Notifications: what members chose to hear about, and what there is to tell them.

An event in a group's area (an update posted, meeting notes published, an action
assigned or coming due, a document added) is one `NotificationEvent`; each person who
should hear of it gets one `Notification`, sent at once or gathered into a digest by
`manage.py send_digests`. Neither holds anything members wrote: an email is built from
the event's kind, its group's region, a date and a link, so nothing sensitive leaves
the portal in an email.
"""

from django.conf import settings
from django.db import models

from ..enums import NotificationFrequency, NotificationKind
from .working_groups import WorkingGroupPage


class NotificationPreference(models.Model):
    """How often one person hears about one group's area. No row means the default: daily."""

    DEFAULT = NotificationFrequency.DAILY

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    working_group = models.ForeignKey(WorkingGroupPage, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(max_length=20, choices=NotificationFrequency.choices, default=DEFAULT)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "working_group"], name="one_notification_preference_per_group")
        ]

    def __str__(self):
        return f"{self.user} · {self.working_group}: {self.get_frequency_display()}"


class NotificationEvent(models.Model):
    """Something that happened in a group's area, told to each recipient at most once.

    `key` names the thing it is about (e.g. "meeting_notes:12"): an event with the same
    key is recorded only once, so a meeting published again, or a reminder the digest
    command looks for every day, is not told twice. `batch` marks the rows one call
    inserted, so a run that lost the race for a key knows it did.
    """

    Kind = NotificationKind

    kind = models.CharField(max_length=30, choices=Kind.choices)
    working_group = models.ForeignKey(WorkingGroupPage, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200, unique=True)
    # Where the email's link goes: a path on this site, never a full URL from a request.
    link = models.CharField(max_length=500)
    # The meeting's date, or the action's due date: the only detail an email gives.
    date = models.DateField(null=True, blank=True)
    # For actions: owned by an organisation (its members are told) rather than a person.
    for_organisation = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    batch = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["working_group", "created_at"], name="notification_event_group"),
            models.Index(fields=["batch"], name="notification_event_batch"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} in {self.working_group}"


class Notification(models.Model):
    """One event to tell one person: pending, sent (in `email`) or dropped.

    Dropped means it will never be sent: the person switched the group's notifications
    off, or is no longer an active member. `batch` marks the rows one run of the digest
    command claimed, so two runs at once never send the same row.
    """

    event = models.ForeignKey(NotificationEvent, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    dropped_at = models.DateTimeField(null=True, blank=True)
    batch = models.UUIDField(null=True, blank=True, editable=False)
    email = models.ForeignKey(
        "portal.OutboundEmail", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "recipient"], name="one_notification_per_recipient")]
        indexes = [
            models.Index(
                fields=["recipient"],
                condition=models.Q(sent_at__isnull=True, dropped_at__isnull=True),
                name="notification_pending",
            ),
            models.Index(fields=["batch"], name="notification_batch"),
        ]

    def __str__(self):
        return f"{self.event} for {self.recipient}"

    @property
    def is_pending(self):
        return self.sent_at is None and self.dropped_at is None
