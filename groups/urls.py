from django.urls import path

from .views import invitations, returns

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
    path("invitation/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    # Trend returns
    path("members/<slug:group_slug>/returns/", returns.return_list, name="return_list"),
    path("members/<slug:group_slug>/returns/new/", returns.return_submit, name="return_submit"),
    path("members/<slug:group_slug>/returns/<int:return_pk>/", returns.return_detail, name="return_detail"),
    path("members/<slug:group_slug>/returns/tracking/", returns.return_tracking, name="return_tracking"),
    path("members/<slug:group_slug>/returns/tracking/remind/", returns.return_remind, name="return_remind"),
    path("members/<slug:group_slug>/returns/import/", returns.return_import, name="return_import"),
    path(
        "members/<slug:group_slug>/returns/import/template.<str:file_format>",
        returns.return_import_template,
        name="return_import_template",
    ),
]
