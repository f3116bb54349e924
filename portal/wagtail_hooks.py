from wagtail import hooks

from .admin_access import visible_documents, visible_pages
from .audit import ACTIONS


@hooks.register("register_log_actions")
def register_security_actions(actions):
    """Security events appear, labelled, in the admin's Reports → Site history."""
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)


# The admin names only what the person may see (portal.admin_access): every page and
# document listing that offers a hook is filtered here; views about one object are
# guarded by portal.admin_access.AdminObjectAccessMiddleware.


@hooks.register("construct_page_chooser_queryset")
def page_chooser_only_visible_pages(pages, request):
    return visible_pages(request.user, pages)


@hooks.register("construct_explorer_page_queryset")
def explorer_only_visible_pages(parent_page, pages, request):
    return visible_pages(request.user, pages)


@hooks.register("construct_document_chooser_queryset")
def document_chooser_only_visible_documents(documents, request):
    return visible_documents(request.user, documents)
