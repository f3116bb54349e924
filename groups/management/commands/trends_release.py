"""Publish a quarter's trend release: every regional summary and the all-regions one, together.

    manage.py trends_release QUARTER [--public] --prepared-by EMAIL --approved-by EMAIL

QUARTER is written as on the return form, e.g. 2026-Q2. The release is prepared, audited
and published as one (`groups.trends.services.trend_release_publish`; the admin's "Trend
releases" approves a quarter's waiting summaries through the same preparation and audit):
each live working group's summary page for the quarter and the all-regions page (made
when missing), submitted to the approval workflow by the preparer
and approved by the data steward, their figures protected and audited together against
everything already published. `--public` also publishes each regional summary to the
public site. Run again for a quarter already released (after a late return or a
correction), it publishes a revision of the release, marking the figures that changed.

It refuses, saying why and never with a figure, what the workflow refuses: a preparer who
may not prepare every summary of the release (a group's coordinator prepares its summary,
only administrators the all-regions one), an approver who is not a data steward or is from
the preparer's organisation, and a release the disclosure audit refuses. Nothing is
published or recorded then.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from groups.trends.audit import AuditRefused
from groups.trends.quarters import Quarter
from groups.trends.services import trend_release_publish


class Command(BaseCommand):
    help = "Prepare, audit and publish a quarter's trend summaries together (or a revision of the release)."

    def add_arguments(self, parser):
        parser.add_argument("quarter", metavar="QUARTER", help="The quarter, e.g. 2026-Q2.")
        parser.add_argument("--public", action="store_true", help="Also publish the regional summaries publicly.")
        parser.add_argument("--prepared-by", metavar="EMAIL", required=True, help="The coordinator or administrator.")
        parser.add_argument("--approved-by", metavar="EMAIL", required=True, help="The data steward approving it.")

    def handle(self, *args, quarter, public=False, prepared_by, approved_by, **options):
        try:
            period = Quarter.parse(quarter)
        except ValueError:
            raise CommandError(f"“{quarter}” is not a quarter: write it as 2026-Q2.") from None
        preparer, approver = self._account(prepared_by), self._account(approved_by)
        try:
            release = trend_release_publish(quarter=period, prepared_by=preparer, approved_by=approver, public=public)
        except (PermissionDenied, AuditRefused) as error:
            raise CommandError(f"Nothing was published. {error}") from None
        except ValidationError as error:
            raise CommandError(f"Nothing was published. {' '.join(error.messages)}") from None
        public_copies = sum(p.audience == "public" for p in release.publications)
        what = "A revision of the release" if release.revision else "The release"
        self.stdout.write(
            f"{what} for {period.label} ({period.code}) is published: {len(release.pages)} summaries to members"
            + (f", {public_copies} of them to the public too" if public_copies else "")
            + f". Prepared by {preparer.email}, approved by {approver.email}."
        )
        self.stdout.write(release.result.explanation())

    def _account(self, email):
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"There is no account for {email}.")
        return user
