"""A working group's updates, under members/<group_slug>/ (see groups.urls)."""

from django.urls import path

from . import views

urlpatterns = [
    path("updates/", views.update_list, name="update_list"),
    path("updates/new/", views.update_create, name="update_create"),
    path("updates/<int:pk>/", views.update_detail, name="update_detail"),
    path("updates/<int:pk>/edit/", views.update_edit, name="update_edit"),
    path("updates/<int:pk>/delete/", views.update_delete, name="update_delete"),
    path("updates/<int:pk>/hide/", views.update_hide, name="update_hide"),
    path("updates/<int:pk>/unhide/", views.update_unhide, name="update_unhide"),
]
