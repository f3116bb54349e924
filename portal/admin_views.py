"""Replacements for the few Wagtail admin views that name pages without a hook to
filter them (see portal.admin_access); portal.urls routes their URLs here."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F
from django.http import Http404, JsonResponse
from django.shortcuts import redirect

from taggit.models import Tag, TagBase
from wagtail.admin.views import tags
from wagtail.admin.views.chooser import ChosenMultipleView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.contrib.forms.utils import get_forms_for_user
from wagtail.contrib.forms.views import DeleteSubmissionsView
from wagtail.documents import get_document_model
from wagtail.documents.views import documents
from wagtail.documents.views.documents import DocumentsFilterSet
from wagtail.models import Page

from .admin_access import hidden_tag_ids, visible_documents, visible_pages
from .audit import audit_record


class VisiblePageTypesUsageReportView(PageTypesUsageReportView):
    """Wagtail's page types usage report counts every page of each type and names the
    most recently edited one site-wide, another working group's draft included. Here
    both come from the pages the person may see."""

    def decorate_paginated_queryset(self, page_types):
        pages = visible_pages(self.request.user)
        site_root_path = self.filters.form.cleaned_data.get("site") if self.filters else None
        if site_root_path:
            pages = pages.filter(path__startswith=site_root_path)
        for item in page_types:
            of_type = pages.filter(content_type_id=item.pk)
            item.count = of_type.count()
            latest = of_type.order_by(F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk").first()
            item.last_edited_page = latest.specific if latest else None
            item.last_edited_page_id = latest.pk if latest else None
        return sorted(page_types, key=lambda item: -item.count)


class VisibleChosenMultipleView(ChosenMultipleView):
    """The page chooser's "chosen" answer for several ids names each page (title, parent,
    URL): only pages the person may see are answered, as if the others did not exist."""

    def get(self, request):
        request.GET = request.GET.copy()
        wanted = [pk for pk in request.GET.getlist("id") if pk.isdigit()]
        allowed = visible_pages(request.user, Page.objects.filter(pk__in=wanted)).values_list("pk", flat=True)
        request.GET.setlist("id", [str(pk) for pk in allowed])
        return super().get(request)


def tag_autocomplete(request, app_name=None, model_name=None):
    """Wagtail's tag autocomplete (wagtail.admin.views.tags), without the tags used only on
    documents the person may not see. They are left out before the list is cut to its
    length, so another group's tags neither show nor crowd out the person's own: each
    group's tags are its own."""
    tag_model = Tag
    if app_name and model_name:
        try:
            content_type = ContentType.objects.get_by_natural_key(app_name, model_name)
        except ContentType.DoesNotExist as error:
            raise Http404 from error
        tag_model = content_type.model_class()
        if tag_model is None or not issubclass(tag_model, TagBase):
            raise Http404
    term = request.GET.get("term")
    if not term:
        return JsonResponse([], safe=False)
    hidden = Tag.objects.filter(pk__in=hidden_tag_ids(request.user)).values_list("name", flat=True)
    names = (
        tag_model.objects.filter(name__istartswith=term)
        .exclude(name__in=list(hidden))
        .order_by("name")
        .values_list("name", flat=True)[: tags.TAGS_AUTOCOMPLETE_LIMIT]
    )
    return JsonResponse(list(names), safe=False)


def popular_visible_document_tags(user, count=10):
    """The tags most used on the documents `user` may see (Wagtail counts every document)."""
    document_model = get_document_model()
    content_type = ContentType.objects.get_for_model(document_model)
    documents = visible_documents(user, document_model.objects.all())
    return (
        Tag.objects.filter(
            taggit_taggeditem_items__content_type=content_type,
            taggit_taggeditem_items__object_id__in=documents.values("pk"),
        )
        .annotate(item_count=Count("taggit_taggeditem_items"))
        .order_by("-item_count", "name")[:count]
    )


class VisibleTagsDocumentsFilterSet(DocumentsFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        tag_filter = self.filters.get("tag")
        if tag_filter is not None:
            choices = [(tag.name, tag.name) for tag in popular_visible_document_tags(self.request.user)]
            if choices:
                tag_filter.extra["choices"] = choices
            else:
                del self.filters["tag"]


class VisibleTagsDocumentsIndexView(documents.IndexView):
    """The documents listing, whose tag filter offers the tags most used on the documents
    the person may see, never another group's."""

    filterset_class = VisibleTagsDocumentsFilterSet


class AdministratorsDeleteSubmissionsView(DeleteSubmissionsView):
    """Wagtail lets anyone who may see a form's submissions delete them, with no record.
    Deleting feedback is an administrator's action, and each deletion is audited
    (Reports → Site history, and the security log). Retention purges are separate
    (home.services) and stay automatic."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_superuser):
            if not get_forms_for_user(user).filter(pk=kwargs.get("page_id")).exists():
                raise PermissionDenied
            # Editors, who triage feedback, are sent back to it: nothing is deleted.
            messages.error(request, "Only administrators can delete feedback.")
            return redirect("feedback_submissions:index")
        return super().dispatch(request, *args, **kwargs)

    def handle_delete(self, submissions):
        ids = sorted(submissions.values_list("pk", flat=True))
        audit_record(
            action="portal.feedback_deleted",
            request=self.request,
            user=self.request.user,
            page=self.page.pk,
            submissions=ids,
        )
        super().handle_delete(submissions)
