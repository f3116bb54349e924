"""The Data stewards role and the "Trend summary approval" workflow.

A trend summary goes live only when a data steward from another organisation than its
preparer's approves it (groups.models.stewardship). The Data stewards group may use the
admin and nothing else: what a steward may see and approve is the workflow task's. Its
name is `portal.roles.DATA_STEWARDS_GROUP_NAME`, frozen here as a migration must not
import application code that can change.
"""

import django.db.models.deletion
from django.db import migrations, models

DATA_STEWARDS = "Data stewards"
WORKFLOW = "Trend summary approval"
TASK = "Data steward approval"


def set_up_approval(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    TrendSummaryApprovalTask = apps.get_model("groups", "TrendSummaryApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")

    stewards, _ = Group.objects.get_or_create(name=DATA_STEWARDS)
    # Created by wagtailadmin's own migrations, so it exists by now.
    stewards.permissions.set(Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin"))

    # Wagtail finds a task's own type through its content type, which Django would only
    # create after the last migration.
    content_type, _ = ContentType.objects.get_or_create(app_label="groups", model="trendsummaryapprovaltask")
    task = TrendSummaryApprovalTask.objects.filter(name=TASK).first()
    if task is None:
        task = TrendSummaryApprovalTask.objects.create(name=TASK, content_type=content_type, active=True)
    task.groups.set([stewards])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task_id=task.pk, defaults={"sort_order": 0})


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("groups", "0011_trend_ledger_no_data"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.CreateModel(
            name="TrendSummaryApprovalTask",
            fields=[
                (
                    "task_ptr",
                    models.OneToOneField(
                        auto_created=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        serialize=False,
                        to="wagtailcore.task",
                    ),
                ),
                (
                    "groups",
                    models.ManyToManyField(
                        help_text="Pages/snippets at this step in a workflow will be moderated or approved by these groups of users",
                        to="auth.group",
                        verbose_name="groups",
                    ),
                ),
            ],
            options={
                "verbose_name": "Data steward approval",
                "verbose_name_plural": "Data steward approvals",
            },
            bases=("wagtailcore.task",),
        ),
        migrations.RunPython(set_up_approval, migrations.RunPython.noop),
    ]
