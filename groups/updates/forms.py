"""Forms for members' updates: they validate input; the services decide."""

from django import forms
from django.utils.functional import lazy
from django.utils.text import format_lazy

from portal.pii import validate_no_personal_data

from ..models import (
    UPDATE_BODY_MAX_LENGTH,
    UPDATE_TITLE_MAX_LENGTH,
    UpdateTag,
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
        # Read only when there is an error to show: a feed kept as rendered reads no topics.
        names = lazy(lambda: ", ".join(tag.name for tag in tags), str)()
        self.fields["tag"].error_messages["invalid_choice"] = format_lazy(
            "There is no such topic. Choose one of: {}", names
        )
