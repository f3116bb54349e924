"""A working group's documents: the members' list, and the admin's privacy screen for
the groups' collections.

The files themselves are served by Wagtail (`/documents/<id>/<name>`), behind the
`before_serve_document` hook in groups.wagtail_hooks.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from wagtail.admin.auth import require_admin_access
from wagtail.admin.modal_workflow import render_modal_workflow
from wagtail.admin.views.collection_privacy import set_privacy
from wagtail.models import Collection

from portal.documents import IMAGE_ADVICE

from ..membership.selectors import working_group_for_member
from ..permissions import is_coordinator
from .selectors import group_documents, is_private_collection

DOCUMENTS_PER_PAGE = 25


@login_required
@require_http_methods(["GET"])
def document_list(request, group_slug):
    working_group = working_group_for_member(user=request.user, group_slug=group_slug)
    page = Paginator(group_documents(working_group=working_group), DOCUMENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "group": working_group,
        "page_obj": page,
        "documents": page.object_list,
        "can_upload": is_coordinator(request.user, working_group),
        "image_advice": IMAGE_ADVICE,
    }
    return render(request, "groups/documents/list.html", context)


@require_admin_access
def collection_privacy(request, collection_id):
    """Wagtail's collection privacy screen, except for the working groups' collections,
    whose view restrictions `groups.membership.services.working_group_setup` owns."""
    collection = get_object_or_404(Collection, pk=collection_id)
    if is_private_collection(collection=collection):
        return render_modal_workflow(
            request, "groups/admin/collection_privacy_locked.html", None, {"collection": collection}
        )
    return set_privacy(request, collection_id)
