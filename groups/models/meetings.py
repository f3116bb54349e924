"""A working group's meetings: the page coordinators edit, its agenda, documents and actions.

`MeetingPage` is an ordinary Wagtail page (drafts, revisions, preview, scheduled
publishing, comments) under its `WorkingGroupPage`. Its actions are modelcluster
children of the page, so they live in its revisions too; their status, though, is set
by members from the front end, never in the admin, and `with_content_json` keeps the
live status whenever a revision becomes the page, so publishing an older draft never
writes an old status back.
"""

import datetime
import secrets
from functools import cached_property
from hashlib import sha256
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.forms import CheckboxSelectMultiple
from django.utils import timezone
from django.utils.crypto import salted_hmac

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from ..enums import ACTION_OPEN_STATUSES, RESERVED_SLUGS, ActionStatus

# Wagtail reads `base_form_class` and the inline panels' `form_class` as classes (not
# import paths), so the admin forms are imported here; they import no models at import
# time, so there is no cycle (see groups.meetings.admin_forms).
from ..meetings.admin_forms import (
    ActionItemForm,
    AgendaItemForm,
    GroupInlinePanel,
    MeetingDocumentForm,
    MeetingPageForm,
)
from .working_groups import GroupPrivateMixin, Organisation

# Rich text for meeting notes: no images and no embeds (Wagtail images are always
# public, embeds fetch from other origins), and no document links (documents are linked
# through the meeting's own Documents list, where the chooser's permissions apply).
NOTES_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link"]

# Its own code: a field replaces the message of an "invalid" error with its own.
validate_https = URLValidator(schemes=["https"], message="Enter a link that starts with https://", code="https_only")


class MeetingPage(GroupPrivateMixin, Page):
    """One meeting of a working group: when and where, who came, the agenda with notes,
    the documents and the actions agreed. Private to the group like every page under it."""

    start = models.DateTimeField("Starts", help_text="Date and time, e.g. 2026-03-03 10:00")
    end = models.DateTimeField("Ends", null=True, blank=True)
    location = models.CharField(
        "Place", max_length=255, blank=True, help_text="Room and address, if it meets in person."
    )
    online_link = models.URLField(
        "Online meeting link",
        max_length=500,
        blank=True,
        validators=[validate_https],
        help_text="The link to join online (https only).",
    )
    attending_organisations = ParentalManyToManyField(Organisation, blank=True, related_name="meetings_attended")
    apologies = models.TextField(blank=True, help_text="Who sent apologies, one per line.")

    content_panels = [
        FieldPanel("title", help_text="Leave blank for “Meeting on <date>”."),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")], heading="When"),
        MultiFieldPanel([FieldPanel("location"), FieldPanel("online_link")], heading="Where"),
        FieldPanel("attending_organisations", widget=CheckboxSelectMultiple),
        FieldPanel("apologies"),
        GroupInlinePanel("agenda_items", form_class=AgendaItemForm, heading="Agenda", label="Agenda item"),
        GroupInlinePanel("documents", form_class=MeetingDocumentForm, heading="Documents", label="Document"),
        GroupInlinePanel("actions", form_class=ActionItemForm, heading="Actions", label="Action"),
    ]
    base_form_class = MeetingPageForm
    search_fields: list[index.BaseField] = []
    parent_page_types = ["groups.WorkingGroupPage"]
    subpage_types: list[str] = []
    # A copy is a starting point for the next meeting: the agenda, not the actions.
    exclude_fields_in_copy = ["actions"]
    template = "groups/meeting_page.html"

    class Meta:
        verbose_name = "meeting"

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = "The meeting must end after it starts."
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = f"“{self.slug}” is the address of a section of the group's area: choose another."
        if errors:
            raise ValidationError(errors)

    @property
    def has_notes(self):
        """Whether any agenda item has notes (publishing such a meeting tells the group)."""
        return any((item.notes or "").strip() for item in self.agenda_items.all())

    def with_content_json(self, content):
        # Status and the last announced owner are set outside the admin; a revision
        # holds whatever they were when it was saved. Keep the live values, read from
        # the database (`self` may be stale). An action the database does not hold (new
        # in this revision) starts open.
        obj = super().with_content_json(content)
        live = {
            row["pk"]: row
            for row in ActionItem.objects.filter(meeting_id=self.pk).values("pk", "status", "announced_owner")
        }
        for action in obj.actions.all():
            row = live.get(action.pk)
            action.status = row["status"] if row else ActionItem.Status.OPEN
            action.announced_owner = row["announced_owner"] if row else ""
        return obj

    def get_context(self, request, *args, **kwargs):
        # The one import of a selector by this page type: the selector reads these models.
        from ..meetings.selectors import meeting_page_context  # noqa: PLC0415

        context = super().get_context(request, *args, **kwargs)
        context.update(
            meeting_page_context(meeting=self, user=request.user, preview=getattr(request, "is_preview", False))
        )
        return context


