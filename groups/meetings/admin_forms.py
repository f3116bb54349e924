"""The Wagtail admin's forms for meeting pages: the server-side rules behind the editor.

The page form knows the working group (from the page, or from the parent when adding)
and hands it to the inline forms, so an action's owner can only be one of this group's
active members, a document only one the coordinator may choose, and a link in the
notes never points into another group's area. Everything is checked here, on the
server: the admin's widgets merely offer the same choices.

Nothing here imports `groups.models`: the page models import these forms (Wagtail wants
the classes themselves in `base_form_class` and the panels), so the forms find the
working group through the page objects they are given and reach the database through
Wagtail's `Page` alone. The one exception, the action owners' choices, is documented
where it is made.
"""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format

from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.admin.panels import InlinePanel
from wagtail.documents import get_document_model
from wagtail.models import Page
from wagtail.permissions import policy_registry

from ..links import LINKS_OUTSIDE_MESSAGE, links_outside

INVALID_DATE_TIME = "Enter a real date and time, for example 2026-03-03 10:00."


def meeting_default_title(start):
    """“Meeting on 3 March 2026”, in the group's local time."""
    return f"Meeting on {date_format(timezone.localtime(start), 'j F Y')}"


def meeting_default_slug(start, *, parent, page=None):
    """The meeting's date (2026-03-03), with -2, -3 … when the group has one that day already."""
    base = timezone.localtime(start).date().isoformat()
    candidate, n = base, 1
    while not Page._slug_is_available(candidate, parent, page):
        n += 1
        candidate = f"{base}-{n}"
    return candidate


class GroupInlinePanel(InlinePanel):
    """An InlinePanel whose child forms are `form_class` and receive the user and group."""

    def __init__(self, *args, form_class=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.form_class = form_class

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "form_class": self.form_class}

    def get_form_options(self):
        options = super().get_form_options()
        formset = options["formsets"][self.relation_name]
        if self.form_class is not None:
            formset["form"] = self.form_class
        formset["inherit_kwargs"] = ["for_user", "working_group"]
        return options


def _working_group_of(page, parent_page):
    # Every page of a group's area has `get_working_group` (GroupPrivateMixin).
    for candidate in (page, parent_page):
        if candidate is not None and candidate.pk and hasattr(candidate.specific_deferred, "get_working_group"):
            return candidate.specific_deferred.get_working_group()
    return None


class MeetingPageForm(WagtailAdminPageForm):
    """Title and slug default to the meeting's date; the dates must be real and in order."""

    def __init__(self, data=None, files=None, parent_page=None, *args, **kwargs):
        # Set before the formsets are built: they inherit it (see GroupInlinePanel).
        self.working_group = _working_group_of(kwargs.get("instance"), parent_page)
        super().__init__(data, files, parent_page, *args, **kwargs)
        for name in ("title", "slug"):
            if name in self.fields:
                self.fields[name].required = False
        for name in ("start", "end"):
            if name in self.fields:
                self.fields[name].error_messages["invalid"] = INVALID_DATE_TIME
        if "online_link" in self.fields:
            self.fields["online_link"].error_messages["invalid"] = "Enter a link that starts with https://"

    def clean(self):
        start = self.cleaned_data.get("start")
        if start:
            if not self.cleaned_data.get("title"):
                self.cleaned_data["title"] = meeting_default_title(start)
            if "slug" in self.fields and not self.cleaned_data.get("slug"):
                parent = self.parent_page or (self.instance.get_parent() if self.instance.pk else None)
                self.cleaned_data["slug"] = meeting_default_slug(start, parent=parent, page=self.instance)
        elif not self.cleaned_data.get("title") and "start" not in self.errors:
            self.add_error("title", "Enter a title, or a start date and time to name the meeting after.")
        return super().clean()


class GroupChildForm(WagtailAdminModelForm):
    """An inline form that knows its page's working group."""

    def __init__(self, *args, working_group=None, **kwargs):
        self.working_group = working_group
        super().__init__(*args, **kwargs)


class ActionItemForm(GroupChildForm):
    """An action's owner must be an active member of this group (or its present owner)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("owner_user")
        if field is not None:
            # A documented break of the layers: the models import this form, and the
            # choices are the meetings' selector's (the same rule as the front end).
            from .selectors import action_owner_choices  # noqa: PLC0415

            field.queryset = action_owner_choices(working_group=self.working_group, keep=self.instance.owner_user_id)
            field.label_from_instance = lambda user: user.get_full_name() or user.get_username()
            field.error_messages["invalid_choice"] = (
                "Choose someone who is an active member of this working group: that person is not."
            )
        if "due_date" in self.fields:
            self.fields["due_date"].error_messages["invalid"] = "Enter a real date, for example 2026-04-30."


class MeetingDocumentForm(GroupChildForm):
    """Only documents the coordinator may choose can be linked, whatever id is posted."""

    def clean_document(self):
        permission_policy = policy_registry.get_by_type(get_document_model())
        document = self.cleaned_data.get("document")
        user = self.for_user
        if document is not None and not (
            user is not None and permission_policy.user_has_permission_for_instance(user, "choose", document)
        ):
            raise forms.ValidationError("Choose a document from this group's documents.")
        return document


class AgendaItemForm(GroupChildForm):
    """Notes may link to public pages and documents and to this group's own, never another
    group's (groups.links)."""

    def clean_notes(self):
        notes = self.cleaned_data.get("notes") or ""
        if links_outside(notes, working_group=self.working_group):
            raise forms.ValidationError(LINKS_OUTSIDE_MESSAGE)
        return notes
