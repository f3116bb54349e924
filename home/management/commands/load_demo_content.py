from django.core.management.base import BaseCommand

from home.demo.console import demo_load_on_console


class Command(BaseCommand):
    help = (
        "Build the demo site (the seed guidance, library, home and standard pages, the members' area, "
        "one sign-in per role) from home/demo/content/. Safe to run again: it changes nothing that "
        "exists. Prints the sign-ins it makes last; --verbosity 2 shows every page's log lines too."
    )

    def handle(self, *args, **options):
        demo_load_on_console(write=self.stdout.write, style=self.style, verbosity=options["verbosity"])
