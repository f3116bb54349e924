"""Forms for invitations and memberships: they validate input; the services decide."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password

from portal.profiles import PersonDetailsForm

from ..models import (
    Membership,
    Organisation,
)


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

    def __init__(self, *args, group_title="", organisations=None, **kwargs):
        """`organisations` is (the group's own, the others), from
        `selectors.invitation_organisations`: offered in two groups, the group's first.
        The choices only order the list; any organisation is still accepted."""
        super().__init__(*args, **kwargs)
        if organisations is None:
            return
        ours, others = organisations
        field = self.fields["organisation"]
        if not ours:
            field.choices = [("", field.empty_label), *((o.pk, o.name) for o in others)]
            return
        field.choices = [
            ("", field.empty_label),
            (f"In the {group_title}", [(o.pk, o.name) for o in ours]),
            ("Other organisations", [(o.pk, o.name) for o in others]),
        ]


class InvitationAcceptForm(PersonDetailsForm):
    """A new account's name and job title (how the group will see them) and its password,
    checked against the site's password rules."""

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
        # An unsaved user, so the similarity rule compares the password with the address
        # and the name (cleaned before the password: the fields are cleaned in order).
        user = get_user_model()(
            email=self.email,
            username=self.email.split("@")[0],
            first_name=self.cleaned_data.get("first_name", ""),
            last_name=self.cleaned_data.get("last_name", ""),
        )
        validate_password(password, user)
        return password

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password2") and cleaned["password1"] != cleaned["password2"]:
            self.add_error("password2", "The passwords do not match.")
        return cleaned


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Membership.Role.choices)
