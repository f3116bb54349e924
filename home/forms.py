"""Forms for feedback: they validate what people send; the services decide what happens.

The feedback form page's own form is built by home.models.feedback.FeedbackFormBuilder."""

from django import forms

from portal.pii import validate_no_personal_data


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
