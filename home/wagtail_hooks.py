"""The admin's Feedback section: triage of submissions (editors and administrators) and
routing rules (administrators only)."""

import django_filters
from django_filters.filters import ChoiceFilter, DateFromToRangeFilter, ModelChoiceFilter

from django.contrib import messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.views.generic.models import DeleteView, EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.documents.rich_text import DocumentLinkHandler
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.admin_access import is_public_document
from portal.admin_panels import DashboardPanel, PanelContent
from portal.audit import audit_record
from portal.exports import csv_response, xlsx_response
from portal.roles import is_editor

from .admin_forms import FeedbackTriageForm, triage_users
from .models import FeedbackFormPage, FeedbackRoute, FeedbackSubmission, PortalSettings
from .selectors import feedback_export, feedback_new_count
from .services import feedback_triage


class FeedbackSubmissionPermissionPolicy(ModelPermissionPolicy):
    """Editors and administrators only (with the model permissions the Editors group holds);
    nobody adds submissions in the admin: they come from the forms."""

    def user_has_permission(self, user, action):
        if action == "add" or not is_editor(user):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


feedback_permission_policy = FeedbackSubmissionPermissionPolicy(FeedbackSubmission)
register_permission_policy(FeedbackSubmission, feedback_permission_policy)


def _topics(request=None):
    topics = FeedbackSubmission.objects.exclude(topic="").values_list("topic", flat=True).distinct().order_by("topic")
    return [(topic, topic) for topic in topics]


class FeedbackSubmissionFilterSet(WagtailFilterSet):
    reference = django_filters.CharFilter(label="Reference", method="filter_reference")
    page = ModelChoiceFilter(label="Form", queryset=FeedbackFormPage.objects.all())
    status = ChoiceFilter(choices=FeedbackSubmission.Status.choices)
    assignee = ModelChoiceFilter(queryset=lambda request: triage_users())
    topic = ChoiceFilter(choices=_topics)
    submit_time = DateFromToRangeFilter(label="Submitted", widget=DateRangePickerWidget)

    class Meta:
        model = FeedbackSubmission
        fields: list[str] = []

    def filter_reference(self, queryset, name, value):
        return queryset.filter(pk=FeedbackSubmission.pk_from_reference(value) or 0)


NO_ORGANISATION_EMAIL = (
    "No organisation email is set in Settings, Portal settings: feedback is stored here, "
    "but not emailed to anyone unless a form or routing rule names an address."
)


def no_organisation_email(request):
    """The warning to show while the coordinating organisation's address is empty, or ""."""
    return "" if PortalSettings.for_request(request).organisation_email else NO_ORGANISATION_EMAIL


class FeedbackSubmissionIndexView(IndexView):
    def get(self, request, *args, **kwargs):
        warning = no_organisation_email(request)
        if warning and not (self.is_export or self.results_only):
            messages.warning(request, warning)
        return super().get(request, *args, **kwargs)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        """The filtered list, with every cell safe from formula injection (portal.exports)."""
        header, rows = feedback_export(submissions=queryset)
        filename = f"feedback-{timezone.localdate().isoformat()}.{spreadsheet_format}"
        writer = xlsx_response if spreadsheet_format == "xlsx" else csv_response
        return writer(filename=filename, header=header, rows=rows)


class FeedbackSubmissionEditView(EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return feedback_triage(
            submission=self.object,
            status=data["status"],
            assignee=data["assignee"],
            internal_notes=data["internal_notes"],
            actor=self.request.user,
            acknowledge=data.get("acknowledge", False),
        )


class FeedbackSubmissionDeleteView(DeleteView):
    """Only administrators hold the delete permission (see the policy above); each
    deletion is recorded in the security log as well as Wagtail's history."""

    def delete_action(self):
        audit_record(
            action="portal.feedback_deleted",
            request=self.request,
            user=self.request.user,
            page=self.object.page_id,
            submissions=[self.object.pk],
        )
        super().delete_action()


class FeedbackSubmissionViewSet(ModelViewSet):
    model = FeedbackSubmission
    name = "feedback_submissions"
    url_prefix = "feedback/submissions"
    icon = "mail"
    menu_label = "Submissions"
    index_view_class = FeedbackSubmissionIndexView
    edit_view_class = FeedbackSubmissionEditView
    delete_view_class = FeedbackSubmissionDeleteView
    list_display = ["reference", "submit_time", "page", "topic", "region", "source_page", "status", "assignee"]
    filterset_class = FeedbackSubmissionFilterSet
    list_export = ["reference"]  # shows the export buttons; the columns come from feedback_export
    ordering = ["-submit_time"]
    inspect_view_enabled = False
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            HelpPanel(template="home/admin/submission_answers.html", heading="What they sent"),
            FieldPanel("status"),
            FieldPanel("assignee"),
            FieldPanel("internal_notes"),
            FieldPanel("acknowledge"),
        ],
        base_form_class=FeedbackTriageForm,
    )


class FeedbackRouteViewSet(ModelViewSet):
    """Routing rules: only administrators hold these model permissions."""

    model = FeedbackRoute
    name = "feedback_routes"
    url_prefix = "feedback/routing"
    icon = "redirect"
    menu_label = "Routing rules"
    list_display = ["topic", "recipients", "to_group_coordinators", "include_answers"]
    form_fields = ["topic", "recipients", "to_group_coordinators", "include_answers"]
    inspect_view_enabled = False


class FeedbackViewSetGroup(ModelViewSetGroup):
    menu_label = "Feedback"
    menu_icon = "mail"
    menu_order = 240
    items = (FeedbackSubmissionViewSet, FeedbackRouteViewSet)


@hooks.register("register_admin_viewset")
def register_feedback_viewsets():
    return FeedbackViewSetGroup()


class NewFeedbackPanel(DashboardPanel):
    """How much feedback is waiting for triage, for those who triage it (the count only:
    what was sent is read in the submissions list)."""

    name = "new-feedback"
    heading = "New feedback"
    order = 45

    def content(self, user):
        if not feedback_permission_policy.user_has_permission(user, "change"):
            return None
        count = feedback_new_count()
        if not count:
            summary = "No feedback is waiting for triage."
        elif count == 1:
            summary = "1 submission is waiting for triage."
        else:
            summary = f"{count} submissions are waiting for triage."
        index = reverse(f"{FeedbackSubmissionViewSet.name}:index")
        return PanelContent(
            summary=summary,
            warning=no_organisation_email(self.request),
            link_text="See new feedback" if count else "All feedback",
            link_url=f"{index}?status={FeedbackSubmission.Status.NEW}" if count else index,
        )


@hooks.register("construct_homepage_panels")
def add_new_feedback_panel(request, panels):
    panels.append(NewFeedbackPanel(request))


@hooks.register("filter_form_submissions_for_user")
def only_editors_see_submissions(user, editable_forms):
    """Wagtail lists form submissions to anyone who may edit the form page; here only
    editors and administrators ever see them (coordinators and members never)."""
    return editable_forms if is_editor(user) else editable_forms.none()


class PublicDocumentLinkHandler(DocumentLinkHandler):
    """Rich text links to documents, rendered with the document's address only when it is
    public. Rich text with document links is on public pages only, so a link to a
    private document (refused when saved: home.blocks) never shows its file name."""

    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        return [
            format_html('<a href="{}">', document.url) if document and is_public_document(document) else "<a>"
            for document in cls.get_many(attrs_list)
        ]


@hooks.register("register_rich_text_features", order=10)
def public_document_links(features):
    # After wagtail.documents' own registration (order 0), so this one is used.
    features.register_link_type(PublicDocumentLinkHandler)
