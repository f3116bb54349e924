"""Forms for feedback: they validate what people send; the services decide what happens."""

from django import forms
from django.conf import settings

from wagtail.contrib.forms.forms import FormBuilder

from portal.pii import validate_no_personal_data

from .models.feedback import FeedbackFormField

Purpose = FeedbackFormField.Purpose
# Answers that are free text written about something else than the sender: screened for
# personal data. The sender's own name and email address are theirs to give.
SCREENED_PURPOSES = {Purpose.MESSAGE, Purpose.OTHER}
TEXT_TYPES = {"singleline", "multiline"}


class FeedbackFormBuilder(FormBuilder):
    """Wagtail's form builder with a size limit on every answer and the personal-data screen
    on free text. There is no file field: nobody can attach anything."""

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

    def get_field_options(self, field):
        options = super().get_field_options(field)
        if field.field_type in TEXT_TYPES and getattr(field, "purpose", Purpose.OTHER) in SCREENED_PURPOSES:
            # The shared personal-data screen: nothing is stored until the details are removed.
            options["validators"] = [validate_no_personal_data]
        return options


class PageFeedbackForm(forms.Form):
    """'Is this page useful?' and what was wrong or missing, at the end of every guidance page."""

    page_useful = forms.ChoiceField(
        label="Is this page useful?",
        choices=[("Yes", "Yes"), ("No", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if this page is useful, or no if it is not."},
    )
    page_problem = forms.CharField(
        label="What was wrong or missing? (optional)",
        help_text="Do not include personal information, or anything that could identify a child.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_no_personal_data],
    )
