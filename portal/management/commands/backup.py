import time
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, or SQLite's online backup) and every document and image in the "
        "default storage into a new folder, with a manifest of row counts and checksums that "
        "`manage.py restore` checks. The site keeps running."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="The folder to create (it must not exist). Default: backups/<date and time>.",
        )
        parser.add_argument("--database", default="default", help="The database alias (default: default).")

    def handle(self, *args, output=None, database="default", **options):
        output = output or Path("backups") / timezone.now().strftime("%Y%m%dT%H%M%SZ")
        if output.exists():
            raise CommandError(f"{output} exists already: choose a new folder.")
        started = time.monotonic()
        try:
            manifest = backup_create(output, storage=default_storage, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        tables = manifest["database"]["tables"]
        self.stdout.write(
            f"Backed up {len(tables)} tables ({sum(t['rows'] for t in tables.values())} rows) and "
            f"{len(manifest['media'])} files to {output} in {time.monotonic() - started:.1f} s."
        )
