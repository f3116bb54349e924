"""Benchmark the trend summaries: `make bench-trends` (python -m bench.trends).

Builds, in a throwaway database, 200 organisations each making a return in each of the 4
regions for each of 20 quarters (16,000 current returns, a count per category each), then times
computing a region's summary and the all-regions summary (adding up the returns and
applying disclosure control), first with nothing published before, then against the four
regional summaries already published for the quarter (the differencing check). It prints
the median and fastest of several runs and the number of queries each takes.

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

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import Page

from groups.models import (
    MembersAreaIndexPage,
    Organisation,
    Region,
    TrendCount,
    TrendReturn,
    TrendSummaryPage,
    WorkingGroupPage,
)
from groups.trends.categories import BREAKDOWN_OF
from groups.trends.quarters import reporting_quarter
from groups.trends.selectors import SummaryScope, trend_summary_compute
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


def measure(label, function, runs):
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            function()
            times.append(time.perf_counter() - start)
    print(
        f"  {label:<58} median {statistics.median(times) * 1000:8.1f} ms   "
        f"fastest {min(times) * 1000:8.1f} ms   {len(queries.captured_queries)} queries"
    )


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m bench.trends", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--organisations", type=int, default=int(os.environ.get("BENCH_ORGANISATIONS", 200)))
    parser.add_argument("--quarters", type=int, default=int(os.environ.get("BENCH_QUARTERS", 20)))
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", 5)))
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
        start = time.perf_counter()
        _area, groups, quarter = build(organisations=organisations, quarters=quarters)
        print(
            f"Built {TrendReturn.objects.count():,} returns and {TrendCount.objects.count():,} counts "
            f"({organisations} organisations x {len(groups)} regions x {quarters} quarters) "
            f"in {time.perf_counter() - start:.1f} s on {connection.vendor}."
        )
        print(f"Computing the summaries for {quarter.label} ({runs} runs each):")
        region = SummaryScope(group=groups[0], quarter=quarter)
        everywhere = SummaryScope(group=None, quarter=quarter)
        measure("a region's summary, nothing published before", lambda: trend_summary_compute(scope=region), runs)
        measure(
            "the all-regions summary, nothing published before", lambda: trend_summary_compute(scope=everywhere), runs
        )
        for group in groups:
            page = group.add_child(instance=TrendSummaryPage(year=quarter.year, quarter=quarter.number))
            trend_summary_publish(page=page, revision=None)
        measure(
            "a region's summary, against 4 published regional ones", lambda: trend_summary_compute(scope=region), runs
        )
        measure(
            "the all-regions summary, against 4 published regional ones",
            lambda: trend_summary_compute(scope=everywhere),
            runs,
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
