import time
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from portal.backup import BackupError, backup_read, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`: replaces every table of the database and writes each "
        "backed-up file back into the default storage, then checks every table and file against the "
        "backup's manifest. Stop the web, worker and scheduler processes first."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="The backup folder.")
        parser.add_argument("--database", default="default", help="The database alias (default: default).")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, source, database="default", interactive=True, **options):
        try:
            manifest = backup_read(source)
        except BackupError as error:
            raise CommandError(str(error)) from error
        settings_dict = connections[database].settings_dict
        if interactive:
            answer = input(
                f"Replace the database {settings_dict['NAME']} and the stored files with the backup of "
                f"{manifest['created_at']}? Type 'yes' to go on: "
            )
            if answer != "yes":
                raise CommandError("Restore cancelled.")
        connections.close_all()
        started = time.monotonic()
        try:
            restored = backup_restore(source, storage=default_storage, settings_dict=settings_dict)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {restored['tables']} tables ({restored['rows']} rows) and {restored['files']} files "
            f"from {source} in {time.monotonic() - started:.1f} s; every table and file matches the backup."
        )
