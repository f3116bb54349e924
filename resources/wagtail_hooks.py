from django.urls import path, reverse
from django.utils.formats import date_format

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.admin_panels import DashboardPanel, PanelContent, PanelRow, panel_more
from portal.roles import is_editor

from .models import Audience, Resource, SupportService, Topic
from .selectors import guidance_due_for_review_by
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


class GuidanceReviewPanel(DashboardPanel):
    """Editors' guidance past its review date, oldest first, so none goes stale unseen."""

    name = "guidance-due-for-review"
    heading = "Guidance due for review"
    order = 40
    shown = 5

    def content(self, user):
        if not is_editor(user):
            return None
        due = guidance_due_for_review_by(user=user)
        pages = list(due[: self.shown])
        total = due.count()
        if not total:
            return PanelContent(summary="No guidance is past its review date.")
        rows = [
            PanelRow(
                text=page.title,
                url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
                detail=f"Review was due {date_format(page.next_review_due, 'j F Y')}",
            )
            for page in pages
        ]
        summary = (
            "1 guidance page is past its review date."
            if total == 1
            else f"{total} guidance pages are past their review date."
        )
        return PanelContent(
            summary=summary,
            rows=rows,
            more=panel_more(total, len(pages), "pages"),
            link_text="All guidance due for review",
            link_url=reverse("guidance_review_report"),
        )


@hooks.register("construct_homepage_panels")
def add_guidance_review_panel(request, panels):
    panels.append(GuidanceReviewPanel(request))
