from django.core.management.base import BaseCommand, CommandError

from home.demo.sign_ins import DemoSignInsRefused, demo_sign_ins_reset, sign_ins_text


class Command(BaseCommand):
    help = (
        "Show the demo's sign-ins again (make sign-ins): gives the demo accounts new random "
        "passwords and prints them with their authenticator secrets. Only the demo's own accounts, "
        "and only with DEBUG on."
    )

    def handle(self, *args, **options):
        try:
            logins = demo_sign_ins_reset()
        except DemoSignInsRefused as refused:
            raise CommandError(str(refused)) from refused
        if not logins:
            raise CommandError("There are no demo accounts in this database: load the demo first (make demo).")
        title = "Demo sign-ins, one per role (new passwords; the authenticator secrets are unchanged):"
        self.stdout.write(self.style.WARNING(sign_ins_text(logins, title=title)))
