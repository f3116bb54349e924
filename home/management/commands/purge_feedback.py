from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from home.services import feedback_purge


class Command(BaseCommand):
    help = (
        "Delete feedback older than FEEDBACK_RETENTION_DAYS (default 365), sent outbox email older than "
        "OUTBOX_RETENTION_DAYS (default 30) and finished background-task results (prune_db_task_results). "
        "Safe to run again; run it daily from cron."
    )

    def handle(self, *args, **options):
        counts = feedback_purge()
        self.stdout.write(
            f"Deleted {counts['submissions']} feedback submissions older than {settings.FEEDBACK_RETENTION_DAYS} "
            f"days and {counts['emails']} sent emails older than {settings.OUTBOX_RETENTION_DAYS} days."
        )
        if isinstance(task_backends["default"], DatabaseBackend):
            call_command("prune_db_task_results", verbosity=options["verbosity"], stdout=self.stdout)
        else:
            self.stdout.write("Task results are not kept in the database: nothing to prune.")
