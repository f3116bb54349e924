"""Forms for the members' area: they validate input; the services decide."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password

from portal.pii import validate_no_personal_data

from .models import (
    UPDATE_BODY_MAX_LENGTH,
    UPDATE_TITLE_MAX_LENGTH,
    ActionItem,
    Membership,
    NotificationFrequency,
    Organisation,
    UpdateTag,
)

NOTE_MAX_LENGTH = 500


class InvitationForm(forms.Form):
    """Who to invite, and as what. The group comes from the URL, never from the form."""

    email = forms.EmailField(
        label="Email address",
        help_text="Their work email address. The invitation can only be accepted from this address.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    organisation = forms.ModelChoiceField(
        label="Organisation", queryset=Organisation.objects.all(), empty_label="Choose their organisation"
    )
    role = forms.ChoiceField(label="Role", choices=Membership.Role.choices, initial=Membership.Role.MEMBER)


class InvitationAcceptForm(forms.Form):
    """A new account's password, checked against the site's password rules."""

    password1 = forms.CharField(
        label="Create a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Confirm your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_password1(self):
        password = self.cleaned_data["password1"]
        # An unsaved user, so the similarity rule compares the password with the address.
        validate_password(password, get_user_model()(email=self.email, username=self.email.split("@")[0]))
        return password

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password2") and cleaned["password1"] != cleaned["password2"]:
            self.add_error("password2", "The passwords do not match.")
        return cleaned


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Membership.Role.choices)


class NotificationPreferencesForm(forms.Form):
    """One choice of frequency per group the person belongs to (`group-<pk>`).

    A field for any other group in the POST is an error, not something quietly
    ignored: nothing is saved and the person is told.
    """

    PREFIX = "group-"

    def __init__(self, *args, preferences, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = {}
        for group, frequency in preferences:
            name = f"{self.PREFIX}{group.pk}"
            self.groups[name] = group
            self.fields[name] = forms.ChoiceField(
                label=group.title,
                choices=NotificationFrequency.choices,
                initial=frequency,
                widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
                error_messages={"required": f"Choose how often to hear about the {group.title}."},
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
        return [(group, self[name]) for name, group in self.groups.items()]


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


def _without_maxlength(field):
    # GOV.UK advises against maxlength: browsers cut pasted text short without saying so.
    # The limit is checked on the server instead, with an error that keeps the text.
    field.widget.attrs.pop("maxlength", None)
    return field


class UpdateForm(forms.Form):
    """An update's title, body and topics. The group, author, organisation and times come
    from the URL, the signed-in person and the service, never from the form."""

    title = forms.CharField(
        label="Title",
        max_length=UPDATE_TITLE_MAX_LENGTH,
        validators=[validate_no_personal_data],
        error_messages={
            "required": "Enter a title",
            "max_length": "Title must be %(limit_value)d characters or fewer (it has %(show_value)d)",
        },
    )
    body = forms.CharField(
        label="Update",
        max_length=UPDATE_BODY_MAX_LENGTH,
        validators=[validate_no_personal_data],
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=(
            "Up to 5,000 characters. Leave a blank line between paragraphs, start a line with “- ” "
            "for a bulleted list; https links become links. Never include anything that could "
            "identify a child, a family or a case."
        ),
        error_messages={
            "required": "Enter your update",
            "max_length": "Update must be %(limit_value)d characters or fewer (it has %(show_value)d)",
        },
    )
    tags = forms.ModelMultipleChoiceField(
        label="Topics",
        queryset=UpdateTag.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={
            "required": "Choose at least one topic",
            "invalid_choice": "Choose topics from the list",
            "invalid_pk_value": "Choose topics from the list",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "body"):
            _without_maxlength(self.fields[name])


class UpdateFilterForm(forms.Form):
    """The feed's topic filter (GET): one topic, or all of them."""

    tag = forms.ModelChoiceField(
        label="Topic",
        queryset=UpdateTag.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="All topics",
    )

    def __init__(self, *args, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].queryset = tags
        names = ", ".join(tag.name for tag in tags)
        self.fields["tag"].error_messages["invalid_choice"] = f"There is no such topic. Choose one of: {names}"
