"""The signed-in person's notification preferences, under members/ (see groups.urls)."""

from django.urls import path

from . import views

urlpatterns = [
    path("notifications/", views.notification_preferences_edit, name="notification_preferences"),
]
