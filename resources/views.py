from wagtail.admin.views.reports import PageReportView

from .selectors import guidance_due_for_review_by


class GuidanceReviewReportView(PageReportView):
    """Admin report of guidance whose review date has passed, so nothing goes stale unseen."""

    page_title = "Guidance due for review"
    header_icon = "date"
    results_template_name = "resources/admin/guidance_review_results.html"
    index_url_name = "guidance_review_report"
    index_results_url_name = "guidance_review_report_results"
    any_permission_required = ["add", "change", "publish"]
    list_export = ["title", "content_owner", "last_reviewed", "next_review_due"]
    export_headings = {
        "content_owner": "Owner",
        "last_reviewed": "Last reviewed",
        "next_review_due": "Review was due",
    }

    def get_queryset(self):
        self.queryset = guidance_due_for_review_by(user=self.request.user)
        return super().get_queryset()
