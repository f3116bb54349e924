"""The shared guidance and the library of support services and resources."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.blocks import BodyStreamBlock
from home.models import SectionedBodyMixin


class Audience(models.Model):
    """Who a piece of guidance or a resource is written for (a fixed, short list)."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Topic(models.Model):
    """A subject that guidance and resources can be filtered by; editors add more."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class LibraryItem(index.Indexed, models.Model):
    """What support services and resources share: a described, checked, filterable link."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    url = models.URLField("Web address", max_length=500, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    audiences = models.ManyToManyField(Audience, blank=True)
    topics = models.ManyToManyField(Topic, blank=True)
    last_checked = models.DateField(
        null=True, blank=True, help_text="When someone last checked that this is still accurate."
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("url"),
        FieldPanel("phone"),
        FieldRowPanel([FieldPanel("audiences"), FieldPanel("topics")]),
        FieldPanel("last_checked"),
    ]
    search_fields = [
        index.SearchField("name", boost=2),
        index.SearchField("description"),
        index.AutocompleteField("name"),
        index.FilterField("id"),
    ]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def link(self):
        return self.url


class SupportService(LibraryItem):
    """An organisation or helpline that children, parents or professionals can turn to."""

    class Meta(LibraryItem.Meta):
        verbose_name = "support service"

    def clean(self):
        if not (self.url or self.phone):
            raise ValidationError("Give a web address, a phone number, or both.")


class Resource(LibraryItem):
    """A document or web page for professionals, parents or young people."""

    document = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [*LibraryItem.panels[:3], FieldPanel("document"), *LibraryItem.panels[3:]]

    class Meta(LibraryItem.Meta):
        verbose_name = "resource"

    def clean(self):
        if not (self.url or self.document_id):
            raise ValidationError("Give a web address or choose a document.")

    @property
    def link(self):
        return self.document.url if self.document_id else self.url


class GuidanceIndexPage(Page):
    """The list of published guidance."""

    introduction = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["resources.GuidancePage"]
    max_count = 1
    template = "resources/guidance_index_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["guidance_pages"] = GuidancePage.objects.child_of(self).live().public().prefetch_related("audiences")
        return context


class GuidancePage(SectionedBodyMixin, Page):
    """One piece of guidance, with its audience, owner and review dates shown to readers."""

    summary = models.TextField(help_text="One or two sentences shown in lists and search results.")
    audiences = ParentalManyToManyField(Audience, blank=True)
    topics = ParentalManyToManyField(Topic, blank=True)
    body = StreamField(BodyStreamBlock())
    content_owner = models.CharField(
        max_length=200, help_text="The team responsible for keeping this guidance accurate."
    )
    last_reviewed = models.DateField()
    next_review_due = models.DateField()

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("footnotes", label="Footnotes"),
    ]
    promote_panels = [
        *Page.promote_panels,
        MultiFieldPanel(
            [FieldPanel("audiences"), FieldPanel("topics")],
            heading="Audience and topics",
        ),
        MultiFieldPanel(
            [
                FieldPanel("content_owner"),
                FieldRowPanel([FieldPanel("last_reviewed"), FieldPanel("next_review_due")]),
                InlinePanel("changes", label="Change log (shown to readers)"),
            ],
            heading="Ownership and review",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
    ]
    parent_page_types = ["resources.GuidanceIndexPage"]
    subpage_types: list[str] = []
    template = "resources/guidance_page.html"

    def clean(self):
        super().clean()
        if self.last_reviewed and self.next_review_due and self.next_review_due <= self.last_reviewed:
            raise ValidationError({"next_review_due": "The next review must come after the last review."})

    @property
    def review_overdue(self):
        return self.next_review_due < timezone.localdate()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["changes"] = self.changes.all()
        return context


class GuidanceChange(Orderable):
    """A line of the reader-visible change log: what changed in the guidance, and when."""

    page = ParentalKey(GuidancePage, on_delete=models.CASCADE, related_name="changes")
    date = models.DateField()
    summary = models.CharField(max_length=300)

    panels = [FieldPanel("date"), FieldPanel("summary")]

    class Meta(Orderable.Meta):
        ordering = ["-date", "sort_order"]


class ResourceIndexPage(Page):
    """The library of support services and resources, filtered by audience and topic."""

    introduction = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count = 1
    template = "resources/resource_index_page.html"

    def get_context(self, request, *args, **kwargs):
        # The one import from a higher layer in this app's models: the library's filter form
        # and queries are a selector, and the selector imports these models.
        from .selectors import library_filter  # noqa: PLC0415

        context = super().get_context(request, *args, **kwargs)
        context.update(library_filter(params=request.GET))
        return context
