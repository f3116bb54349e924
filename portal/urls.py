from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from groups.trends.sitemaps import PublicTrendSummarySitemap
from groups.views import documents as group_documents
from home import views as home_views

from . import accounts, views

urlpatterns = [
    # Every sign-in goes through allauth, so MFA and rate limits apply to the admin too:
    # Wagtail's own login and logout views are replaced by redirects (GET and POST alike,
    # so credentials posted to /admin/login/ never create a session).
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("admin/logout/", RedirectView.as_view(pattern_name="account_logout")),
    path(
        "admin/pages/workflow/confirm_cancellation/<int:page_id>/",
        views.confirm_workflow_cancellation,
        name="confirm_workflow_cancellation",
    ),
    # The working groups' collections are private by code: their privacy screen says so.
    path("admin/collections/<int:collection_id>/privacy/", group_documents.collection_privacy),
    path("admin/", include(wagtailadmin_urls)),
    path("accounts/login/", accounts.LoginView.as_view(), name="account_login"),
    path("accounts/", accounts.account_overview, name="account_overview"),
    path("accounts/", include("allauth.urls")),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", home_views.search, name="search"),
    path("page-feedback/<int:page_id>/", home_views.page_feedback, name="page_feedback"),
    path("exit/", views.quick_exit, name="quick_exit"),
    path("health/live/", views.health_live, name="health_live"),
    path("health/ready/", views.health_ready, name="health_ready"),
    # The public pages, and the public copies of the trend summaries (groups.sitemaps).
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
