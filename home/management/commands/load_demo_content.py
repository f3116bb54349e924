from django.core.management import call_command
from django.core.management.base import BaseCommand

from home.demo.loader import demo_content_load


class Command(BaseCommand):
    help = (
        "Build the demo site (the seed guidance, library, home and standard pages, a demo "
        "administrator) from home/demo/content/. Safe to run again: it changes nothing that exists."
    )

    def handle(self, *args, **options):
        report, _ = demo_content_load()
        if not report.created:
            self.stdout.write("Demo content is already loaded; nothing changed.")
            return
        # Wagtail updates its search index in background tasks; build it now so that
        # search works at once, whether or not a worker is running yet.
        call_command("update_index", verbosity=0)
        self.stdout.write(f"Created {len(report.created)} items of demo content.")
        if report.logins:
            lines = ["Demo sign-ins, one per role (shown only this once):"]
            for login in report.logins:
                lines.append(
                    f"  {login.role:<13} email: {login.email:<24} password: {login.password}  "
                    f"authenticator secret (TOTP): {login.totp_secret}"
                )
            lines.append("Add a secret to an authenticator app, then sign in at http://127.0.0.1:8000/accounts/login/.")
            self.stdout.write(self.style.WARNING("\n".join(lines)))
