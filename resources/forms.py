from django import forms

from .models import Audience, Topic


class LibraryFilterForm(forms.Form):
    """The resource library's filters; plain GET parameters, so they work without JavaScript."""

    # An unknown filter is not the person's mistake to fix: the library shows everything and says so.
    audience = forms.ModelChoiceField(
        queryset=Audience.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="All audiences",
        error_messages={"invalid_choice": "Audience: that choice is not available. Showing everything instead."},
    )
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="All topics",
        error_messages={"invalid_choice": "Topic: that choice is not available. Showing everything instead."},
    )
