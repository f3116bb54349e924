"""Send the notification digests, and the action reminders that go with them (for cron).

Run it daily, e.g. at 07:00: `manage.py send_digests`. Daily digests go out on every
run and weekly ones on NOTIFICATIONS_WEEKLY_DIGEST_WEEKDAY (Monday by default), or
choose with `--frequency daily|weekly`. Safe to run twice or at once from two machines:
no item is ever sent twice.
"""

from django.core.management.base import BaseCommand

from groups.models import NotificationFrequency
from groups.notifications.services import action_reminders_create, digest_frequencies_due, digests_send


class Command(BaseCommand):
    help = "Record action reminders, then email each member the notifications waiting for them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency",
            action="append",
            choices=[NotificationFrequency.DAILY, NotificationFrequency.WEEKLY],
            help="Which digests to send (repeatable). Default: daily, and weekly on the weekly digest day.",
        )

    def handle(self, *args, frequency=None, **options):
        reminders = action_reminders_create()
        result = digests_send(frequencies=frequency or digest_frequencies_due())
        self.stdout.write(
            f"{reminders} reminders recorded; {result['sent']} emails queued with {result['items']} items; "
            f"{result['dropped']} items dropped."
        )
