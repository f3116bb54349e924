"""Trend summaries: the pages coordinators publish, and the figures fixed at publication.

A `TrendSummaryPage` (one region, under its `WorkingGroupPage`) or an
`AllRegionsTrendSummaryPage` (every region, under the members' area) holds only what
people write: the quarter and the narrative. Its figures are a `TrendPublication` in the
ledger (`groups.models.ledger`), computed from the returns when a revision is published
(`groups.trends.services`), protected and audited, and tied to that revision. Pages read
their figures from the ledger entries of their live revision and nowhere else, so later
returns change nothing published until a new revision is published.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.urls import reverse
from django.utils.module_loading import import_string

from wagtail.actions.publish_page_revision import PublishPagePermissionError
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, Panel
from wagtail.fields import RichTextField
from wagtail.models import Page, Workflow
from wagtail.search import index

from ..trends.quarters import FIRST_YEAR, Quarter
from .meetings import RESERVED_SLUGS
from .stewardship import TrendSummaryApprovalTask, approved_by_a_steward
from .working_groups import GroupPrivateMixin, MembersAreaPageMixin

# Emerging themes in words: no images or embeds (Wagtail images are always public, embeds
# fetch from other origins), no document links.
NARRATIVE_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link"]


class LazyFormClass:
    """A `base_form_class` named by its dotted path and imported when Wagtail first asks.

    Models never import forms (imports run views → services → selectors → permissions →
    models), but Wagtail 8 accepts only a class here, not a dotted path. It reads the
    attribute only when it builds the edit handler (the first admin request or system
    check), so resolving the path then keeps the form with its feature (`groups.trends.forms`).
    """

    def __init__(self, path):
        self.path = path

    def __get__(self, instance, owner):
        return import_string(self.path)


NOT_APPROVED = (
    "A trend summary goes live only when a data steward from another organisation approves it: "
    "submit it for approval instead."
)


class AuditPanel(Panel):
    """The disclosure audit of the draft on the edit view, for the person preparing the
    summary and the data steward approving it: passed or refused (naming kinds of figure,
    never a value), and the share of figures at or above the threshold each copy shows.
    A steward who may not approve it is told why here."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "groups/admin/trend_audit_panel.html"

        def is_shown(self):
            return self.instance.pk is not None

        def get_context_data(self, parent_context=None):
            # Imported here: the audit is the trends selectors', which import these models.
            from ..trends.selectors import trend_summary_audit_report  # noqa: PLC0415

            context = super().get_context_data(parent_context)
            context["report"] = trend_summary_audit_report(page=self.instance)
            task = self.instance.current_workflow_task
            task = task.specific if task is not None else None
            if isinstance(task, TrendSummaryApprovalTask) and task.user_can_access_editor(
                self.instance, self.request.user
            ):
                context["refusal"] = task.approval_refusal(self.instance, self.request.user)
                if context["refusal"] is None and (release := task.release_refusal(self.instance)):
                    context["refusal"] = release
                    context["release_url"] = reverse("trend_release", args=[self.instance.period.code])
            return context