class MeetingAgendaItem(Orderable):
    """An item on a meeting's agenda, with the notes taken on it."""

    meeting = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="agenda_items")
    title = models.CharField(max_length=255)
    notes = RichTextField(blank=True, features=NOTES_FEATURES)

    panels = [FieldPanel("title"), FieldPanel("notes")]

    def __str__(self):
        return self.title


class MeetingDocument(Orderable):
    """A Wagtail document linked to a meeting (papers, slides, minutes)."""

    meeting = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("document")]

    def __str__(self):
        return str(self.document)


class Rag(NamedTuple):
    """An action's red/amber/green rating: a key, the words shown with it, its tag colour."""

    key: str
    label: str
    tag_class: str


class ActionItemQuerySet(models.QuerySet):
    def open(self):
        """Not finished: open or in progress."""
        return self.filter(status__in=ActionItem.OPEN_STATUSES)


class ActionItem(Orderable):
    """Something agreed at a meeting: what, who (a member of the group, an organisation,
    or both), by when, and how far it has got. Status is changed only through
    `groups.meetings.services.action_status_change`, which records every change."""

    Status = ActionStatus
    OPEN_STATUSES = ACTION_OPEN_STATUSES
    DUE_SOON_DAYS = 3

    meeting = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=500)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Owner (person)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_actions",
        help_text="An active member of this group.",
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name="Owner (organisation)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_actions",
    )
    due_date = models.DateField("Due", help_text="e.g. 2026-04-30")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN, editable=False)
    # The owner last announced with `action_assigned` ("user:12", "organisation:3"), so a
    # publish announces only new or changed owners.
    announced_owner = models.CharField(max_length=60, blank=True, editable=False)

    objects = ActionItemQuerySet.as_manager()

    panels = [
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("owner_user"), FieldPanel("owner_organisation")], heading="Owner"),
        FieldPanel("due_date"),
    ]

    class Meta(Orderable.Meta):
        indexes = [models.Index(fields=["status", "due_date"], name="action_status_due")]

    def __str__(self):
        return self.description

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def owner_key(self):
        if self.owner_user_id:
            return f"user:{self.owner_user_id}"
        if self.owner_organisation_id:
            return f"organisation:{self.owner_organisation_id}"
        return ""

    def rag_on(self, today):
        """Red: overdue and not finished; amber: due within three days; green otherwise;
        done and dropped are neutral. Always with words, never colour alone."""
        if not self.is_open:
            return Rag("closed", self.get_status_display(), "govuk-tag--grey")
        if self.due_date < today:
            return Rag("red", "Overdue", "govuk-tag--red")
        if self.due_date <= today + datetime.timedelta(days=self.DUE_SOON_DAYS):
            return Rag("amber", "Due soon", "govuk-tag--yellow")
        return Rag("green", "On track", "govuk-tag--green")

    @cached_property
    def rag(self):
        return self.rag_on(timezone.localdate())


class ActionItemChange(models.Model):
    """One change of an action's status: who, when, from what to what, and why."""

    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=20, choices=ActionItem.Status.choices)
    to_status = models.CharField(max_length=20, choices=ActionItem.Status.choices)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.action}: {self.from_status} → {self.to_status}"

    @property
    def changes_status(self):
        """False for a note added without a change of status: the history then shows the note alone."""
        return self.from_status != self.to_status


class CalendarFeed(models.Model):
    """A member's secret calendar-feed token, derived rather than stored.

    The token is an HMAC (keyed with SECRET_KEY) of a random per-user key, so the feed
    URL can be shown again; only a SHA-256 digest of the token is kept, for the lookup.
    The database alone therefore yields no working URL. Resetting draws a new key, so
    the old URL stops working at once.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    key = models.CharField(max_length=64, editable=False)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Calendar feed of {self.user}"

    @staticmethod
    def new_key():
        return secrets.token_hex(32)

    @property
    def token(self):
        return salted_hmac("groups.CalendarFeed", self.key, algorithm="sha256").hexdigest()

    @staticmethod
    def digest(token):
        return sha256(token.encode()).hexdigest()
