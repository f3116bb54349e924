from django.db import migrations

AUDIENCES = [
    ("professionals", "Professionals", 1),
    ("parents-and-carers", "Parents and carers", 2),
    ("children-and-young-people", "Children and young people", 3),
]


def create_audiences(apps, schema_editor):
    Audience = apps.get_model("resources", "Audience")
    for slug, name, order in AUDIENCES:
        Audience.objects.update_or_create(slug=slug, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]

    operations = [migrations.RunPython(create_audiences, migrations.RunPython.noop)]
