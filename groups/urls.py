from django.urls import path

from .trends import views as trends
from .views import documents, invitations, meetings, notifications, people, updates

urlpatterns = [
    path(
        "members/notifications/",
        notifications.notification_preferences_edit,
        name="notification_preferences",
    ),
    path("members/invitations/new/<int:group_pk>/", invitations.invitation_create, name="invitation_create"),
    path("members/invitations/<int:group_pk>/", invitations.invitation_list, name="invitation_list"),
    path(
        "members/invitations/<int:group_pk>/<int:invitation_pk>/resend/",
        invitations.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "members/invitations/<int:group_pk>/<int:invitation_pk>/cancel/",
        invitations.invitation_cancel,
        name="invitation_cancel",
    ),
    path("members/<slug:group_slug>/meetings/", meetings.meeting_index, name="meeting_index"),
    path("members/<slug:group_slug>/meetings/calendar/", meetings.meeting_calendar, name="meeting_calendar"),
    path(
        "members/<slug:group_slug>/meetings/calendar/reset/",
        meetings.meeting_calendar_reset,
        name="meeting_calendar_reset",
    ),
    # Authenticated by its token alone (see portal.settings SESSIONLESS_PATH_PATTERNS).
    path(
        "members/<slug:group_slug>/meetings/calendar/<str:token>.ics",
        meetings.meeting_calendar_feed,
        name="meeting_calendar_feed",
    ),
    path("members/<slug:group_slug>/actions/<int:pk>/", meetings.action_detail, name="action_detail"),
    path("members/<slug:group_slug>/documents/", documents.document_list, name="document_list"),
    path("members/<slug:group_slug>/people/", people.member_directory, name="member_directory"),
    path("members/<slug:group_slug>/people/<int:membership_pk>/", people.membership_manage, name="membership_manage"),
    path("members/<slug:group_slug>/people/<int:membership_pk>/role/", people.membership_role, name="membership_role"),
    path(
        "members/<slug:group_slug>/people/<int:membership_pk>/suspend/",
        people.membership_suspend,
        name="membership_suspend",
    ),
    path(
        "members/<slug:group_slug>/people/<int:membership_pk>/reinstate/",
        people.membership_reinstate,
        name="membership_reinstate",
    ),
    path(
        "members/<slug:group_slug>/people/<int:membership_pk>/remove/",
        people.membership_remove,
        name="membership_remove",
    ),
    path("invitation/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    # Trend summaries: the members' CSV (a page of any group, or all regions) and the public copies
    path("members/<slug:group_slug>/summaries/", trends.trend_summary_list, name="trend_summary_list"),
    path("members/summaries/<int:page_pk>/summary.csv", trends.trend_summary_csv, name="trend_summary_csv"),
    path("trends/", trends.public_trend_list, name="public_trend_list"),
    path(
        "trends/<slug:region>/<int:year>-q<int:number>/",
        trends.public_trend_detail,
        name="public_trend_detail",
    ),
    path(
        "trends/<slug:region>/<int:year>-q<int:number>/summary.csv",
        trends.public_trend_csv,
        name="public_trend_csv",
    ),
    path("members/<slug:group_slug>/updates/", updates.update_list, name="update_list"),
    path("members/<slug:group_slug>/updates/new/", updates.update_create, name="update_create"),
    path("members/<slug:group_slug>/updates/<int:pk>/", updates.update_detail, name="update_detail"),
    path("members/<slug:group_slug>/updates/<int:pk>/edit/", updates.update_edit, name="update_edit"),
    path("members/<slug:group_slug>/updates/<int:pk>/delete/", updates.update_delete, name="update_delete"),
    path("members/<slug:group_slug>/updates/<int:pk>/hide/", updates.update_hide, name="update_hide"),
    path("members/<slug:group_slug>/updates/<int:pk>/unhide/", updates.update_unhide, name="update_unhide"),
    # Trend returns
    path("members/<slug:group_slug>/returns/", trends.return_list, name="return_list"),
    path("members/<slug:group_slug>/returns/new/", trends.return_submit, name="return_submit"),
    path("members/<slug:group_slug>/returns/<int:return_pk>/", trends.return_detail, name="return_detail"),
    path("members/<slug:group_slug>/returns/tracking/", trends.return_tracking, name="return_tracking"),
    path("members/<slug:group_slug>/returns/tracking/remind/", trends.return_remind, name="return_remind"),
    path("members/<slug:group_slug>/returns/import/", trends.return_import, name="return_import"),
    path(
        "members/<slug:group_slug>/returns/import/template.<str:file_format>",
        trends.return_import_template,
        name="return_import_template",
    ),
]
