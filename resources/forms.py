from django import forms

from .models import Audience, Topic


class LibraryFilterForm(forms.Form):
    """The resource library's filters; plain GET parameters, so they work without JavaScript."""

    audience = forms.ModelChoiceField(
        queryset=Audience.objects.all(), to_field_name="slug", required=False, empty_label="All audiences"
    )
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.all(), to_field_name="slug", required=False, empty_label="All topics"
    )
