"""Print every trend figure ever published, from the publication ledger, as one JSON list.

`manage.py trends_ledger` prints both audiences; `--audience public` only what the public
site showed (the same figures as the open data at /trends/), `--audience members` only
the members' copies. Each item: the release's quarter and revision number, audience,
threshold, published time (ISO 8601), scope (regions, quarters, category or "total"),
the value shown (a whole number, or "[c]"), whether the returns behind it changed since
the previous revision, and whether its quarters had no returns at all ("no data"). Never a
true value: only what was published.
"""

import json

from django.core.management.base import BaseCommand

from groups.trends.selectors import MEMBERS, PUBLIC, ledger_figures

AUDIENCES = {"public": [PUBLIC], "members": [MEMBERS], "all": [MEMBERS, PUBLIC]}


class Command(BaseCommand):
    help = "Print every published trend figure (the publication ledger) as one JSON list."

    def add_arguments(self, parser):
        parser.add_argument("--audience", choices=sorted(AUDIENCES), default="all", help="Whose copies (default: all).")

    def handle(self, *args, audience="all", **options):
        figures = ledger_figures(audiences=[str(a) for a in AUDIENCES[audience]])
        self.stdout.write(json.dumps([figure.as_json() for figure in figures], indent=2))
