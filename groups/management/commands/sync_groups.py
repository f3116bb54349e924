from django.core.management.base import BaseCommand

from groups.membership.services import groups_sync_all


class Command(BaseCommand):
    help = (
        "Rebuild the Editors group and every working group's Django groups, page permissions and privacy "
        "from the memberships. Safe to run at any time."
    )

    def handle(self, *args, **options):
        groups = groups_sync_all()
        self.stdout.write(f"Editors and {len(groups)} working group(s) set up.")