class TrendSummaryFields(models.Model):
    """What both kinds of summary page share: the quarter and the narrative, and the two
    keys: a summary goes live only through the "Trend summary approval" workflow, when a
    data steward approves it (`groups.models.stewardship`)."""

    year = models.PositiveSmallIntegerField(help_text="The year of the quarter, e.g. 2026.")
    quarter = models.PositiveSmallIntegerField(
        choices=[(n, f"Q{n}: {Quarter(2000, n).label.removesuffix(' 2000')}") for n in range(1, 5)]
    )
    narrative = RichTextField(
        "Emerging themes",
        blank=True,
        features=NARRATIVE_FEATURES,
        help_text="What is changing, in general terms. Never anything that could identify a child or a case.",
    )

    summary_panels = [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("year"), FieldPanel("quarter")])],
            heading="Quarter",
            help_text="Only a quarter that has ended. The figures are computed from the returns when you publish.",
        ),
        FieldPanel("narrative"),
        AuditPanel(heading="Disclosure audit of this draft"),
    ]
    base_form_class = LazyFormClass("groups.trends.forms.TrendSummaryPageForm")
    steward_approval_required = True  # groups.models.PrivatePagePermissionTester.can_publish
    search_fields: list[index.BaseField] = []
    subpage_types: list[str] = []

    class Meta:
        abstract = True

    @property
    def period(self):
        return Quarter(self.year, self.quarter)

    def clean(self):
        super().clean()
        errors = {}
        if self.year and self.quarter:
            if self.year < FIRST_YEAR:
                errors["year"] = f"Choose a year from {FIRST_YEAR} onwards."
            elif not self.period.has_ended():
                errors["quarter"] = f"{self.period.label} has not ended yet: choose a quarter that has ended."
            elif self._same_quarter_siblings().exists():
                errors["quarter"] = f"There is already a summary for {self.period.label} here."
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = f"“{self.slug}” is the address of a section of the group's area: choose another."
        if errors:
            raise ValidationError(errors)

    def _same_quarter_siblings(self):
        if not self.path:  # not in the tree yet: the check runs again when it is added
            return type(self).objects.none()
        siblings = type(self).objects.filter(year=self.year, quarter=self.quarter).child_of(self.get_parent())
        return siblings.exclude(pk=self.pk)

    def _set_quarter_defaults(self):
        """A title and slug from the quarter when left blank ("… April to June 2026", "2026-q2")."""
        if self.year and self.quarter:
            if not self.title:
                self.title = self.default_title()
            if not self.slug:
                self.slug = self.period.code.lower()

    def full_clean(self, *args, **kwargs):
        self._set_quarter_defaults()
        super().full_clean(*args, **kwargs)

    def minimal_clean(self):  # Wagtail's check when a draft is saved
        self._set_quarter_defaults()
        super().minimal_clean()

    def get_workflow(self):
        """The trend summary approval workflow, whatever is assigned above the page: the
        data steward's key is not optional. None only if an administrator switched it off,
        and then nothing publishes a summary (see `publish`)."""
        return (
            Workflow.objects.filter(active=True, workflow_tasks__task__in=TrendSummaryApprovalTask.objects.all())
            .distinct()
            .first()
        )

    @property
    def has_workflow(self):
        return self.get_workflow() is not None

    def publish(self, revision, user=None, **kwargs):
        """Every route to going live (the edit view, bulk actions, the admin API, scheduled
        publishing, code) ends here: refuse a revision no data steward approved."""
        if not approved_by_a_steward(revision):
            raise PublishPagePermissionError(NOT_APPROVED)
        return super().publish(revision, user=user, **kwargs)

    def get_context(self, request, *args, **kwargs):
        # Imported here: the figures come from the trends selectors, which import these models.
        from ..trends.selectors import summary_page_context  # noqa: PLC0415

        context = super().get_context(request, *args, **kwargs)
        context.update(summary_page_context(page=self, request=request))
        return context


# django-stubs cannot type Wagtail's PageManager (Wagtail ships no types), nor the reverse
# manager of FeedbackSubmission.page (a Wagtail form submission, untyped too).
class TrendSummaryPage(GroupPrivateMixin, TrendSummaryFields, Page):  # type: ignore[django-manager-missing]
    """One region's trend summary for a quarter, private to the working group unless the
    coordinator also publishes it to the public site (with the public threshold)."""

    publish_publicly = models.BooleanField(
        "Also publish to the public site",
        default=False,
        help_text="The public copy shows the narrative and the figures with the public threshold applied.",
    )

    content_panels = [
        FieldPanel("title", help_text="Leave blank for the quarter, e.g. “April to June 2026”."),
        *TrendSummaryFields.summary_panels,
        FieldPanel("publish_publicly"),
    ]
    parent_page_types = ["groups.WorkingGroupPage"]
    subpage_types: list[str] = []
    template = "groups/trend_summary_page.html"

    class Meta:
        verbose_name = "trend summary"

    def __str__(self):
        return self.title

    def default_title(self):
        return f"Trend summary: {self.period.label}"


# django-stubs cannot type Wagtail's PageManager (Wagtail ships no types), nor the reverse
# manager of FeedbackSubmission.page (a Wagtail form submission, untyped too).
class AllRegionsTrendSummaryPage(MembersAreaPageMixin, TrendSummaryFields, Page):  # type: ignore[django-manager-missing]
    """The trend summary across every region for a quarter, at /members/<slug>/.

    Readable by every active member of any working group (and administrators); 404 for
    anyone else signed in. Created and published by administrators only: coordinators'
    page permissions cover their own group's subtree, and editors have none in the
    members' area (a page permission there would reach every group's pages).
    """

    content_panels = [
        FieldPanel("title", help_text="Leave blank for the quarter, e.g. “All regions: April to June 2026”."),
        *TrendSummaryFields.summary_panels,
    ]
    parent_page_types = ["groups.MembersAreaIndexPage"]
    subpage_types: list[str] = []
    template = "groups/trend_summary_page.html"

    class Meta:
        verbose_name = "all-regions trend summary"

    def __str__(self):
        return self.title

    def default_title(self):
        return f"All regions: {self.period.label}"

    def check_access(self, request):
        # Permissions import these models, so the all-regions predicate is imported on first use.
        from ..permissions import can_view_all_regions  # noqa: PLC0415

        if not can_view_all_regions(getattr(request, "user", None)):
            raise Http404

    def route(self, request, path_components):
        self.check_access(request)
        return super().route(request, path_components)

    def serve(self, request, *args, **kwargs):
        self.check_access(request)
        return super().serve(request, *args, **kwargs)
