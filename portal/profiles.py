"""A person's name and job title: asked for when they accept an invitation, changed from
"Your account", shown wherever the people they work with see them.

The name is Django's own (first_name, last_name); the job title is the portal's Profile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.db import transaction

from .models import Profile

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

NAME_MAX_LENGTH = 150  # Django's User.first_name and last_name
JOB_TITLE_MAX_LENGTH = Profile._meta.get_field("job_title").max_length or 100


class PersonDetailsForm(forms.Form):
    """First name, last name and job title, each required, with GOV.UK's wording.

    Shared by the invitation form (a new account) and "Your account" (a change later).
    """

    first_name = forms.CharField(
        label="First name",
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "given-name", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your first name",
            "max_length": f"First name must be {NAME_MAX_LENGTH} characters or fewer",
        },
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "family-name", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your last name",
            "max_length": f"Last name must be {NAME_MAX_LENGTH} characters or fewer",
        },
    )
    job_title = forms.CharField(
        label="Job title",
        help_text="As the people you work with would know it, for example Detective Sergeant or School nurse.",
        max_length=JOB_TITLE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
        error_messages={
            "required": "Enter your job title",
            "max_length": f"Job title must be {JOB_TITLE_MAX_LENGTH} characters or fewer",
        },
    )

    def _clean_text(self, name: str) -> str:
        """Spaces inside collapsed to one (a name of only spaces is an empty name)."""
        return " ".join(self.cleaned_data[name].split())

    def clean_first_name(self) -> str:
        return self._clean_text("first_name")

    def clean_last_name(self) -> str:
        return self._clean_text("last_name")

    def clean_job_title(self) -> str:
        return self._clean_text("job_title")


def person_details(user: User) -> dict[str, str]:
    """The person's name and job title as the form's initial values."""
    return {"first_name": user.first_name, "last_name": user.last_name, "job_title": job_title_of(user)}


def display_name(user: User) -> str:
    """How allauth names the person (ACCOUNT_USER_DISPLAY: "Successfully signed in as …"),
    as the header does: their name, or their email address while they have given none.
    allauth's default is the username, which here is an email prefix nobody chose."""
    return user.get_full_name() or user.email


def job_title_of(user: User | AnonymousUser | None) -> str:
    """The person's job title, or "" when they have given none (no query when the
    profile was fetched with the user, select_related("profile"))."""
    if user is None or not user.is_authenticated:
        return ""
    try:
        return user.profile.job_title
    except Profile.DoesNotExist:
        return ""


@transaction.atomic
def person_details_change(*, user: User, first_name: str, last_name: str, job_title: str) -> None:
    """Set the person's name and job title (already validated by PersonDetailsForm)."""
    user.first_name, user.last_name = first_name, last_name
    user.save(update_fields=["first_name", "last_name"])
    Profile.objects.update_or_create(user=user, defaults={"job_title": job_title})
