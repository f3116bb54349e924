"""The trend forms: the return form (built from `categories`), the import upload, and
the Wagtail admin's form for summary pages.

The return form holds only the quarter, the numbers and the note: the organisation,
version and submitter come from the membership and the service, never from what is
posted, so extra POST fields are ignored. The bulk import validates each spreadsheet row
with this same form, so these forms import only pure modules (never services).
"""

import re

from django import forms
from django.utils.html import strip_tags

from wagtail.admin.forms import WagtailAdminPageForm

from portal.pii import validate_no_personal_data

from ..links import LINKS_OUTSIDE_MESSAGE, links_outside
from .categories import BREAKDOWN_BY_KEY, BREAKDOWNS, CATEGORY_KEYS, column_label
from .quarters import Quarter, recent_quarters
from .validation import MAX_COUNT, NOTE_MAX_LENGTH, breakdown_errors, quarter_error, validate_note

NUMBER_ATTRS = {"inputmode": "numeric", "spellcheck": "false", "autocomplete": "off"}


def count_field(*, label, name, required):
    """A whole number from 0 to MAX_COUNT, typed as text (GOV.UK's advice for numbers)."""
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=MAX_COUNT,
        widget=forms.TextInput(attrs={**NUMBER_ATTRS, "class": "govuk-input govuk-input--width-5"}),
        error_messages={
            "required": f"Enter {name}",
            "invalid": f"{name[:1].upper()}{name[1:]} must be a whole number, like 0 or 12",
            "min_value": f"{name[:1].upper()}{name[1:]} must be 0 or more",
            "max_value": f"{name[:1].upper()}{name[1:]} must be {MAX_COUNT:,} or less",
        },
    )


class TrendReturnForm(forms.Form):
    quarter = forms.CharField(label="Quarter", error_messages={"required": "Choose the quarter this return is for"})
    total = count_field(
        label="Children and young people identified", name="the number of children identified", required=True
    )
    note = forms.CharField(
        label="Emerging tactics (optional)",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        help_text="New approaches, platforms or demands you have seen, in general terms. "
        "Do not include names, contact details, dates of birth, school names or case numbers.",
        widget=forms.Textarea(attrs={"rows": 5, "class": "govuk-textarea"}),
        error_messages={"max_length": f"The note must be {NOTE_MAX_LENGTH:,} characters or fewer"},
        validators=[validate_note],
    )

    def __init__(self, *args, quarters=None, **kwargs):
        super().__init__(*args, **kwargs)
        quarters = quarters if quarters is not None else recent_quarters()
        self.fields["quarter"].widget = forms.Select(
            choices=[(q.code, q.label) for q in quarters], attrs={"class": "govuk-select"}
        )
        for breakdown in BREAKDOWNS:
            for category in breakdown.categories:
                name = column_label(category.key).lower().replace(": ", ", ")
                self.fields[category.key] = count_field(label=category.label, name=name, required=False)
        self.order_fields(["quarter", "total", *CATEGORY_KEYS, "note"])
        self.breakdown_errors = {}

    def clean_quarter(self):
        try:
            quarter = Quarter.parse(self.cleaned_data["quarter"])
        except ValueError:
            raise forms.ValidationError("Choose a quarter, like 2026-Q1", code="invalid") from None
        message = quarter_error(quarter)
        if message:
            raise forms.ValidationError(message, code="quarter")
        return quarter

    def clean(self):
        cleaned = super().clean()
        for key in CATEGORY_KEYS:
            if key in cleaned and cleaned[key] is None:
                cleaned[key] = 0  # Left blank: none.
        if cleaned.get("total") is not None:
            # Each breakdown whose own numbers are valid is checked against the total.
            errors = breakdown_errors(total=cleaned["total"], counts=cleaned)
            self.breakdown_errors = {
                key: message for key, message in errors.items() if all(k in cleaned for k in BREAKDOWN_BY_KEY[key].keys)
            }
            for message in self.breakdown_errors.values():
                self.add_error(None, message)
        return cleaned

    @property
    def counts(self):
        return {key: self.cleaned_data[key] for key in CATEGORY_KEYS}

    def fieldsets(self):
        """Each breakdown with its bound fields and its error, for a fieldset per breakdown."""
        return [
            {
                "breakdown": breakdown,
                "fields": [self[key] for key in breakdown.keys],
                "error": self.breakdown_errors.get(breakdown.key),
                "id": f"breakdown-{breakdown.key}",
            }
            for breakdown in BREAKDOWNS
        ]

    def error_summary(self):
        """(link target, message) for every error, in the order of the page."""
        items = []
        for name in ["quarter", "total"]:
            items += [(self[name].id_for_label, error) for error in self.errors.get(name, [])]
        for fieldset in self.fieldsets():
            for field in fieldset["fields"]:
                items += [(field.id_for_label, error) for error in field.errors]
            if fieldset["error"]:
                items.append((fieldset["fields"][0].id_for_label, fieldset["error"]))
        items += [(self["note"].id_for_label, error) for error in self.errors.get("note", [])]
        return items


