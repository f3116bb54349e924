"""The members' area's URLs, all named in the `groups:` namespace.

A working group's sections share one prefix, `members/<group_slug>/`, written once; each
feature lists its own sections in its `urls.py`. Included by `portal.urls` before
Wagtail's pages, so these paths win over any page at the same address (the meeting
pages' slugs keep clear of them: `groups.enums.RESERVED_SLUGS`).
"""

from django.urls import include, path

from .documents import urls as documents_urls
from .meetings import urls as meetings_urls
from .membership import urls as membership_urls
from .notifications import urls as notifications_urls
from .updates import urls as updates_urls
from .views import returns, summaries

app_name = "groups"

# The trend returns and summaries of a working group.
trend_group_patterns = [
    path("summaries/", summaries.trend_summary_list, name="trend_summary_list"),
    path("returns/", returns.return_list, name="return_list"),
    path("returns/new/", returns.return_submit, name="return_submit"),
    path("returns/<int:return_pk>/", returns.return_detail, name="return_detail"),
    path("returns/tracking/", returns.return_tracking, name="return_tracking"),
    path("returns/tracking/remind/", returns.return_remind, name="return_remind"),
    path("returns/import/", returns.return_import, name="return_import"),
    path(
        "returns/import/template.<str:file_format>",
        returns.return_import_template,
        name="return_import_template",
    ),
]

# The trend summaries' members' CSV (a page of any group, or all regions) and the public copies.
trend_patterns = [
    path("members/summaries/<int:page_pk>/summary.csv", summaries.trend_summary_csv, name="trend_summary_csv"),
    path("trends/", summaries.public_trend_list, name="public_trend_list"),
    path("trends/<slug:region>/<int:year>-q<int:number>/", summaries.public_trend_detail, name="public_trend_detail"),
    path(
        "trends/<slug:region>/<int:year>-q<int:number>/summary.csv",
        summaries.public_trend_csv,
        name="public_trend_csv",
    ),
]

group_patterns = [
    *meetings_urls.urlpatterns,
    *updates_urls.urlpatterns,
    *documents_urls.urlpatterns,
    *membership_urls.urlpatterns,
    *trend_group_patterns,
]

urlpatterns = [
    path("members/", include(notifications_urls)),
    path("members/<slug:group_slug>/", include(group_patterns)),
    *membership_urls.accept_urlpatterns,
    *trend_patterns,
]
