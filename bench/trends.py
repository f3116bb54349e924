"""Benchmark the trend summaries: `make bench-trends` (python -m bench.trends).

Builds, in a throwaway database, 200 organisations each making a return in each of the 4
regions for each of 20 quarters (16,000 current returns, a count per category each), then
a ledger of earlier releases: for each quarter before the last, the four regional
summaries (members' and public copies) and the all-regions summary, and a revision of the
previous quarter's release after late returns (11 earlier quarters by default: 11
releases and 10 revisions). It then times preparing the last quarter's
release (adding up the returns, protecting every copy and auditing it against the whole
ledger: `selectors.trend_summary_prepare` for each of the five summaries, then
`selectors.trend_release_prepare` for the five as one release) and recording
it, prints the queries each takes and the information kept (the share of figures at or
above the threshold that are shown) of every copy, and checks the targets: every
all-regions quarterly total shown, every regional quarterly total of 10 or more shown.

The database is Django's test database for whatever DATABASE_URL names (a PostgreSQL
database named `<name>_bench_trends`, created and dropped here; SQLite in memory when
DATABASE_URL is not set), so nothing real is touched. BENCH_ORGANISATIONS,
BENCH_QUARTERS and BENCH_RUNS change the sizes (defaults 200, 20, 5), as do the options
(`python -m bench.trends --help`).
"""

import argparse
import os
import random
import statistics
import sys
import time

from bench.harness import setup_django

# The app's models can be imported only once Django is set up, so this script sets it up
# before its other imports (hence E402 for this file in pyproject.toml).
setup_django()

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import Page

from groups.models import (
    AllRegionsTrendSummaryPage,
    MembersAreaIndexPage,
    Organisation,
    Region,
    TrendCount,
    TrendLedgerEntry,
    TrendPublication,
    TrendReturn,
    TrendSummaryPage,
    WorkingGroupPage,
)
from groups.trends.categories import BREAKDOWN_OF
from groups.trends.quarters import reporting_quarter
from groups.trends.selectors import SummaryScope, trend_release_prepare, trend_summary_prepare
from groups.trends.services import trend_counts_sample, trend_summary_publish


def build(*, organisations, quarters):
    """The page tree, the organisations and the returns, written in bulk (the service
    checks memberships and versions one return at a time, which is not what is measured)."""
    root = Page.get_first_root_node()
    area = root.add_child(instance=MembersAreaIndexPage(title="Members' area", slug="members"))
    groups = [
        area.add_child(instance=WorkingGroupPage(title=f"{label} working group", slug=value, region=value))
        for value, label in Region.choices
    ]
    orgs = Organisation.objects.bulk_create(
        Organisation(name=f"Bench organisation {n}", sector="other") for n in range(organisations)
    )
    periods = [reporting_quarter()]
    while len(periods) < quarters:
        periods.insert(0, periods[0].previous())
    rng = random.Random(2026)  # noqa: S311 - made-up figures
    now = timezone.now()
    returns = [
        TrendReturn(
            organisation=org,
            working_group=group,
            year=q.year,
            quarter=q.number,
            version=1,
            is_current=True,
            submitted_at=now,
            total=rng.randint(0, 40),
        )
        for group in groups
        for org in orgs
        for q in periods
    ]
    returns = TrendReturn.objects.bulk_create(returns, batch_size=2000)
    batch = []
    for trend_return in returns:
        counts = trend_counts_sample(total=trend_return.total, rng=rng)
        batch.extend(
            TrendCount(trend_return=trend_return, breakdown=BREAKDOWN_OF[key].key, category=key, count=value)
            for key, value in counts.items()
        )
        if len(batch) >= 20_000:
            TrendCount.objects.bulk_create(batch)
            batch = []
    TrendCount.objects.bulk_create(batch)
    return area, groups, periods[-1]


def release_pages(area, groups, quarter):
    """The five summary pages of `quarter`'s release: each region's (with a public copy) and all regions'."""
    pages = [
        group.add_child(instance=TrendSummaryPage(year=quarter.year, quarter=quarter.number, publish_publicly=True))
        for group in groups
    ]
    pages.append(area.add_child(instance=AllRegionsTrendSummaryPage(year=quarter.year, quarter=quarter.number)))
    return pages


def late_returns(groups, quarter, rng, organisations):
    """A few organisations' late corrections for `quarter`: a new current version each."""
    for group in groups:
        for org in rng.sample(organisations, 2):
            old = TrendReturn.objects.current().get(
                organisation=org, working_group=group, year=quarter.year, quarter=quarter.number
            )
            TrendReturn.objects.filter(pk=old.pk).update(is_current=False)
            new = TrendReturn.objects.create(
                organisation=org,
                working_group=group,
                year=quarter.year,
                quarter=quarter.number,
                version=old.version + 1,
                is_current=True,
                submitted_at=timezone.now(),
                total=old.total + rng.randint(1, 6),
            )
            counts = trend_counts_sample(total=new.total, rng=rng)
            TrendCount.objects.bulk_create(
                TrendCount(trend_return=new, breakdown=BREAKDOWN_OF[key].key, category=key, count=value)
                for key, value in counts.items()
            )


def publish_release(pages):
    for page in pages:
        trend_summary_publish(page=page, revision=None)


