"""Who may learn, in the Wagtail admin, that a page or a document exists.

Wagtail's admin checks what a person may *change*, but many of its views (choosers,
the explorer, reports, usage and history screens) name a page or document without
asking whether the person may *see* it. Here the rule is Wagtail's own view
restrictions: a page under a PageViewRestriction the person does not pass, and a
document in a collection under a CollectionViewRestriction the person does not pass,
are hidden from them everywhere in the admin, exactly as if they did not exist. The
working groups' areas and collections are restricted this way (groups.membership.services), so
this holds for every group, and for any private page or collection an administrator
makes.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import Http404

from taggit.models import TaggedItem
from wagtail.documents import get_document_model
from wagtail.log_actions import registry as log_registry
from wagtail.models import (
    BaseViewRestriction,
    Collection,
    CollectionViewRestriction,
    Page,
    PageLogEntry,
    PageViewRestriction,
    TaskState,
)


def _is_signed_in(user):
    return user is not None and user.is_authenticated and user.is_active


def passes_restriction(user, restriction, group_ids=None):
    """Whether `user` passes `restriction` as a signed-in person (no shared passwords:
    the portal turns those off, and a password restriction hides from everyone but
    administrators). `group_ids`: the user's group ids, when already known."""
    if not _is_signed_in(user):
        return False
    if user.is_superuser:
        return True
    if restriction.restriction_type == BaseViewRestriction.LOGIN:
        return True
    if restriction.restriction_type == BaseViewRestriction.GROUPS:
        if group_ids is None:
            group_ids = set(user.groups.values_list("pk", flat=True))
        return bool({group.pk for group in restriction.groups.all()} & group_ids)
    return False


def _failed_paths(user, restrictions, path_of):
    if _is_signed_in(user) and user.is_superuser:
        return []
    group_ids = set(user.groups.values_list("pk", flat=True)) if _is_signed_in(user) else set()
    return [
        path_of(restriction)
        for restriction in restrictions
        if not passes_restriction(user, restriction, group_ids=group_ids)
    ]


def _under_any(paths):
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return condition


def hidden_pages_q(user):
    """A Q matching every page `user` may not see (Q matching nothing when there are none)."""
    restrictions = PageViewRestriction.objects.select_related("page").prefetch_related("groups")
    return _under_any(_failed_paths(user, restrictions, lambda r: r.page.path))


def visible_pages(user, pages=None):
    """`pages` (all pages by default) without those hidden from `user`."""
    pages = Page.objects.all() if pages is None else pages
    return pages.exclude(hidden_pages_q(user))


def is_page_hidden(user, page):
    return Page.objects.filter(pk=page.pk).filter(hidden_pages_q(user)).exists()


def hidden_collections_q(user):
    """A Q matching every collection whose documents `user` may not see."""
    restrictions = CollectionViewRestriction.objects.select_related("collection").prefetch_related("groups")
    return _under_any(_failed_paths(user, restrictions, lambda r: r.collection.path))


def hidden_collection_ids(user):
    return list(Collection.objects.filter(hidden_collections_q(user)).values_list("pk", flat=True))


def visible_documents(user, documents):
    """`documents` without those in collections hidden from `user` (by collection id, a
    field Wagtail's document search can filter on)."""
    hidden = hidden_collection_ids(user)
    return documents.exclude(collection_id__in=hidden) if hidden else documents


def is_public_collection(collection):
    """Whether anyone may download `collection`'s documents: no view restriction on it
    or any collection above it."""
    if collection is None:
        return True
    return not CollectionViewRestriction.objects.filter(
        collection__in=Collection.objects.ancestor_of(collection, inclusive=True)
    ).exists()


def is_public_document(document):
    return is_public_collection(document.collection)


def is_public_page(page):
    """Whether `page` is seen by anyone: no view restriction on it or above it."""
    return not PageViewRestriction.objects.filter(page__in=page.get_ancestors(inclusive=True)).exists()


# Admin routes' parameters that name a page or a document. A plain `pk` names one only
# on these routes (matched on Django's route string).
PAGE_PARAMETERS = {"page_id", "parent_page_id", "page_pk"}
DOCUMENT_PARAMETERS = {"document_id", "doc_id"}
PAGE_PK_ROUTES = {"admin/api/main/^pages/<int:pk>/", "admin/api/main/^pages/<int:pk>/action/<str:action_name>/"}
DOCUMENT_PK_ROUTES = {"admin/api/main/^documents/<int:pk>/", "admin/documents/chooser/chosen/<str:pk>/"}


def _ids(kwargs, names):
    return [kwargs[name] for name in names if name in kwargs]


