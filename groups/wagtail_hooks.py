from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.text import get_text_list

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.pages.bulk_actions.delete import DeleteBulkAction as PageDeleteBulkAction
from wagtail.admin.views.pages.bulk_actions.move import MoveBulkAction as PageMoveBulkAction
from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction as PagePublishBulkAction
from wagtail.admin.views.pages.bulk_actions.unpublish import UnpublishBulkAction as PageUnpublishBulkAction
from wagtail.documents.views.bulk_actions import AddTagsBulkAction, AddToCollectionBulkAction, DeleteBulkAction
from wagtail.models import Page, Site
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import DeleteView, SnippetViewSet

from portal.admin_panels import DashboardPanel, PanelContent, PanelRow, panel_more
from portal.roles import editors_setup

from .documents.selectors import can_view_document
from .membership.selectors import (
    groups_coordinated_by,
    hidden_group_pages_filter,
    pending_invitations_in,
    region_coordinators,
)
from .membership.services import working_group_setup, working_group_teardown
from .models import (
    NOT_APPROVED,
    AllRegionsTrendSummaryPage,
    MembersAreaIndexPage,
    Organisation,
    TrendSummaryPage,
    WorkingGroupPage,
    approved_by_a_steward,
)
from .permissions import can_review_trend_releases
from .trends.admin_views import TrendReleaseIndexView, TrendReleaseView
from .trends.audit import AuditRefused
from .trends.quarters import reporting_quarter
from .trends.selectors import release_recorded, trend_returns_outstanding
from .trends.services import trend_summary_check


class OrganisationDeleteView(DeleteView):
    def form_valid(self, form):
        # Memberships protect their organisation, and Wagtail's delete view only knows
        # about references it indexes itself; refuse plainly instead of failing.
        if self.object.memberships.exists():
            messages.error(self.request, f"{self.object} has members, past or present, so it cannot be deleted.")
            return redirect(self.get_success_url())
        return super().form_valid(form)


class OrganisationViewSet(SnippetViewSet):
    """Administrators keep the list of agencies; no other role is given its permissions."""

    model = Organisation
    delete_view_class = OrganisationDeleteView
    icon = "group"
    menu_label = "Organisations"
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["name", "sector", "email_domains"]
    list_filter = ["sector"]
    search_fields = ["name", "email_domains"]


register_snippet(OrganisationViewSet)


@hooks.register("before_publish_page")
def refuse_trend_summary_the_audit_refuses(request, page):
    """Before a trend summary goes live: a revision no data steward approved stays a draft
    (the page's own `publish` refuses it too, on every route; here the person is told why),
    and so does a release the disclosure audit refuses, with the reason (which kind of
    figure, never a value). Refusing later, on `page_published`, would leave the page live
    without its figures."""
    specific = page.specific
    if not isinstance(specific, TrendSummaryPage | AllRegionsTrendSummaryPage):
        return None
    message = None
    if not approved_by_a_steward(page.get_latest_revision()):
        message = NOT_APPROVED
    else:
        try:
            trend_summary_check(page=specific)
        except AuditRefused as refusal:
            message = refusal.result.explanation()
    if message is None:
        return None
    messages.error(request, f"Not published. {message}")
    if page.live and page.live_revision_id is None:
        # Wagtail's create view adds the page as live before it asks this hook; a page that
        # never went live stays a draft.
        type(specific).objects.filter(pk=page.pk).update(live=False)
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("trend_summary_audit_refusal")
def trend_summary_audit_refusal(page):
    """The audit's refusal of `page`'s release as it would go live now, in words (which kinds
    of figure, never a value), or None: asked when a data steward approves it. A revision
    already recorded with its quarter's release (`trend_release_publish`, in the same
    transaction) was audited with the release's other tables: it passes as recorded."""
    if release_recorded(revision=page.get_latest_revision()):
        return None
    try:
        trend_summary_check(page=page.get_latest_revision_as_object())
    except AuditRefused as refusal:
        return refusal.result.explanation()
    return None


