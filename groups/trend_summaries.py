"""Trend summaries: computing the figures from the returns, fixing them at publication,
and reading them back for pages, charts and CSV downloads.

When a summary page's revision is published, `trend_summary_snapshot_publish` adds up the
current returns (the latest version per organisation) for the region, or every region,
over the summary's quarter and the quarters before it shown in the trend; protects them
with `groups.disclosure.protect` against everything published before that overlaps; and
stores the result, with its disclosure report, as a `TrendSummarySnapshot` of that
revision: one for members and, when the coordinator asks, one for the public with the
public threshold. Everything a published summary shows is read from a snapshot
(`published_summary`), never from the returns.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.urls import reverse

from .disclosure import SUPPRESSED, Axis, PublishedTable, Table, legend, protect
from .models import (
    AllRegionsTrendSummaryPage,
    Region,
    TrendReturn,
    TrendSummaryPage,
    TrendSummarySnapshot,
    WorkingGroupPage,
)
from .quarters import FIRST_YEAR, Quarter
from .trend_categories import BREAKDOWNS
from .trend_returns import trend_aggregate

MEMBERS = TrendSummarySnapshot.Audience.MEMBERS
PUBLIC = TrendSummarySnapshot.Audience.PUBLIC
TREND_TITLE = "Children and young people identified, by quarter"


def audience_threshold(audience):
    """The smallest count published to `audience` (settings, 10 by default for both)."""
    if audience == PUBLIC:
        return settings.TREND_SUMMARY_PUBLIC_THRESHOLD
    return settings.TREND_SUMMARY_MEMBERS_THRESHOLD


def trend_quarters(quarter, count=None):
    """The quarters the trend shows, oldest first, ending with `quarter`."""
    count = count or settings.TREND_SUMMARY_QUARTERS
    quarters = [quarter]
    while len(quarters) < count and quarters[0].previous().year >= FIRST_YEAR:
        quarters.insert(0, quarters[0].previous())
    return quarters


def quarter_short_label(quarter):
    return f"{quarter.year} Q{quarter.number}"


# Computing


@dataclass(frozen=True)
class SummaryScope:
    """What a summary covers: one working group's region, or every region (group None)."""

    group: WorkingGroupPage | None
    quarter: Quarter

    @property
    def regions(self):
        return [self.group.region] if self.group is not None else list(Region.values)

    @property
    def region(self):
        return self.group.region if self.group is not None else ""


def summary_scope(page):
    """The scope of a summary page (its group's region, or all regions for the all-regions page)."""
    group = page.get_working_group() if isinstance(page, TrendSummaryPage) else None
    return SummaryScope(group=group, quarter=page.period)


def _quarter_totals(scope, quarters):
    """{quarter: (children, organisations with any)} for the current returns: one query."""
    returns = TrendReturn.objects.current().filter(reduce(or_, (Q(year=q.year, quarter=q.number) for q in quarters)))
    if scope.group is not None:
        returns = returns.filter(working_group=scope.group)
    rows = (
        returns.values("year", "quarter")
        .annotate(children=Sum("total"), organisations=Count("organisation", distinct=True, filter=Q(total__gt=0)))
        .order_by()
    )
    found = {Quarter(row["year"], row["quarter"]): (row["children"] or 0, row["organisations"]) for row in rows}
    return {q: found.get(q, (0, 0)) for q in quarters}


def summary_tables(scope):
    """The tables of true counts a summary publishes (before disclosure control): the
    trend over quarters, then one table per breakdown of the summary's quarter. Three
    queries, whatever the number of returns."""
    quarters = trend_quarters(scope.quarter)
    totals = _quarter_totals(scope, quarters)
    region_scope = {"region": scope.regions}
    tables = [
        Table(
            title=TREND_TITLE,
            rows=Axis(
                "quarter",
                tuple(q.code for q in quarters),
                tuple(quarter_short_label(q) for q in quarters),
                summable=False,
                complete=False,
            ),
            counts=[[totals[q][0]] for q in quarters],
            organisations=[[totals[q][1]] for q in quarters],
            scope=region_scope,
        )
    ]
    _, categories = trend_aggregate(quarter=scope.quarter, group=scope.group)
    by_key = {category.category: category for category in categories}
    quarter_organisations = totals[scope.quarter][1]
    for breakdown in BREAKDOWNS:
        tables.append(
            Table(
                title=breakdown.label,
                rows=Axis(
                    breakdown.key,
                    tuple(breakdown.keys),
                    tuple(c.label for c in breakdown.categories),
                    summable=breakdown.partition,
                ),
                counts=[[by_key[key].count] for key in breakdown.keys],
                organisations=[[by_key[key].organisations] for key in breakdown.keys],
                total_organisations={"columns": [quarter_organisations]},
                scope={**region_scope, "quarter": [scope.quarter.code]},
            )
        )
    return tables, totals[scope.quarter]


