from django.core.management.base import BaseCommand

from portal.outbox import outbox_sweep


class Command(BaseCommand):
    help = (
        "Send pending outbox email that is due, including mail whose background task was lost. "
        "Safe to run from cron: a row is never sent twice concurrently, and backoff is respected."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Send every pending email now, ignoring backoff (after an outage)."
        )
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help="Put email that ran out of attempts back in the queue first.",
        )

    def handle(self, *args, **options):
        outcomes = outbox_sweep(force=options["now"], retry_failed=options["retry_failed"])
        summary = ", ".join(f"{status}: {count}" for status, count in sorted(outcomes.items(), key=str)) or "nothing"
        self.stdout.write(f"Pending email processed ({summary}).")
