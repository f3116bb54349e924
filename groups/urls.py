from django.urls import path

from .views import invitations, meetings, notifications

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
    path("invitation/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
]