def earlier_records(scope, quarters, *, exclude_page=None):
    """The records of every snapshot published before that these figures could be
    differenced with: overlapping quarters, and the same region or all regions (or any
    region, for an all-regions summary). One query."""
    snapshots = TrendSummarySnapshot.objects.filter(
        period_start__lte=quarters[-1].end, period_end__gte=quarters[0].start
    )
    if scope.group is not None:
        snapshots = snapshots.filter(region__in=[scope.region, ""])
    records = []
    for data in snapshots.order_by("pk").values_list("data", flat=True):
        for table in data["tables"]:
            records.extend(table["records"])
    return records


def trend_summary_compute(*, scope, audience=MEMBERS, earlier=None):
    """The protected summary of `scope` for `audience`, as snapshot data (JSON-ready).

    Each table is protected against `earlier` (the records of overlapping summaries
    published before; looked up when None) and the tables already protected in this
    summary, so a figure that appears twice (a quarter's total) is hidden in both or neither.
    """
    tables, (_, organisations) = summary_tables(scope)
    quarters = trend_quarters(scope.quarter)
    earlier = list(earlier_records(scope, quarters) if earlier is None else earlier)
    threshold = audience_threshold(audience)
    published = []
    for table in tables:
        result = protect(table, threshold=threshold, earlier=earlier)
        earlier.extend(result.records)
        published.append(result)
    return {
        "quarter": scope.quarter.code,
        "quarters": [q.code for q in quarters],
        "regions": scope.regions,
        "audience": str(audience),
        "threshold": threshold,
        "organisations": organisations,
        "tables": [table.to_dict() for table in published],
    }


@transaction.atomic
def trend_summary_snapshot_publish(*, page, revision):
    """Fix the figures of `page`'s newly published `revision`: a members' snapshot, and a
    public one when the page is also published to the public site. Called on
    `page_published`; publishing again makes new snapshots, earlier ones are kept (they
    were published, so later summaries are checked against them)."""
    scope = summary_scope(page)
    quarters = trend_quarters(scope.quarter)
    audiences = [MEMBERS]
    if getattr(page, "publish_publicly", False):
        audiences.append(PUBLIC)
    earlier = earlier_records(scope, quarters)
    snapshots = []
    for audience in audiences:
        data = trend_summary_compute(scope=scope, audience=audience, earlier=earlier)
        snapshots.append(
            TrendSummarySnapshot.objects.create(
                page=page,
                revision=revision,
                audience=audience,
                region=scope.region,
                year=scope.quarter.year,
                quarter=scope.quarter.number,
                period_start=quarters[0].start,
                period_end=quarters[-1].end,
                threshold=data["threshold"],
                data=data,
            )
        )
        # The public copy must agree with what members were shown: check it against it.
        for table in data["tables"]:
            earlier.extend(table["records"])
    return snapshots


# Reading (published figures come from snapshots only)


def live_snapshot(*, page, audience=MEMBERS):
    """The snapshot of `page`'s live revision for `audience`, or None. One query."""
    if not page.live or page.live_revision_id is None:
        return None
    return TrendSummarySnapshot.objects.filter(
        page_id=page.pk, revision_id=page.live_revision_id, audience=audience
    ).first()


def public_snapshots():
    """The public copies on show: live regional summaries whose live revision has a
    public snapshot, newest quarter first. One query."""
    return (
        TrendSummarySnapshot.objects.filter(
            audience=PUBLIC,
            page__live=True,
            revision_id=F("page__live_revision_id"),
            page__trendsummarypage__isnull=False,
        )
        .select_related("page")
        .order_by("-year", "-quarter", "region")
    )


