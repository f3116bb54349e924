"""Trend URLs, in two lists because they hang from two places.

`group_urlpatterns` are relative to a working group's prefix (`members/<slug:group_slug>/`);
`urlpatterns` are the rest: the public copies under `trends/` and the members' CSV of a
summary page, addressed by the page (a group's or the all-regions one).
"""

from django.urls import path

from . import views

group_urlpatterns = [
    path("returns/", views.return_list, name="return_list"),
    path("returns/new/", views.return_submit, name="return_submit"),
    path("returns/<int:return_pk>/", views.return_detail, name="return_detail"),
    path("returns/tracking/", views.return_tracking, name="return_tracking"),
    path("returns/tracking/remind/", views.return_remind, name="return_remind"),
    path("returns/import/", views.return_import, name="return_import"),
    path(
        "returns/import/template.<str:file_format>",
        views.return_import_template,
        name="return_import_template",
    ),
    path("summaries/", views.trend_summary_list, name="trend_summary_list"),
]

urlpatterns = [
    path("members/summaries/<int:page_pk>/summary.csv", views.trend_summary_csv, name="trend_summary_csv"),
    path("trends/", views.public_trend_list, name="public_trend_list"),
    path("trends/published-figures.<str:file_format>", views.public_trend_ledger, name="public_trend_ledger"),
    path("trends/<slug:region>/<int:year>-q<int:number>/", views.public_trend_detail, name="public_trend_detail"),
    path(
        "trends/<slug:region>/<int:year>-q<int:number>/summary.csv",
        views.public_trend_csv,
        name="public_trend_csv",
    ),
]
