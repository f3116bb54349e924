"""The site-wide Editors role, and the permission helpers every role's set-up uses.

Editors are the coordinating organisation's staff: they edit the public site (guidance,
resources, site pages), its public documents and triage feedback, across the whole
site, so the role belongs to the project rather than to one app. The working groups'
own roles are set up by `groups.membership.services` with the helpers below.

Nothing here imports an app's models: pages and collections are reached through
Wagtail's own models, so any app may use these.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Site

EDITORS_GROUP_NAME = "Editors"
# The second key on a trend release (groups.models.stewardship): set by administrators
# only, who alone may edit users and groups in the admin. Created, with the admin access
# that is its only permission, by the data migration groups 0012_trend_summary_approval.
DATA_STEWARDS_GROUP_NAME = "Data stewards"
# Directly under the root collection: the documents anyone may download.
PUBLIC_DOCUMENTS_COLLECTION = "Public documents"

# The coordinating organisation's staff: the admin, the library snippets, public
# documents, and (see editors_setup) the public pages. Document permissions are given
# on the "Public documents" collection only, never on the root collection nor as model
# permissions, either of which would reach every working group's collection. The data
# migrations groups 0002_editors_group and 0004_group_documents hold frozen copies of
# this list.
EDITORS_MODEL_PERMISSIONS = frozenset(
    {
        "wagtailadmin.access_admin",
        "resources.add_supportservice",
        "resources.change_supportservice",
        "resources.delete_supportservice",
        "resources.add_resource",
        "resources.change_resource",
        "resources.delete_resource",
        "resources.add_topic",
        "resources.change_topic",
        "resources.delete_topic",
        # Feedback triage (home.wagtail_hooks); the data migration home 0003_feedback adds these.
        "home.view_feedbacksubmission",
        "home.change_feedbacksubmission",
    }
)
EDITORS_COLLECTION_PERMISSIONS = frozenset({"add_document", "change_document", "choose_document"})
PAGE_PERMISSIONS = frozenset({"add_page", "change_page", "publish_page"})

# The members' area is the working groups' own: editors get no permission on it.
_MEMBERS_AREA_TYPE = {"content_type__app_label": "groups", "content_type__model": "membersareaindexpage"}


def is_editor(user):
    """Whether `user` is on the coordinating organisation's staff (the Editors group)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=EDITORS_GROUP_NAME).exists()


def is_data_steward(user):
    """Whether `user` may give a trend release its second key (the Data stewards group)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.groups.filter(name=DATA_STEWARDS_GROUP_NAME).exists()


def model_permissions(labels):
    """The Permission rows for `labels` ("app_label.codename"); every one must exist."""
    query = Q(pk__in=[])
    for label in labels:
        app_label, codename = label.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    permissions = list(Permission.objects.filter(query))
    if len(permissions) != len(labels):
        found = {f"{p.content_type.app_label}.{p.codename}" for p in permissions}
        raise LookupError(f"Missing permissions: {sorted(set(labels) - found)}")
    return permissions


def page_permissions_set(*, auth_group, pages):
    """Give `auth_group` add/change/publish on exactly `pages` (and so their subtrees)."""
    permissions = list(Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS))
    GroupPagePermission.objects.filter(group=auth_group).exclude(
        page__in=pages, permission__codename__in=PAGE_PERMISSIONS
    ).delete()
    for page in pages:
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(group=auth_group, page=page, permission=permission)


def collection_permissions_set(*, auth_group, collection, codenames):
    """Give `auth_group` exactly these document permissions on exactly `collection`."""
    permissions = list(Permission.objects.filter(content_type__app_label="wagtaildocs", codename__in=codenames))
    GroupCollectionPermission.objects.filter(group=auth_group).exclude(
        collection=collection, permission__in=permissions
    ).delete()
    for permission in permissions:
        GroupCollectionPermission.objects.get_or_create(group=auth_group, collection=collection, permission=permission)


def top_collection(name):
    """The collection called `name` directly under the root, created if missing."""
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=name).first()
    if collection is None:
        collection = root.add_child(instance=Collection(name=name))
    return collection


def public_documents_collection():
    """Where editors keep the documents the public site links to."""
    return top_collection(PUBLIC_DOCUMENTS_COLLECTION)


def public_sections():
    """The pages directly under each site's home page, except the members' area.

    Wagtail page permissions cover a page's whole subtree, so a permission on the home
    page would reach every group's private pages. Editors get each public section
    instead, and the home page itself is left to administrators.
    """
    sections = []
    for site in Site.objects.select_related("root_page"):
        sections += site.root_page.get_children().exclude(**_MEMBERS_AREA_TYPE)
    return sections


@transaction.atomic
def editors_setup():
    """Give the Editors group exactly what editors need and no more; safe to run again.

    Call it after building the page tree (the demo loader does) and whenever a section
    is added under the home page (the `after_create_page` hook does).
    """
    editors, _ = Group.objects.get_or_create(name=EDITORS_GROUP_NAME)
    editors.permissions.set(model_permissions(EDITORS_MODEL_PERMISSIONS))
    page_permissions_set(auth_group=editors, pages=public_sections())
    collection_permissions_set(
        auth_group=editors, collection=public_documents_collection(), codenames=EDITORS_COLLECTION_PERMISSIONS
    )
    return editors
