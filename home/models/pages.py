"""The public site's frame: home page, standard pages and site-wide settings."""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, get_page_models
from wagtail.search import index

from ..blocks import BodyStreamBlock, anchored_blocks
from ..routing import child_page, prefetch_route

PANEL_TEXT_FEATURES = ["bold", "italic", "ul", "ol", "link"]


def _page_model_labels():
    return {model._meta.label_lower for model in get_page_models()}


class HomePage(Page):
    """The front door: what the site is for, the guidance to start with, and where to get help."""

    introduction = RichTextField(features=PANEL_TEXT_FEATURES)
    child_tells_you_heading = models.CharField(max_length=120, default="If a child tells you")
    child_tells_you = RichTextField(
        features=PANEL_TEXT_FEATURES, help_text="The first things to do when a child discloses."
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        InlinePanel("featured_guidance", label="Featured guidance", max_num=6),
        MultiFieldPanel(
            [FieldPanel("child_tells_you_heading"), FieldPanel("child_tells_you")], heading="Disclosure panel"
        ),
        InlinePanel("support_links", label="Support links", max_num=8),
    ]
    search_fields = [*Page.search_fields, index.SearchField("introduction"), index.SearchField("child_tells_you")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    template = "home/home_page.html"

    def route(self, request, path_components):
        # Wagtail reads a child page, then its specific type: two queries. The site's frame
        # (home.frame) knows each child's type by its slug, so the child is read in one.
        # Each level's page is kept in the shared cache under the frame (home.routing):
        # all of them are read at once here.
        prefetch_route(request, self, path_components)
        child_type = getattr(request, "portal_child_types", {}).get(path_components[0]) if path_components else None
        model = apps.get_model(child_type) if child_type in _page_model_labels() else None
        if model is not None:
            child = child_page(request, self, model, path_components[0])
            if child is not None:
                child._cached_parent_obj = self  # as Wagtail's routing does
                return child.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["featured_guidance"] = [
            item.page.specific for item in self.featured_guidance.select_related("page") if item.page.live
        ]
        context["support_links"] = [item.service for item in self.support_links.select_related("service")]
        return context


class HomePageFeaturedGuidance(Orderable):
    home_page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_guidance")
    page = models.ForeignKey("resources.GuidancePage", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("page")]


class HomePageSupportLink(Orderable):
    home_page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="support_links")
    service = models.ForeignKey("resources.SupportService", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("service")]


class SectionedBodyMixin:
    """For pages whose `body` is a BodyStreamBlock: anchors for its sections, and the
    "On this page" list built from the same anchors."""

    @cached_property
    def anchored_body(self):
        return anchored_blocks(self.body)

    @cached_property
    def contents(self):
        return [(anchor, block.value["heading"]) for block, anchor in self.anchored_body if anchor]


class StandardPage(SectionedBodyMixin, Page):
    """A plain page: the accessibility statement, privacy notice, safety page, about us."""

    introduction = models.TextField(blank=True)
    body = StreamField(BodyStreamBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("introduction"), index.SearchField("body")]
    parent_page_types = ["home.HomePage", "home.StandardPage"]
    template = "home/standard_page.html"


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    """Who runs the site, where quick exit goes, and the site-wide alert banner.

    One settings model, so every page reads them with a single query.
    """

    organisation_name = models.CharField(max_length=200, default="The Children's Society")
    organisation_email = models.EmailField(
        blank=True,
        help_text=(
            "Where feedback goes unless a form or a routing rule names other addresses. "
            "While it is empty, feedback is stored for triage in the admin but emailed to no one."
        ),
    )
    organisation_phone = models.CharField(max_length=40, blank=True)
    organisation_address = models.TextField(blank=True)

    quick_exit_url = models.URLField(
        "Quick exit destination",
        default="https://www.bbc.co.uk/weather",
        help_text="An ordinary, harmless site. Must start with https://.",
    )

    safety_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Explains quick exit and private browsing; linked from every page.",
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    feedback_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The feedback form, linked from every page's footer.",
    )

    alert_enabled = models.BooleanField("Show the alert banner", default=False)
    alert_title = models.CharField(max_length=80, default="Important", blank=True)
    alert_message = RichTextField(features=["bold", "link"], blank=True)

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("organisation_name"),
                    FieldPanel("organisation_email"),
                    FieldPanel("organisation_phone"),
                    FieldPanel("organisation_address"),
                ],
                heading="Coordinating organisation",
            ),
            ObjectList([FieldPanel("quick_exit_url"), FieldPanel("safety_page")], heading="Quick exit"),
            ObjectList(
                [FieldPanel("accessibility_page"), FieldPanel("privacy_page"), FieldPanel("feedback_page")],
                heading="Footer links",
            ),
            ObjectList(
                [FieldPanel("alert_enabled"), FieldPanel("alert_title"), FieldPanel("alert_message")],
                heading="Alert banner",
            ),
        ]
    )

    select_related = ["safety_page", "accessibility_page", "privacy_page", "feedback_page"]

    class Meta:
        verbose_name = "portal settings"

    def clean(self):
        if not self.quick_exit_url.startswith("https://"):
            raise ValidationError({"quick_exit_url": "Use an https:// address."})
        if self.alert_enabled and not self.alert_message:
            raise ValidationError({"alert_message": "Write the message to show, or switch the banner off."})