class TrendReleasesMenuItem(MenuItem):
    def is_shown(self, request):
        return can_review_trend_releases(request.user)


@hooks.register("register_admin_menu_item")
def register_trend_releases_menu_item():
    """ "Trend releases", for data stewards and administrators: a quarter's summaries
    waiting for approval, approved together (groups.trends.admin_views)."""
    return TrendReleasesMenuItem("Trend releases", reverse("trend_releases"), icon_name="table", order=270)


@hooks.register("register_admin_urls")
def register_trend_releases_urls():
    return [
        path("trend-releases/", TrendReleaseIndexView.as_view(), name="trend_releases"),
        path("trend-releases/<str:quarter>/", TrendReleaseView.as_view(), name="trend_release"),
    ]


@hooks.register("after_create_page")
def set_up_new_page_roles(request, page):
    """A new working group gets its groups and privacy at once; a new public section
    under the home page is given to the Editors (see portal.roles.public_sections)."""
    if isinstance(page.specific, WorkingGroupPage):
        working_group_setup(working_group=page.specific)
    elif (
        not isinstance(page.specific, MembersAreaIndexPage)
        and Site.objects.filter(root_page=page.get_parent()).exists()
    ):
        editors_setup()


@hooks.register("after_edit_page")
def rename_working_group_roles(request, page):
    # The Django groups are named after the region, which an edit may change.
    if isinstance(page.specific, WorkingGroupPage):
        working_group_setup(working_group=page.specific)


@hooks.register("after_delete_page")
def remove_working_group_roles(request, page):
    # The page is gone from the database; Wagtail passes the specific instance it had.
    if isinstance(page, WorkingGroupPage):
        working_group_teardown(working_group=page)


@hooks.register("construct_page_chooser_queryset")
def hide_other_groups_from_chooser(pages, request):
    """Wagtail's page chooser lists the whole tree to anyone in the admin; leave out the
    pages of every working group the user may not see."""
    hidden = hidden_group_pages_filter(user=request.user)
    return pages if hidden is None else pages.exclude(hidden)


@hooks.register("before_serve_document", order=-1)
def serve_group_documents_to_members_only(document, request):
    """A working group's document is for its active members (Membership decides, not the
    Django groups). Anyone signed out is sent to sign in; anyone signed in who may not
    see it gets 404, as for a document that does not exist, never Wagtail's own
    sign-in redirect, which would confirm it exists.

    Runs before Wagtail's checks, and so before its conditional-GET handling: an
    If-None-Match or If-Match with the file's hash tells an outsider nothing. Responses
    to signed-in people are `private, no-store` (portal.middleware.SecurityHeadersMiddleware).
    """
    if can_view_document(request.user, document):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    raise Http404


