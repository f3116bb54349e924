from django.conf import settings
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from groups.documents import views as group_documents
from groups.trends.sitemaps import PublicTrendSummarySitemap
from home import views as home_views

from . import accounts, admin_views, documents, views

urlpatterns = [
    # Every sign-in goes through allauth, so MFA and rate limits apply to the admin too:
    # Wagtail's own login and logout views are replaced by redirects (GET and POST alike,
    # so credentials posted to /admin/login/ never create a session).
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("admin/logout/", RedirectView.as_view(pattern_name="account_logout")),
    # Account changes go through the portal's own pages and allauth (re-authentication, a
    # code to a new address, a notice, the outbox, rate limits): Wagtail's account page
    # (name, email, password) goes to "Your account", and its password reset is replaced,
    # for GET and POST alike, so nothing posted to them is ever processed.
    path("admin/account/", RedirectView.as_view(pattern_name="account_overview")),
    re_path(r"^admin/password_reset/", RedirectView.as_view(pattern_name="account_reset_password")),
    path(
        "admin/pages/workflow/confirm_cancellation/<int:page_id>/",
        views.confirm_workflow_cancellation,
        name="confirm_workflow_cancellation",
    ),
    # The working groups' collections are private by code: their privacy screen says so.
    path("admin/collections/<int:collection_id>/privacy/", group_documents.collection_privacy),
    # Admin views replaced so that they name only what the person may see, or do only what
    # their role allows (portal.admin_views); behind the admin's own access check.
    *decorate_urlpatterns(
        [
            path("admin/reports/page-types-usage/", admin_views.VisiblePageTypesUsageReportView.as_view()),
            path(
                "admin/reports/page-types-usage/results/",
                admin_views.VisiblePageTypesUsageReportView.as_view(results_only=True),
            ),
            path("admin/choose-page/chosen-multiple/", admin_views.VisibleChosenMultipleView.as_view()),
            path("admin/tag-autocomplete/", admin_views.tag_autocomplete),
            path("admin/tag-autocomplete/<slug:app_name>/<slug:model_name>/", admin_views.tag_autocomplete),
            path("admin/documents/", admin_views.VisibleTagsDocumentsIndexView.as_view()),
            path(
                "admin/documents/results/",
                admin_views.VisibleTagsDocumentsIndexView.as_view(results_only=True),
            ),
            path(
                "admin/forms/submissions/<int:page_id>/delete/",
                admin_views.AdministratorsDeleteSubmissionsView.as_view(),
            ),
        ],
        require_admin_access,
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("accounts/login/", accounts.LoginView.as_view(), name="account_login"),
    path("accounts/", accounts.account_overview, name="account_overview"),
    path("accounts/2fa/recovery-codes/saved/", accounts.recovery_codes_saved, name="account_recovery_codes_saved"),
    path("accounts/details/", accounts.account_details, name="account_details"),
    path("accounts/", include("allauth.urls")),
    # Signed out, a private document answers as a missing one (portal.documents.serve).
    re_path(r"^documents/(\d+)/(.*)$", documents.serve),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", home_views.search, name="search"),
    path("page-feedback/<int:page_id>/", home_views.page_feedback, name="page_feedback"),
    path("page-feedback/<int:page_id>/useful/", home_views.page_feedback_useful, name="page_feedback_useful"),
    path("exit/", views.quick_exit, name="quick_exit"),
    path("health/live/", views.health_live, name="health_live"),
    path("health/ready/", views.health_ready, name="health_ready"),
    path("metrics/", views.metrics, name="metrics"),
    # The public pages, and the public copies of the trend summaries (groups.trends.sitemaps).
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"wagtail": WagtailSitemap, "trends": PublicTrendSummarySitemap}},
        name="sitemap",
    ),
    path("robots.txt", home_views.robots_txt, name="robots_txt"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include("groups.urls"))]
urlpatterns += [path("", include(wagtail_urls))]

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
