from django.core.management.base import BaseCommand

from portal.outbox import outbox_sweep


class Command(BaseCommand):
    help = (
        "Send every pending outbox email now, including mail whose background task was lost. "
        "Safe to run from cron and after an outage: a row is never sent twice concurrently."
    )

    def handle(self, *args, **options):
        outcomes = outbox_sweep()
        summary = ", ".join(f"{status}: {count}" for status, count in sorted(outcomes.items(), key=str)) or "nothing"
        self.stdout.write(f"Pending email processed — {summary}.")