def check_targets(publications):
    """The issue's targets: every all-regions quarterly total shown, and every regional total
    of the release's quarter (all are 10 or more here) shown in the members' copies."""
    problems = []
    for publication in publications:
        if publication.audience != "members":
            continue
        for entry in publication.entries.filter(category="total", value=None):
            if not publication.region or entry.quarters == [publication.period.code]:
                problems.append(f"{publication}: the total for {entry.quarters[0]} is hidden")
    return problems


def report_demo():
    """The demo content's trend summaries: each copy's information kept and the targets."""
    call_command("load_demo_content", verbosity=0)
    publications = list(TrendPublication.objects.order_by("region", "audience"))
    for publication in publications:
        verdict = "passed" if publication.audit.get("passed") else "REFUSED"
        print(
            f"  demo {publication.region or 'all regions':<22} {publication.audience:<8} information kept "
            f"{publication.information_kept:6.1%}   audit {verdict}"
        )
    problems = check_targets(publications)
    kept = min(p.information_kept for p in publications)
    print("  targets: " + ("met" if not problems and kept >= 0.8 else "; ".join(problems) or "under 80 %"))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m bench.trends", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--organisations", type=int, default=int(os.environ.get("BENCH_ORGANISATIONS", 200)))
    parser.add_argument("--quarters", type=int, default=int(os.environ.get("BENCH_QUARTERS", 20)))
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", 3)))
    parser.add_argument(
        "--earlier",
        type=int,
        default=int(os.environ.get("BENCH_EARLIER", 11)),
        help="earlier quarters released (each revised once)",
    )
    parser.add_argument("--demo", action="store_true", help="report on the demo content's summaries instead")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    organisations, quarters, runs = args.organisations, args.quarters, args.runs
    settings_dict = connection.settings_dict
    settings_dict.setdefault("TEST", {})
    if connection.vendor == "postgresql":
        settings_dict["TEST"]["NAME"] = f"{settings_dict['NAME']}_bench_trends"
    old_name = settings_dict["NAME"]
    print(f"Creating a throwaway {connection.vendor} database and migrating it…", flush=True)
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        if args.demo:
            report_demo()
            return 0
        start = time.perf_counter()
        area, groups, quarter = build(organisations=organisations, quarters=quarters)
        print(
            f"Built {TrendReturn.objects.count():,} returns and {TrendCount.objects.count():,} counts "
            f"({organisations} organisations x {len(groups)} regions x {quarters} quarters) "
            f"in {time.perf_counter() - start:.1f} s on {connection.vendor}."
        )
        rng = random.Random(11)  # noqa: S311 - made-up figures
        orgs = list(Organisation.objects.order_by("pk"))
        earlier = [quarter]
        while len(earlier) <= args.earlier and len(earlier) < quarters:
            earlier.insert(0, earlier[0].previous())
        earlier = earlier[:-1]
        start = time.perf_counter()
        for number, period in enumerate(earlier):
            publish_release(release_pages(area, groups, period))
            if number:  # the previous quarter's late returns, and its revision
                previous = earlier[number - 1]
                late_returns(groups, previous, rng, orgs)
                pages = list(TrendSummaryPage.objects.filter(year=previous.year, quarter=previous.number))
                pages += list(AllRegionsTrendSummaryPage.objects.filter(year=previous.year, quarter=previous.number))
                publish_release(pages)
        print(
            f"Ledger: {TrendPublication.objects.count():,} publications, {TrendLedgerEntry.objects.count():,} "
            f"entries ({len(earlier)} earlier releases and revisions) built in {time.perf_counter() - start:.1f} s."
        )
        print(f"Preparing the release for {quarter.label} (4 regional summaries with public copies + all regions):")
        pages = release_pages(area, groups, quarter)
        scopes = [SummaryScope(group=group, quarter=quarter) for group in groups] + [SummaryScope(None, quarter)]
        times, query_counts = [], []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                begin = time.perf_counter()
                for scope in scopes:
                    trend_summary_prepare(scope=scope, public=scope.group is not None)
                times.append(time.perf_counter() - begin)
            query_counts.append(len(queries.captured_queries))
        print(
            f"  prepare and audit the whole release   median {statistics.median(times):6.2f} s   "
            f"fastest {min(times):6.2f} s   {query_counts[-1]} queries"
        )
        times = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                begin = time.perf_counter()
                trend_release_prepare(quarter=quarter, tables=scopes, public=True)
                times.append(time.perf_counter() - begin)
        print(
            f"  ... as one release (jointly)           median {statistics.median(times):6.2f} s   "
            f"fastest {min(times):6.2f} s   {len(queries.captured_queries)} queries"
        )
        with CaptureQueriesContext(connection) as queries:
            begin = time.perf_counter()
            publish_release(pages)
            took = time.perf_counter() - begin
        print(f"  prepare, audit and record it once     {took:6.2f} s   {len(queries.captured_queries)} queries")
        latest = list(TrendPublication.objects.filter(year=quarter.year, quarter=quarter.number).order_by("region"))
        for publication in latest:
            verdict = "passed" if publication.audit.get("passed") else "REFUSED"
            print(
                f"  {publication.region or 'all regions':<22} {publication.audience:<8} information kept "
                f"{publication.information_kept:6.1%}   audit {verdict}"
            )
        kept = [p.information_kept for p in latest]
        print(f"  information kept: lowest {min(kept):.1%}, mean {statistics.mean(kept):.1%}")
        problems = check_targets(latest)
        print("  targets: " + ("met" if not problems and min(kept) >= 0.8 else "; ".join(problems) or "under 80 %"))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
