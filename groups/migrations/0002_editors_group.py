"""The Editors group with exactly the permissions editors need, and no Moderators.

Wagtail's initial data gives "Editors" and "Moderators" page permissions on the root of
the page tree, which would cover every working group's private pages, and document and
image permissions as model permissions, which reach every collection. This replaces
them: the same set `groups.services.editors_setup()` maintains (a frozen copy, as a
migration must not import application code that can change), with page permissions on
each public section under the home page and never on the home page itself.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
EDITORS_MODEL_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("resources", "add_supportservice"),
    ("resources", "change_supportservice"),
    ("resources", "delete_supportservice"),
    ("resources", "add_resource"),
    ("resources", "change_resource"),
    ("resources", "delete_resource"),
    ("resources", "add_topic"),
    ("resources", "change_topic"),
    ("resources", "delete_topic"),
]
EDITORS_COLLECTION_PERMISSIONS = ["add_document", "change_document", "choose_document"]
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]


def create_all_permissions(apps):
    # Django creates permissions after the last migration (post_migrate), so on a new
    # database they do not exist yet; create them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def set_up_editors(apps, schema_editor):
    create_all_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")

    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.set(
        [
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in EDITORS_MODEL_PERMISSIONS
        ]
    )

    GroupPagePermission.objects.filter(group=editors).delete()
    members_area = ContentType.objects.filter(app_label="groups", model="membersareaindexpage").first()
    page_permissions = Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS)
    for site in Site.objects.select_related("root_page"):
        root = site.root_page
        sections = Page.objects.filter(path__startswith=root.path, depth=root.depth + 1)
        if members_area:
            sections = sections.exclude(content_type=members_area)
        for page in sections:
            for permission in page_permissions:
                GroupPagePermission.objects.get_or_create(group=editors, page=page, permission=permission)

    GroupCollectionPermission.objects.filter(group=editors).delete()
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection:
        for permission in Permission.objects.filter(
            content_type__app_label="wagtaildocs", codename__in=EDITORS_COLLECTION_PERMISSIONS
        ):
            GroupCollectionPermission.objects.create(group=editors, collection=root_collection, permission=permission)

    # There is no moderators' role here, and its default rights reach the members' area.
    Group.objects.filter(name="Moderators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0001_members_area"),
        ("resources", "0002_audiences"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(set_up_editors, migrations.RunPython.noop)]
