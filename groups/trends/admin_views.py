"""The admin's "Trend releases": each quarter whose trend summaries are waiting for a data
steward's approval, its tables audited as one, and approved together as one release
(`services.trend_release_approve`), so the order in which the tables go live opens no gap.

Data stewards and administrators only (`permissions.can_review_trend_releases`); anyone
else in the admin gets 404, as for a quarter with nothing waiting.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from groups.permissions import can_review_trend_releases

from .audit import AuditRefused
from .quarters import Quarter
from .selectors import trend_release_audit_report, trend_release_waiting, trend_releases_waiting
from .services import trend_release_approve


class TrendReleaseAccessMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_review_trend_releases(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class TrendReleaseIndexView(TrendReleaseAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    """The quarters whose summaries are waiting for a data steward's approval."""

    page_title = "Trend releases"
    header_icon = "table"
    template_name = "groups/admin/trend_releases.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(releases=trend_releases_waiting(), **kwargs)


class TrendReleaseView(TrendReleaseAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    """One quarter's waiting release: its tables, the joint audit (never a figure), and the
    data steward's "Approve and publish the release"."""

    header_icon = "table"
    template_name = "groups/admin/trend_release.html"

    def dispatch(self, request, *args, quarter, **kwargs):
        try:
            self.quarter = Quarter.parse(quarter)
        except ValueError:
            raise Http404 from None
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Trend release: {self.quarter.label}"

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "Dashboard"},
            {"url": reverse("trend_releases"), "label": "Trend releases"},
            {"url": "", "label": self.quarter.label},
        ]

    def get_context_data(self, **kwargs):
        release = trend_release_waiting(quarter=self.quarter)
        if release is None:
            raise Http404
        user = self.request.user
        refusals = {table.task_state.task.specific.approval_refusal(table.draft, user) for table in release.tables}
        return super().get_context_data(
            release=release,
            report=trend_release_audit_report(release=release),
            refusals=sorted(refusal for refusal in refusals if refusal),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            release = trend_release_approve(quarter=self.quarter, approved_by=request.user)
        except AuditRefused as refusal:
            messages.error(request, f"Not published. {refusal.result.explanation()}")
        except PermissionDenied as refusal:
            messages.error(request, f"Not published. {refusal}")
        except ValidationError as error:
            messages.error(request, f"Not published. {' '.join(error.messages)}")
            return redirect("trend_releases")
        else:
            public = sum(publication.audience == "public" for publication in release.publications)
            messages.success(
                request,
                f"The release for {self.quarter.label} is published: {len(release.pages)} trend summaries to members"
                + (f", {public} of them to the public too" if public else "")
                + ".",
            )
            return redirect("trend_releases")
        return redirect("trend_release", quarter=self.quarter.code)
