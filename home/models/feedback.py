"""Feedback: the form page professionals write to, what they send, and where it goes.

Wagtail's stock form page sends its email inside the request, so an SMTP failure would
show the sender an error and lose the submission. Here a submission and one outbox email
per recipient are stored in one transaction (home.services.feedback_submit) and sent in
the background; the page only ever shows a confirmation.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.forms import FormBuilder
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField, AbstractFormSubmission
from wagtail.contrib.forms.utils import get_forms_for_user
from wagtail.fields import RichTextField

from portal.pii import validate_no_personal_data

from .pages import PANEL_TEXT_FEATURES, PortalSettings

RECIPIENTS_PERMISSION = "home.change_feedback_recipients"
PAGE_FEEDBACK_TOPIC = "Page feedback"


def split_addresses(value):
    """Addresses from a comma- or line-separated list, without blanks or repeats."""
    seen, addresses = set(), []
    for part in (value or "").replace("\n", ",").split(","):
        address = part.strip()
        if address and address.lower() not in seen:
            seen.add(address.lower())
            addresses.append(address)
    return addresses


def validate_addresses(value):
    for address in split_addresses(value):
        try:
            validate_email(address)
        except ValidationError as error:
            raise ValidationError(f"{address} is not a valid email address.", code="invalid") from error


class FeedbackFormField(AbstractFormField):
    """A question on a feedback form. Its purpose tells the pipeline what the answer is for:
    routing (topic, region), the personal-data check (message), or a reply (name, email,
    consent). Editors choose the fields; the pipeline never guesses from labels."""

    class Purpose(models.TextChoices):
        OTHER = "other", "Other question"
        TOPIC = "topic", "Topic (used to route the feedback)"
        REGION = "region", "Region (joining requests go to that region's coordinators)"
        MESSAGE = "message", "Message"
        NAME = "name", "Sender's name"
        EMAIL = "email", "Sender's email address"
        CONSENT = "consent", "Consent to be contacted"

    page = ParentalKey("home.FeedbackFormPage", on_delete=models.CASCADE, related_name="form_fields")
    purpose = models.CharField(max_length=16, choices=Purpose.choices, default=Purpose.OTHER)

    panels = [*AbstractFormField.panels, FieldPanel("purpose")]

    # Field types an answer of each purpose may come from.
    ALLOWED_TYPES = {
        Purpose.TOPIC: {"dropdown", "radio"},
        Purpose.REGION: {"dropdown", "radio"},
        Purpose.MESSAGE: {"multiline", "singleline"},
        Purpose.NAME: {"singleline"},
        Purpose.EMAIL: {"email"},
        Purpose.CONSENT: {"checkbox"},
    }


# Answers that are free text written about something else than the sender: screened for
# personal data. The sender's own name and email address are theirs to give.
SCREENED_PURPOSES = {FeedbackFormField.Purpose.MESSAGE, FeedbackFormField.Purpose.OTHER}
TEXT_TYPES = {"singleline", "multiline"}


class FeedbackFormBuilder(FormBuilder):
    """Wagtail's form builder with a size limit on every answer and the personal-data screen
    on free text. There is no file field: nobody can attach anything.

    It lives beside the page type, as Wagtail's `form_builder` attribute expects, so the
    model needs nothing from the forms module."""

    def create_multiline_field(self, field, options):
        options["max_length"] = settings.FEEDBACK_TEXT_MAX_LENGTH
        return super().create_multiline_field(field, options)

    def create_email_field(self, field, options):
        options["max_length"] = 254
        return super().create_email_field(field, options)

    def create_url_field(self, field, options):
        options["max_length"] = 2000
        return super().create_url_field(field, options)

    def create_hidden_field(self, field, options):
        options["max_length"] = 255
        return super().create_hidden_field(field, options)

    def create_dropdown_field(self, field, options):
        """A select starts on an empty "Select …" choice, never on its first real answer, so
        nobody sends an answer they did not choose (and assistive technology always has a
        selected option to announce)."""
        form_field = super().create_dropdown_field(field, options)
        form_field.choices = [("", f"Select {_lowercase_first(field.label)}"), *form_field.choices]
        return form_field

    def get_field_options(self, field):
        options = super().get_field_options(field)
        if field.required:
            # GOV.UK error messages name what is missing: "Enter your message", not
            # "This field is required." once for every field.
            options["error_messages"] = {"required": required_message(field)}
        purpose = getattr(field, "purpose", FeedbackFormField.Purpose.OTHER)
        if field.field_type in TEXT_TYPES and purpose in SCREENED_PURPOSES:
            # The shared personal-data screen: nothing is stored until the details are removed.
            options["validators"] = [validate_no_personal_data]
        return options


CHOICE_TYPES = ("dropdown", "multiselect", "radio", "checkboxes", "checkbox")


def required_message(field):
    """What to say when a required question is left empty, naming it: "Enter your message",
    "Select your region", or for a question, "Select an answer to “What is …?”"."""
    verb = "Select" if field.field_type in CHOICE_TYPES else "Enter"
    label = " ".join(str(field.label).split())
    if label.endswith("?"):
        return f"{verb} an answer to \u201c{label}\u201d"
    return f"{verb} {_lowercase_first(label)}"


def _lowercase_first(label):
    label = " ".join(str(label).split())
    return label[:1].lower() + label[1:]


def _text(value):
    return " ".join(str(value or "").split())[:255]


class FeedbackFormPage(AbstractEmailForm):
    """A feedback form editors build from fields; submissions are stored, then routed.

    Recipients default to the coordinating organisation's address (Settings → Portal
    settings); only administrators may set others or include answers in emails: the
    panels are shown, and the fields accepted, only with RECIPIENTS_PERMISSION.
    """

    intro = RichTextField(features=PANEL_TEXT_FEATURES, blank=True)
    thank_you_text = RichTextField(
        features=PANEL_TEXT_FEATURES, blank=True, help_text="Shown with the reference number after sending."
    )
    include_answers_in_email = models.BooleanField(
        "Include the answers in emails",
        default=False,
        help_text="Off: emails carry the reference, topic and a link to the admin only.",
    )

    content_panels = [
        *AbstractEmailForm.content_panels,
        FieldPanel("intro"),
        InlinePanel("form_fields", label="Questions"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldPanel("to_address", permission=RECIPIENTS_PERMISSION),
                FieldPanel("include_answers_in_email", permission=RECIPIENTS_PERMISSION),
            ],
            heading="Recipients (administrators only)",
            permission=RECIPIENTS_PERMISSION,
        ),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    template = "home/feedback_form_page.html"
    form_builder = FeedbackFormBuilder
    landing_page_template = "home/feedback_form_page_landing.html"

    class Meta:
        verbose_name = "feedback form page"
        permissions = [("change_feedback_recipients", "Can change who receives feedback")]

    def get_submission_class(self):
        return FeedbackSubmission

    def get_data_fields(self):
        return [
            ("reference", "Reference"),
            *super().get_data_fields(),
            ("page_useful", "Was the page useful?"),
            ("page_problem", "What was wrong or missing"),
        ]

    def default_recipients(self):
        """The page's own addresses, or else the coordinating organisation's; none while
        neither is set (the submission is still stored, and the admin says so)."""
        addresses = split_addresses(self.to_address)
        if addresses:
            return addresses
        site = self.get_site()
        organisation_email = PortalSettings.for_site(site).organisation_email if site else ""
        return [organisation_email] if organisation_email else []

    def serve(self, request, *args, **kwargs):
        # The one import from a higher layer in the models: the page's GET and POST are a
        # view (rate limit, honeypot, time trap, store then send), and the view imports
        # this model, so it can only be looked up here, when a request arrives.
        from ..views import feedback_form_serve  # noqa: PLC0415

        return feedback_form_serve(request, page=self)

    def answers_by_purpose(self, answers):
        """The answers to the questions with a purpose (topic, region, email, consent…)."""
        found = {}
        for form_field in self.get_form_fields():
            if form_field.purpose != FeedbackFormField.Purpose.OTHER and form_field.clean_name in answers:
                found.setdefault(form_field.purpose, answers[form_field.clean_name])
        return found

    def process_form_submission(self, form, *, token=None, source_page=None):
        """Store the submission, and nothing else: never Wagtail's synchronous send_mail, which
        fails the request (and with ATOMIC_REQUESTS loses the row) when SMTP is down.

        home.services.feedback_submit calls this inside the transaction that also stores
        the submission's outbox emails.
        """
        answers = form.cleaned_data
        by_purpose = self.answers_by_purpose(answers)
        Purpose = FeedbackFormField.Purpose
        consent = by_purpose.get(Purpose.CONSENT, True)  # no consent question: giving an address is consent
        return FeedbackSubmission.objects.create(
            page=self,
            form_data=answers,
            form_token=token,
            topic=PAGE_FEEDBACK_TOPIC if source_page is not None else _text(by_purpose.get(Purpose.TOPIC)),
            region=_text(by_purpose.get(Purpose.REGION)),
            reply_email=(by_purpose.get(Purpose.EMAIL) or "") if consent else "",
            source_page=source_page,
        )

    def serve_submissions_list_view(self, request, *args, **kwargs):
        # Triage happens in the Feedback section of the admin, which exports safely.
        if not get_forms_for_user(request.user).filter(pk=self.pk).exists():
            raise PermissionDenied
        return redirect(f"{reverse('feedback_submissions:index')}?page={self.pk}")


class FeedbackSubmission(AbstractFormSubmission):
    """One piece of feedback, with what editors record while dealing with it."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        IN_PROGRESS = "in_progress", "In progress"
        CLOSED = "closed", "Closed"

    # Unique, so a double submit (or two at once) of one rendered form stores one row.
    form_token = models.UUIDField(null=True, unique=True, editable=False)
    topic = models.CharField(max_length=255, blank=True, editable=False)
    region = models.CharField(max_length=255, blank=True, editable=False)
    reply_email = models.EmailField(
        blank=True, editable=False, help_text="Given with consent to be contacted; empty otherwise."
    )
    source_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text="The guidance page this feedback is about, for page feedback.",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    internal_notes = models.TextField(
        blank=True, max_length=10_000, help_text="Seen only by editors and administrators."
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "feedback submission"
        indexes = [models.Index(fields=["status", "submit_time"])]

    def __str__(self):
        return self.reference

    @property
    def reference(self):
        """FB-<year>-<number>: quoted by the sender and found again with it."""
        if self.pk is None:
            return ""
        year = timezone.localtime(self.submit_time).year if self.submit_time else timezone.localdate().year
        return f"FB-{year}-{self.pk:06d}"

    @staticmethod
    def pk_from_reference(text):
        """The primary key a reference (or a bare number) names, or None."""
        digits = (text or "").strip().upper().rpartition("-")[2]
        return int(digits) if digits.isdigit() else None

    def get_data(self):
        return {**super().get_data(), "reference": self.reference}

    def answers(self):
        """(label, value) for each answer, in the form's order, for people to read."""
        labels = dict(self.page.specific.get_data_fields()) if self.page_id else {}
        rows = []
        for name, value in self.form_data.items():
            if isinstance(value, list):
                value = ", ".join(str(item) for item in value)
            elif isinstance(value, bool):
                value = "Yes" if value else "No"
            rows.append((labels.get(name, name.replace("_", " ").capitalize()), "" if value is None else value))
        return rows


class FeedbackRoute(models.Model):
    """Where feedback on a topic goes: administrators keep these, never editors.

    A rule whose `to_group_coordinators` is on sends feedback to the active coordinators
    of the working group for the region the sender chose, with the coordinating
    organisation in copy. Recipients come only from here and the form page, never from
    anything the sender sends.
    """

    topic = models.CharField(
        max_length=255,
        unique=True,
        help_text="The answer to the form's topic question this rule applies to, e.g. “Joining the working group”.",
    )
    recipients = models.TextField(
        blank=True,
        validators=[validate_addresses],
        help_text="Email addresses, separated by commas or new lines. Empty: the form page's recipients.",
    )
    to_group_coordinators = models.BooleanField(
        "Send to the region's working group coordinators",
        default=False,
        help_text="The coordinators of the working group for the region the sender chose; "
        "the coordinating organisation gets a copy.",
    )
    include_answers = models.BooleanField(
        "Include the answers in these emails",
        default=False,
        help_text="For recipients who cannot see submissions in the admin, such as coordinators.",
    )

    panels = [
        FieldPanel("topic"),
        FieldPanel("recipients"),
        FieldPanel("to_group_coordinators"),
        FieldPanel("include_answers"),
    ]

    class Meta:
        ordering = ["topic"]
        verbose_name = "feedback routing rule"

    def __str__(self):
        return self.topic

    def clean(self):
        if not self.recipients.strip() and not self.to_group_coordinators:
            raise ValidationError("Give at least one address, or send to the region's coordinators.")

    @property
    def addresses(self):
        return split_addresses(self.recipients)