@hooks.register("before_move_page")
def refuse_moves_the_user_may_not_make(request, page, destination):
    """Wagtail 8.0.1's move confirmation page checks no permission before it renders, so
    any admin user could read the title of another group's page there (found by the
    access matrix). Refuse it unless the user may move this page to that destination."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied


class HideUnseenDocumentsMixin:
    """Wagtail's document bulk actions list, by title, every document asked for by id
    that the person may not change, so anyone in the admin could read the title of any
    document, another working group's included, by trying ids. Documents the person
    cannot see in the admin at all are left out as if they did not exist."""

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        refused = [document.pk for document in extra["items_with_no_access"]]
        visible = set(
            self.permission_policy.instances_user_has_any_permission_for(self.request.user, {"add", "change", "choose"})
            .filter(pk__in=refused)
            .values_list("pk", flat=True)
        )
        extra["items_with_no_access"] = [d for d in extra["items_with_no_access"] if d.pk in visible]
        if not objects and not extra["items_with_no_access"]:
            raise Http404
        return objects, extra


class HideUnseenPagesMixin:
    """The same leak in the page bulk actions: their confirmation pages name every page
    asked for by id, another working group's included. Pages of groups the person may
    not see are left out as if they did not exist."""

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        hidden = hidden_group_pages_filter(user=self.request.user)
        if hidden is not None:
            hidden_ids = set(
                Page.objects.filter(pk__in=[page.pk for page in objects + extra["items_with_no_access"]])
                .filter(hidden)
                .values_list("pk", flat=True)
            )
            objects = [page for page in objects if page.pk not in hidden_ids]
            extra["items_with_no_access"] = [p for p in extra["items_with_no_access"] if p.pk not in hidden_ids]
        if not objects and not extra["items_with_no_access"]:
            raise Http404
        return objects, extra


# Registered after Wagtail's own (order 1), so these replace them in the registry.
for _action in (AddTagsBulkAction, AddToCollectionBulkAction, DeleteBulkAction):
    hooks.register("register_bulk_action", type(_action.__name__, (HideUnseenDocumentsMixin, _action), {}), order=1)
for _action in (PageDeleteBulkAction, PageMoveBulkAction, PagePublishBulkAction, PageUnpublishBulkAction):
    hooks.register("register_bulk_action", type(_action.__name__, (HideUnseenPagesMixin, _action), {}), order=1)


# The public site's feedback routes a request to join a group to that region's
# coordinators; it asks through this hook, so that `home` does not import `groups`.
hooks.register("feedback_region_coordinators", region_coordinators)


# The dashboard's panels for those who run a group: coordinators see their own groups
# only, administrators every group; nobody else sees these panels.

MISSING_NAMES_SHOWN = 4


class ReturnsOutstandingPanel(DashboardPanel):
    """Which organisations have not yet sent their trend return for the quarter being
    collected, per group the person runs, with a link to the group's tracking page."""

    name = "returns-outstanding"
    heading = "Trend returns outstanding"
    order = 55

    def content(self, user):
        working_groups = groups_coordinated_by(user=user)
        if not working_groups:
            return None
        quarter = reporting_quarter()
        rows, outstanding = [], 0
        for group in trend_returns_outstanding(working_groups=working_groups, quarter=quarter):
            missing = group.missing
            outstanding += len(missing)
            if not missing:
                detail = "Every organisation has sent its return."
            else:
                names = missing[:MISSING_NAMES_SHOWN]
                if len(missing) > len(names):
                    names = [*names, f"{len(missing) - len(names)} more"]
                detail = f"{len(missing)} of {group.expected} still to send: {get_text_list(names, 'and')}"
            url = reverse("groups:return_tracking", kwargs={"group_slug": group.working_group.slug})
            rows.append(PanelRow(text=group.working_group.title, url=url, detail=detail))
        due = date_format(quarter.deadline, "j F Y")
        summary = f"Returns for {quarter.label} are due by {due}."
        if not outstanding:
            summary = f"Every return for {quarter.label} is in."
        return PanelContent(summary=summary, rows=rows)


class PendingInvitationsPanel(DashboardPanel):
    """Invitations not yet accepted, in the groups the person runs, newest first."""

    name = "pending-invitations"
    heading = "Pending invitations"
    order = 60
    shown = 5

    def content(self, user):
        working_groups = groups_coordinated_by(user=user)
        if not working_groups:
            return None
        pending = pending_invitations_in(working_groups=working_groups)
        invitations = list(pending[: self.shown])
        total = pending.count()
        if not total:
            return PanelContent(summary="No invitations are waiting for a reply.")
        rows = [
            PanelRow(
                text=invitation.email,
                url=reverse("groups:invitation_list", kwargs={"group_slug": invitation.working_group.slug}),
                detail=f"{invitation.working_group.title}, {invitation.get_role_display().lower()}, "
                f"expires {date_format(invitation.expires_at, 'j F Y')}",
            )
            for invitation in invitations
        ]
        summary = (
            "1 invitation is waiting for a reply." if total == 1 else f"{total} invitations are waiting for a reply."
        )
        return PanelContent(summary=summary, rows=rows, more=panel_more(total, len(invitations), "invitations"))


@hooks.register("construct_homepage_panels")
def add_group_panels(request, panels):
    panels.extend([ReturnsOutstandingPanel(request), PendingInvitationsPanel(request)])