def _may_use_admin(user):
    return _is_signed_in(user) and user.has_perm("wagtailadmin.access_admin")


class AdminObjectAccessMiddleware:
    """Every admin URL that names a page or a document answers 404, the same as for a
    missing id, when the person may not see it: no admin view then renders its title,
    breadcrumbs, parent, status or author, and no status code tells that it exists.

    Only for people who may use the admin; everyone else gets Wagtail's own sign-in
    redirect, whether or not the object exists.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not match.route.startswith("admin/") or not _may_use_admin(request.user):
            return None
        page_ids = _ids(view_kwargs, PAGE_PARAMETERS)
        document_ids = _ids(view_kwargs, DOCUMENT_PARAMETERS)
        if match.route in PAGE_PK_ROUTES:
            page_ids.append(view_kwargs["pk"])
        if match.route in DOCUMENT_PK_ROUTES:
            document_ids.append(view_kwargs["pk"])
        for page_id in page_ids:
            page_id = _as_int(page_id)
            if not visible_pages(request.user, Page.objects.filter(pk=page_id)).exists() and not awaits_review_by(
                request.user, page_id
            ):
                raise Http404
        if document_ids:
            documents = get_document_model().objects
            for document_id in document_ids:
                if not visible_documents(request.user, documents.filter(pk=_as_int(document_id))).exists():
                    raise Http404
        return None


def awaits_review_by(user, page_id):
    """Whether the page is waiting in a workflow for `user`'s review (a data steward's
    approval of a trend summary): the reviewer sees it in the admin, while it waits, though
    it is private to a group they are not in."""
    if page_id is None:
        return False
    states = TaskState.objects.reviewable_by(user).filter(
        workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
        workflow_state__object_id=str(page_id),
    )
    return states.exists()


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


# People named in the admin's filters. Wagtail lists, as choices of its "Owner",
# "Edited by" and "User" filters, everyone who ever owned or edited any page or wrote
# any log entry, so another group's coordinator would be named to everyone in the
# admin. Only the people who owned, edited or logged something the person may see are
# offered.


def visible_author_ids(user):
    """Ids of the users who own, or wrote a log entry about, a page `user` may see, or
    wrote another log entry `user` may see."""
    pages = visible_pages(user)
    ids = set(pages.exclude(owner=None).values_list("owner_id", flat=True))
    for log_model in log_registry.get_log_entry_models():
        entries = log_model.objects.viewable_by_user(user)
        if issubclass(log_model, PageLogEntry):
            entries = entries.filter(page_id__in=pages.values("pk"))
        ids.update(entries.exclude(user=None).order_by().values_list("user_id", flat=True).distinct())
    return ids


def _limited(choices):
    def queryset(request):
        users = choices(request)
        return users.filter(pk__in=visible_author_ids(request.user))

    return queryset


def limit_admin_user_filters():
    """Narrow the user choices of Wagtail's page listings (explorer, search, forms) and
    of the site history report to visible_author_ids. Called once, from PortalConfig.ready."""
    # Imported here: admin views import much of the admin, too early for module level.
    from wagtail.admin.views.pages.listing import PageFilterSet  # noqa: PLC0415
    from wagtail.admin.views.reports.audit_logging import SiteHistoryReportFilterSet  # noqa: PLC0415

    for name in ("owner", "edited_by"):
        user_filter = PageFilterSet.declared_filters[name]
        if not getattr(user_filter, "_portal_limited", False):
            user_filter.queryset = _limited(user_filter.queryset)
            user_filter._portal_limited = True

    original = SiteHistoryReportFilterSet.get_users_queryset
    if not getattr(original, "_portal_limited", False):

        def get_users_queryset(self):
            return original(self).filter(pk__in=visible_author_ids(self.request.user))

        get_users_queryset._portal_limited = True
        SiteHistoryReportFilterSet.get_users_queryset = get_users_queryset


def hidden_tag_ids(user):
    """Tags used only on documents `user` may not see: the admin's tag filters and tag
    autocomplete leave them out, so a private document's tags are not shown to others."""
    hidden = hidden_collection_ids(user)
    if not hidden:
        return set()
    document_type = ContentType.objects.get_for_model(get_document_model())
    hidden_documents = get_document_model().objects.filter(collection_id__in=hidden).values("pk")
    on_hidden = TaggedItem.objects.filter(content_type=document_type, object_id__in=hidden_documents)
    elsewhere = TaggedItem.objects.exclude(pk__in=on_hidden.values("pk"))
    return set(on_hidden.values_list("tag_id", flat=True)) - set(elsewhere.values_list("tag_id", flat=True))
