from wagtail import hooks
from wagtail.users.views.bulk_actions.set_active_state import SetActiveStateBulkAction

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


class SaveEachSetActiveStateBulkAction(SetActiveStateBulkAction):
    """The users listing's "Set active state", saving each person rather than updating
    them in one query.

    Wagtail's own action switches people off and on with `QuerySet.update()`, which sends
    no signal: a person switched off that way kept their authenticators and sessions, and
    on again came back the way they left (portal.credentials), unrecorded, and a person
    kept in the shared cache (portal.auth) outlived the change. Saved one by one, the
    action goes through the same path as the user editor's "Active" box. A bulk action is
    a handful of people; one save each costs nothing that matters."""

    @classmethod
    def execute_action(cls, objects, mark_as_active=False, user=None, **kwargs):
        changed = 0
        for person in objects:
            if user is not None and person.pk == user.pk:
                continue  # Wagtail's own rule: nobody switches themselves off here.
            person.is_active = mark_as_active
            person.save(update_fields=["is_active"])
            changed += 1
        return changed, 0


# Registered after Wagtail's own (order 1), so it replaces it in the registry.
hooks.register("register_bulk_action", SaveEachSetActiveStateBulkAction, order=1)
