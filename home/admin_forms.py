"""The admin's triage form for a feedback submission."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from wagtail.admin.forms import WagtailAdminModelForm

from portal.roles import EDITORS_GROUP_NAME


def triage_users():
    """People who may be given feedback to deal with: editors and administrators."""
    return (
        get_user_model()
        .objects.filter(Q(is_superuser=True) | Q(groups__name=EDITORS_GROUP_NAME), is_active=True)
        .distinct()
        .order_by("email")
    )


class FeedbackTriageForm(WagtailAdminModelForm):
    acknowledge = forms.BooleanField(
        label="Email the sender an acknowledgement",
        required=False,
        help_text="Sent once, with the reference number, and only if they gave an email address "
        "and agreed to be contacted.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "assignee" in self.fields:
            self.fields["assignee"].queryset = triage_users()
        if not self.instance.reply_email or self.instance.acknowledged_at:
            self.fields["acknowledge"].disabled = True
