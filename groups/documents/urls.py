"""A working group's documents, under members/<group_slug>/ (see groups.urls)."""

from django.urls import path

from . import views

urlpatterns = [
    path("documents/", views.document_list, name="document_list"),
]
