"""The notification preferences form: it validates input; the services decide."""

from django import forms

from ..models import (
    NotificationFrequency,
)


class NotificationPreferencesForm(forms.Form):
    """One choice of frequency per group the person belongs to (`group-<pk>`).

    A field for any other group in the POST is an error, not something quietly
    ignored: nothing is saved and the person is told.
    """

    PREFIX = "group-"

    def __init__(self, *args, preferences, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = {}
        for working_group, frequency in preferences:
            name = f"{self.PREFIX}{working_group.pk}"
            self.groups[name] = working_group
            self.fields[name] = forms.ChoiceField(
                label=working_group.title,
                choices=NotificationFrequency.choices,
                initial=frequency,
                widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
                error_messages={"required": f"Choose how often to hear about the {working_group.title}."},
            )

    def clean(self):
        cleaned = super().clean()
        unknown = [key for key in self.data if key.startswith(self.PREFIX) and key not in self.fields]
        if unknown:
            raise forms.ValidationError(
                "You can only choose notifications for your own working groups. Nothing was saved.", code="group"
            )
        return cleaned

    def choices(self):
        """{group pk: frequency}, for the service."""
        return {self.groups[name].pk: value for name, value in self.cleaned_data.items()}

    def group_fields(self):
        """(group, bound field) pairs, for the template."""
        return [(working_group, self[name]) for name, working_group in self.groups.items()]
