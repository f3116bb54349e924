"""The Wagtail admin's form for trend summary pages (the meetings' admin forms are in
`groups.meetings.admin_forms`).

Nothing here imports `groups.models`: the page models import this form.
"""

import re

from django.utils.html import strip_tags

from wagtail.admin.forms import WagtailAdminPageForm

from portal.pii import validate_no_personal_data

from .quarters import Quarter


class TrendSummaryPageForm(WagtailAdminPageForm):
    """Title and slug default to the quarter; one summary per quarter under the same parent;
    the narrative, which may go to the public site, is screened for personal data."""

    def clean_narrative(self):
        narrative = self.cleaned_data.get("narrative") or ""
        # Block boundaries become spaces, so words from two paragraphs do not run together.
        validate_no_personal_data(strip_tags(re.sub(r"<", " <", narrative)))
        return narrative

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
