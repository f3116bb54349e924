"""Group documents: each working group gets a collection (the field), and editors move
from the root collection to a "Public documents" collection.

A permission on the root collection reaches every collection beneath it, so editors
would see every working group's documents. Editors now have their document rights on
"Public documents" alone, and documents kept in the root collection move there. The
groups' own collections are made by `groups.services.working_group_setup` (run by
`manage.py sync_groups` and whenever a group page is saved). A frozen copy of the
editors' list, as a migration must not import application code that can change.
"""

import django.db.models.deletion
from django.db import migrations, models

PUBLIC_DOCUMENTS = "Public documents"
EDITORS = "Editors"
EDITORS_COLLECTION_PERMISSIONS = ["add_document", "change_document", "choose_document"]
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # django-treebeard's materialised path
STEPLEN = 4


def _step(number):
    digits = ""
    while number:
        number, remainder = divmod(number, len(ALPHABET))
        digits = ALPHABET[remainder] + digits
    return digits.rjust(STEPLEN, "0")


def _child(Collection, parent, name):
    """Add a collection under `parent` by hand: migrations have no treebeard methods."""
    children = Collection.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
    existing = children.filter(name=name).first()
    if existing:
        return existing
    last = children.order_by("-path").values_list("path", flat=True).first()
    number = int(last[-STEPLEN:], len(ALPHABET)) + 1 if last else 1
    collection = Collection.objects.create(name=name, path=parent.path + _step(number), depth=parent.depth + 1)
    Collection.objects.filter(pk=parent.pk).update(numchild=models.F("numchild") + 1)
    return collection


def move_editors_to_public_documents(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    Document = apps.get_model("wagtaildocs", "Document")
    Group = apps.get_model("auth", "Group")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Permission = apps.get_model("auth", "Permission")

    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    public = _child(Collection, root, PUBLIC_DOCUMENTS)
    Document.objects.filter(collection=root).update(collection=public)

    editors = Group.objects.filter(name=EDITORS).first()
    if editors is None:
        return
    GroupCollectionPermission.objects.filter(group=editors).delete()
    for permission in Permission.objects.filter(
        content_type__app_label="wagtaildocs", codename__in=EDITORS_COLLECTION_PERMISSIONS
    ):
        GroupCollectionPermission.objects.create(group=editors, collection=public, permission=permission)


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0003_invitation"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [
        migrations.AddField(
            model_name="workinggrouppage",
            name="collection",
            field=models.OneToOneField(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wagtailcore.collection",
            ),
        ),
        migrations.RunPython(move_editors_to_public_documents, migrations.RunPython.noop),
    ]
