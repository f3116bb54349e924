"""A working group's people and invitations, under members/<group_slug>/, and the
invitation link itself (see groups.urls)."""

from django.urls import path

from . import views

urlpatterns = [
    path("people/", views.member_directory, name="member_directory"),
    path("people/<int:membership_pk>/", views.membership_manage, name="membership_manage"),
    path("people/<int:membership_pk>/role/", views.membership_role, name="membership_role"),
    path("people/<int:membership_pk>/suspend/", views.membership_suspend, name="membership_suspend"),
    path("people/<int:membership_pk>/reinstate/", views.membership_reinstate, name="membership_reinstate"),
    path("people/<int:membership_pk>/remove/", views.membership_remove, name="membership_remove"),
    path("invitations/", views.invitation_list, name="invitation_list"),
    path("invitations/new/", views.invitation_create, name="invitation_create"),
    path("invitations/<int:invitation_pk>/resend/", views.invitation_resend, name="invitation_resend"),
    path("invitations/<int:invitation_pk>/cancel/", views.invitation_cancel, name="invitation_cancel"),
]

# Outside the group's prefix: the emailed link names no group.
accept_urlpatterns = [
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
