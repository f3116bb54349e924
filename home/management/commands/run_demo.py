from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from home.demo.console import demo_load_on_console
from home.demo.serve import Service, manage_py, port_open, services_run
from home.demo.sign_ins import sign_ins_reminder, sign_ins_text

READY_TITLE = "Demo sign-ins, one per role (as above):"


class Command(BaseCommand):
    help = (
        "make run: load the demo content, then serve it with the development server, the task worker "
        "and the scheduler until Ctrl+C. When all three have started it prints the demo sign-ins (or "
        "how to see them again) last. For a development machine only (DEBUG on)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, host, port, verbosity, **options):
        if not settings.DEBUG:
            raise CommandError("run_demo is for a development machine: set DJANGO_DEBUG=1 (make run does).")
        address = f"http://{host}:{port}/"
        sign_in_url = f"{address}accounts/login/"
        logins = demo_load_on_console(
            write=self.stdout.write, style=self.style, verbosity=verbosity, sign_in_url=sign_in_url
        )
        self.stdout.write(f"Starting the web server, the task worker and the scheduler for {address} ...")
        worker_args = ["db_worker", "--interval", "2"] + (["--verbosity", str(verbosity)] if verbosity > 1 else [])
        services = [
            Service("task worker", manage_py(*worker_args)),
            Service("scheduler", manage_py("run_scheduler"), "Scheduler started"),
            Service("web server", manage_py("runserver", f"{host}:{port}"), "Quit the server with"),
        ]

        def on_ready(say):
            signs = sign_ins_text(logins, title=READY_TITLE, sign_in_url=sign_in_url) if logins else sign_ins_reminder()
            say(self.style.WARNING(signs))
            say(
                self.style.SUCCESS(
                    f"Ready: {address} (the task worker and the scheduler are running too). Ctrl+C stops all three."
                )
            )

        status = services_run(services, write=self.stdout.write, ready=lambda: port_open(host, port), on_ready=on_ready)
        if status:
            raise CommandError(f"Stopped: a service ended with exit status {status}.", returncode=status)
