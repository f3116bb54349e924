from django.urls import path

from . import views

urlpatterns = [
    path("members/invitations/new/<int:group_pk>/", views.invitation_create, name="invitation_create"),
    path("members/invitations/<int:group_pk>/", views.invitation_list, name="invitation_list"),
    path(
        "members/invitations/<int:group_pk>/<int:invitation_pk>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "members/invitations/<int:group_pk>/<int:invitation_pk>/cancel/",
        views.invitation_cancel,
        name="invitation_cancel",
    ),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
