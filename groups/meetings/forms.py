"""The action status form: it validates input; the services decide."""

from django import forms

from portal.pii import validate_no_personal_data

from ..models import (
    ActionItem,
)

NOTE_MAX_LENGTH = 500


class ActionStatusForm(forms.Form):
    """A member's update to an action: its new status and a short progress note.

    Only these two fields are read, whatever else is posted: the action, its owner and
    its group come from the URL and the database.
    """

    status = forms.ChoiceField(
        label="Status",
        choices=ActionItem.Status.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a status.",
            "invalid_choice": "Choose a status from the list.",
        },
    )
    note = forms.CharField(
        label="Progress note (optional)",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_no_personal_data],
        help_text="What has been done, or why the status changed. No names or contact details of children or families.",
        error_messages={"max_length": f"Keep the note to {NOTE_MAX_LENGTH} characters or fewer."},
    )