def public_snapshot(*, region, quarter):
    """The public copy of `region`'s summary for `quarter`, or None."""
    return public_snapshots().filter(region=region, year=quarter.year, quarter=quarter.number).first()


@dataclass
class Row:
    label: str
    value: int | str  # a published figure or "[c]"
    is_total: bool = False

    @property
    def suppressed(self):
        return self.value == SUPPRESSED


def table_rows(table):
    """A published one-column table as rows (figures, then its total when there is one)."""
    rows = [Row(label, cells[0]) for label, cells in zip(table.row_labels, table.cells, strict=True)]
    if table.column_totals:
        rows.append(Row("Total", table.column_totals[0], is_total=True))
    return rows


def published_summary(data):
    """What the templates and the CSV show from a snapshot's data: each table with its
    rows and chart, the legend and the report. Reads nothing but `data`."""
    from .trend_charts import bar_chart, column_chart

    tables = [PublishedTable.from_dict(table) for table in data["tables"]]
    trend, breakdowns = tables[0], tables[1:]
    sections = [
        {
            "id": "trend",
            "title": trend.title,
            "rows": table_rows(trend),
            "chart": column_chart(id_prefix="chart-trend", title=trend.title, rows=table_rows(trend)),
            "report": trend.report,
        }
    ]
    for number, table in enumerate(breakdowns, start=1):
        rows = table_rows(table)
        sections.append(
            {
                "id": f"breakdown-{number}",
                "title": table.title,
                "rows": rows,
                "chart": bar_chart(
                    id_prefix=f"chart-breakdown-{number}",
                    title=table.title,
                    rows=[row for row in rows if not row.is_total],
                ),
                "report": table.report,
            }
        )
    return {
        "quarter": Quarter.parse(data["quarter"]),
        "organisations": data["organisations"],
        "threshold": data["threshold"],
        "sections": sections,
        "legend": legend(threshold=data["threshold"]),
        "suppressed": sum(table.suppressed_count() for table in tables),
    }


def summary_csv_rows(*, title, data):
    """The CSV of exactly what is published: every table's figures as shown (`[c]` for a
    hidden one), never a true value; the legend at the end."""
    summary = published_summary(data)
    rows = [["Summary", title, ""], ["Quarter", summary["quarter"].label, ""]]
    for section in summary["sections"]:
        rows.extend([section["title"], row.label, row.value] for row in section["rows"])
    rows.extend(["Note", note, ""] for note in summary["legend"])
    return rows


CSV_HEADER = ["Table", "Category", "Children and young people (rounded to the nearest 5)"]


def summary_page_context(*, page, request):
    """The context of a summary page: the published figures of its live revision for
    members, or, in the admin's preview of a draft, figures computed now (saying so)."""
    from .permissions import can_see_disclosure_report

    preview = getattr(request, "is_preview", False)
    data = None
    if preview:
        data = trend_summary_compute(scope=summary_scope(page))
    else:
        snapshot = live_snapshot(page=page)
        data = snapshot.data if snapshot is not None else None
    group = page.get_working_group() if isinstance(page, TrendSummaryPage) else None
    public_url = None
    if not preview and getattr(page, "publish_publicly", False) and live_snapshot(page=page, audience=PUBLIC):
        public_url = public_summary_url(region=group.region, quarter=page.period)
    return {
        "group": group,
        "summary": published_summary(data) if data is not None else None,
        "is_preview": preview,
        "show_report": can_see_disclosure_report(getattr(request, "user", None), page),
        "public_copy": public_url is not None,
        "public_url": public_url,
        "csv_url": reverse("groups:trend_summary_csv", kwargs={"page_pk": page.pk}) if data and not preview else None,
        "all_regions": isinstance(page, AllRegionsTrendSummaryPage),
    }


def public_summary_url(*, region, quarter, csv=False):
    kwargs = {"region": region, "year": quarter.year, "number": quarter.number}
    return reverse("groups:public_trend_csv" if csv else "groups:public_trend_detail", kwargs=kwargs)
