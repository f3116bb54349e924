from django.urls import path

from .views import invitations, notifications

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
    path("invitation/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
]
