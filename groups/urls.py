from django.urls import path

from .views import documents, invitations

urlpatterns = [
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
    path("members/<slug:group_slug>/documents/", documents.document_list, name="document_list"),
    path("invitation/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
]
