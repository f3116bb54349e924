from django.core.management import call_command
from django.core.management.base import BaseCommand

from home.demo import demo_content_load


class Command(BaseCommand):
    help = (
        "Build the demo site (the seed guidance, library, home and standard pages, a demo "
        "administrator) from home/demo_content/. Safe to run again: it changes nothing that exists."
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
        login = report.admin_login
        if login:
            self.stdout.write(
                self.style.WARNING(
                    "Demo administrator (shown only this once):\n"
                    f"  email:    {login.email}\n"
                    f"  password: {login.password}\n"
                    f"  authenticator app secret (TOTP): {login.totp_secret}\n"
                    "Add the secret to an authenticator app, then sign in at http://127.0.0.1:8000/accounts/login/."
                )
            )
