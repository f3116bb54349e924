"""Import trend returns from a file, as a coordinator does on the group's import page.

    manage.py trends_import FILE --imported-by EMAIL [--group SLUG]
    manage.py trends_import --template GROUP > returns.csv

FILE is the import template's format (CSV or .xlsx, a row per organisation and quarter).
Every row is checked first and every error listed with its row and column; only a file
with none is stored, all of it at once, so a file is imported whole or not at all. The
returns are recorded as imported by EMAIL, who must be able to import on the web (a
coordinator of the group, or an administrator); the group is theirs when they coordinate
only one. `--template GROUP` prints the group's template for the reporting quarter.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from groups.membership.selectors import groups_coordinated_by, live_working_group, working_group_for_coordinator
from groups.trends.imports import ImportFileError
from groups.trends.selectors import import_template_rows
from groups.trends.services import trend_returns_import
from portal.exports import csv_text


class Command(BaseCommand):
    help = "Import trend returns from a CSV or .xlsx file in the import template's format, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="The CSV or .xlsx file to import.")
        parser.add_argument("--imported-by", metavar="EMAIL", help="The coordinator (or administrator) importing.")
        parser.add_argument("--group", metavar="SLUG", help="The working group, when EMAIL runs more than one.")
        parser.add_argument("--template", metavar="GROUP", help="Print GROUP's import template (CSV) and stop.")

    def handle(self, *args, file=None, imported_by=None, group=None, template=None, **options):
        if template:
            working_group = live_working_group(group_slug=template)
            if working_group is None:
                raise CommandError(f"There is no working group “{template}”.")
            header, rows = import_template_rows(working_group=working_group)
            self.stdout.write(csv_text(header=header, rows=rows), ending="")
            return
        if not file or not imported_by:
            raise CommandError("Give the file and --imported-by EMAIL (or --template GROUP).")
        user = get_user_model().objects.filter(email__iexact=imported_by, is_active=True).first()
        if user is None:
            raise CommandError(f"There is no active account for {imported_by}.")
        working_group = self._working_group(user, group)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file {file}.")
        with path.open("rb") as handle:
            try:
                result = trend_returns_import(
                    working_group=working_group, uploaded_file=File(handle, name=path.name), imported_by=user
                )
            except ImportFileError as error:
                raise CommandError(error.messages[0]) from None
        if result.errors:
            for row_error in result.errors:
                self.stderr.write(f"Row {row_error.row}, {row_error.column}: {row_error.message}")
            raise CommandError(f"Nothing was imported: fix the {len(result.errors)} errors above and try again.")
        count = len(result.created)
        self.stdout.write(f"{count} {'return' if count == 1 else 'returns'} imported for {working_group.title}.")

    def _working_group(self, user, slug):
        """The group to import into: `slug` if the person may import there, else their only one."""
        if slug:
            try:
                return working_group_for_coordinator(user=user, group_slug=slug)
            except Http404:
                raise CommandError(
                    f"{user.email} cannot import returns for “{slug}”: only its coordinators and administrators can."
                ) from None
        coordinated = groups_coordinated_by(user=user)
        if len(coordinated) == 1:
            return coordinated[0]
        if not coordinated:
            raise CommandError(f"{user.email} cannot import returns: only coordinators and administrators can.")
        slugs = ", ".join(working_group.slug for working_group in coordinated)
        raise CommandError(f"Name the group with --group: {user.email} runs {slugs}.")
