from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Audience, Resource, SupportService, Topic
from .views import GuidanceReviewReportView


class SupportServiceViewSet(SnippetViewSet):
    model = SupportService
    icon = "link"
    list_display = ["name", "url", "phone", "last_checked"]
    list_filter = ["audiences", "topics"]
    search_fields = ["name", "description"]


class ResourceViewSet(SnippetViewSet):
    model = Resource
    icon = "doc-full"
    list_display = ["name", "url", "document", "last_checked"]
    list_filter = ["audiences", "topics"]
    search_fields = ["name", "description"]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    list_display = ["name", "slug"]


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "group"
    list_display = ["name", "slug"]


class LibraryViewSetGroup(ModelViewSetGroup):
    menu_label = "Library"
    menu_icon = "folder-open-inverse"
    menu_order = 250
    items = (SupportServiceViewSet, ResourceViewSet, TopicViewSet, AudienceViewSet)


register_snippet(LibraryViewSetGroup)


@hooks.register("register_reports_menu_item")
def register_guidance_review_menu_item():
    return MenuItem(
        "Guidance due for review",
        reverse("guidance_review_report"),
        icon_name="date",
        order=700,
    )


@hooks.register("register_admin_urls")
def register_guidance_review_url():
    return [
        path("reports/guidance-review/", GuidanceReviewReportView.as_view(), name="guidance_review_report"),
        path(
            "reports/guidance-review/results/",
            GuidanceReviewReportView.as_view(results_only=True),
            name="guidance_review_report_results",
        ),
    ]
