from django.urls import path

from .views import invitations, people

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
]