class ImportForm(forms.Form):
    """The spreadsheet to import; what is in it is checked by `services.trend_returns_import`."""

    file = forms.FileField(
        label="Upload a spreadsheet",
        help_text="A CSV or Excel (.xlsx) file made from the template, up to 1 MB and 500 returns.",
        widget=forms.FileInput(attrs={"class": "govuk-file-upload", "accept": ".csv,.xlsx"}),
        error_messages={"required": "Select a CSV or Excel file", "empty": "The selected file is empty"},
    )


def initial_from(trend_return, *, quarter):
    """The form's initial data: the latest version's figures, or just the quarter."""
    initial = {"quarter": quarter.code}
    if trend_return is not None:
        initial.update(trend_return.counts_by_key(), total=trend_return.total, note=trend_return.note)
    return initial


class TrendSummaryPageForm(WagtailAdminPageForm):
    """Title and slug default to the quarter; one summary per quarter under the same parent;
    the narrative, which may go to the public site, is screened for personal data."""

    def clean_narrative(self):
        narrative = self.cleaned_data.get("narrative") or ""
        # Block boundaries become spaces, so words from two paragraphs do not run together.
        validate_no_personal_data(strip_tags(re.sub(r"<", " <", narrative)))
        if links_outside(narrative, working_group=self._working_group()):
            raise forms.ValidationError(LINKS_OUTSIDE_MESSAGE)
        return narrative

    def _working_group(self):
        """The group whose summary this is; None for the all-regions summary (which every
        group's members read), so that only public links are allowed there."""
        parent = self.parent_page or (self.instance.get_parent() if self.instance.pk else None)
        parent = parent.specific if parent is not None else None
        return parent.get_working_group() if hasattr(parent, "get_working_group") else None

    def __init__(self, data=None, files=None, parent_page=None, *args, **kwargs):
        super().__init__(data, files, parent_page, *args, **kwargs)
        for name in ("title", "slug"):
            if name in self.fields:
                self.fields[name].required = False

    def clean(self):
        year, number = self.cleaned_data.get("year"), self.cleaned_data.get("quarter")
        if year and number:
            quarter = Quarter(year, number)
            if not self.cleaned_data.get("title"):
                self.cleaned_data["title"] = self.instance.__class__(year=year, quarter=number).default_title()
            if "slug" in self.fields and not self.cleaned_data.get("slug"):
                self.cleaned_data["slug"] = quarter.code.lower()
            parent = self.parent_page or (self.instance.get_parent() if self.instance.pk else None)
            if parent is not None:
                taken = (
                    self.instance.__class__.objects.child_of(parent)
                    .filter(year=year, quarter=number)
                    .exclude(pk=self.instance.pk)
                )
                if taken.exists():
                    self.add_error("quarter", f"There is already a summary for {quarter.label} here: edit that one.")
        elif not self.cleaned_data.get("title") and "year" not in self.errors and "quarter" not in self.errors:
            self.add_error("title", "Enter a title, or choose the quarter to name the summary after.")
        return super().clean()
