"""A working group's meetings and actions, under members/<group_slug>/ (see groups.urls)."""

from django.urls import path

from . import views

urlpatterns = [
    path("meetings/", views.meeting_index, name="meeting_index"),
    path("meetings/calendar/", views.meeting_calendar, name="meeting_calendar"),
    path("meetings/calendar/reset/", views.meeting_calendar_reset, name="meeting_calendar_reset"),
    # Authenticated by its token alone (see portal.settings SESSIONLESS_PATH_PATTERNS).
    path("meetings/calendar/<str:token>.ics", views.meeting_calendar_feed, name="meeting_calendar_feed"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
]
