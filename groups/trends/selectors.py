"""Reads for trends: returns, tracking, the figures a summary is computed from, and the
published summaries (read from their snapshots only).

Who may read what is decided by the callers with `groups.permissions`; these functions
answer for the working group, organisation or page they are given.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, F, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.urls import reverse

from wagtail.models import ModelLogEntry

from groups.models import (
    AllRegionsTrendSummaryPage,
    Membership,
    Organisation,
    Region,
    TrendCount,
    TrendReturn,
    TrendSummaryPage,
    TrendSummarySnapshot,
    WorkingGroupPage,
)
from groups.permissions import can_see_disclosure_report

from .categories import BREAKDOWN_OF, BREAKDOWNS, CATEGORY_KEYS
from .disclosure import Axis, Table, protect
from .figures import published_summary
from .imports import COLUMNS, HEADERS
from .quarters import FIRST_YEAR, Quarter, reporting_quarter

if TYPE_CHECKING:
    from django.http import HttpRequest

    from wagtail.models import Page

SummaryPage = TrendSummaryPage | AllRegionsTrendSummaryPage

MEMBERS = TrendSummarySnapshot.Audience.MEMBERS
PUBLIC = TrendSummarySnapshot.Audience.PUBLIC
TREND_TITLE = "Children and young people identified, by quarter"


# Returns


def trend_returns_of(*, working_group: WorkingGroupPage, organisation: Organisation) -> QuerySet[TrendReturn]:
    """The current version of each of `organisation`'s returns in `working_group`, newest quarter first."""
    return (
        TrendReturn.objects.current()
        .filter(working_group=working_group, organisation=organisation)
        .select_related("submitted_by")
        .order_by("-year", "-quarter")
    )


def trend_return_in_group(*, working_group: WorkingGroupPage, pk: int) -> TrendReturn | None:
    """Return `pk` if it belongs to `working_group`, with what its page shows, or None."""
    return (
        TrendReturn.objects.filter(pk=pk, working_group=working_group)
        .select_related("organisation", "working_group", "submitted_by")
        .prefetch_related("counts")
        .first()
    )


def trend_return_history(*, trend_return: TrendReturn) -> QuerySet[TrendReturn]:
    """Every version of the same organisation's return for the same quarter, newest first."""
    return (
        TrendReturn.objects.filter(
            working_group_id=trend_return.working_group_id,
            organisation_id=trend_return.organisation_id,
            year=trend_return.year,
            quarter=trend_return.quarter,
        )
        .select_related("submitted_by")
        .order_by("-version")
    )


def trend_return_latest(
    *, working_group: WorkingGroupPage, organisation: Organisation, quarter: Quarter
) -> TrendReturn | None:
    """The current version of `organisation`'s return for `quarter`, with its counts, or None."""
    return (
        TrendReturn.objects.current()
        .for_quarter(quarter)
        .filter(working_group=working_group, organisation=organisation)
        .prefetch_related("counts")
        .first()
    )


def reporting_organisations(*, working_group: WorkingGroupPage) -> QuerySet[Organisation]:
    """The organisations with active members in `working_group`: the ones expected to make returns."""
    return Organisation.objects.filter(
        memberships__working_group=working_group, memberships__status=Membership.Status.ACTIVE
    ).distinct()


_first_submitted_at = (
    TrendReturn.objects.filter(
        organisation=OuterRef("organisation"),
        working_group=OuterRef("working_group"),
        year=OuterRef("year"),
        quarter=OuterRef("quarter"),
    )
    .order_by()
    .values("organisation")
    .annotate(first=Min("submitted_at"))
    .values("first")
)


def trend_return_tracking(*, working_group: WorkingGroupPage, quarter: Quarter) -> list[dict[str, Any]]:
    """For each reporting organisation, by name: its current return for `quarter` (or None)
    and its number of active members. Two queries, however many organisations.

    A corrected return (version 2 or later) carries `first_submitted_at`, when its first
    version was sent: the deadline was met then, whatever the date of the correction."""
    organisations = list(
        reporting_organisations(working_group=working_group)
        .annotate(
            active_members=Count(
                "memberships",
                filter=Q(memberships__working_group=working_group, memberships__status=Membership.Status.ACTIVE),
                distinct=True,
            )
        )
        .order_by("name")
    )
    returns = {
        r.organisation_id: r
        for r in TrendReturn.objects.current()
        .for_quarter(quarter)
        .filter(working_group=working_group)
        .annotate(first_submitted_at=Subquery(_first_submitted_at))
        .select_related("submitted_by")
    }
    return [
        {
            "organisation": organisation,
            "trend_return": returns.get(organisation.pk),
            "members": organisation.active_members,
        }
        for organisation in organisations
    ]


@dataclass(frozen=True)
class ReturnsOutstanding:
    working_group: WorkingGroupPage
    expected: int  # organisations with active members, each expected to make a return
    missing: list[str]  # the names of those with none yet, by name


def trend_returns_outstanding(*, working_groups: list[WorkingGroupPage], quarter: Quarter) -> list[ReturnsOutstanding]:
    """For each of `working_groups`, in order: how many organisations are expected to make
    a return for `quarter` and which have not. Two queries, however many groups,
    organisations and returns (the same rule as `trend_return_tracking`)."""
    expected = (
        Membership.objects.filter(working_group__in=working_groups, status=Membership.Status.ACTIVE)
        .values_list("working_group_id", "organisation_id", "organisation__name")
        .distinct()
        .order_by("organisation__name", "organisation_id")
    )
    received = set(
        TrendReturn.objects.current()
        .for_quarter(quarter)
        .filter(working_group__in=working_groups)
        .values_list("working_group_id", "organisation_id")
    )
    by_group: dict[int, list[tuple[int, str]]] = {group.pk: [] for group in working_groups}
    for group_id, organisation_id, name in expected:
        by_group[group_id].append((organisation_id, name))
    return [
        ReturnsOutstanding(
            working_group=group,
            expected=len(by_group[group.pk]),
            missing=[name for pk, name in by_group[group.pk] if (group.pk, pk) not in received],
        )
        for group in working_groups
    ]


def last_reminder(*, working_group: WorkingGroupPage, quarter: Quarter) -> datetime.datetime | None:
    """When the latest reminder for `working_group` and `quarter` was sent, or None."""
    entry = (
        ModelLogEntry.objects.filter(
            action="portal.trend_return_reminder", data__group_id=working_group.pk, data__quarter=quarter.code
        )
        .order_by("-timestamp")
        .first()
    )
    return entry.timestamp if entry else None


def return_form_url(*, working_group: WorkingGroupPage, quarter: Quarter) -> str:
    """The absolute link to the return form for `quarter`, from the canonical base URL."""
    path = reverse("groups:return_submit", kwargs={"group_slug": working_group.slug})
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{path}?quarter={quarter.code}"


def import_template_rows(*, working_group: WorkingGroupPage) -> tuple[list[str], list[list[str]]]:
    """The import template: a header, then a row per reporting organisation for the
    reporting quarter, numbers left blank for the coordinator to fill in."""
    quarter = reporting_quarter()
    rows = [
        [organisation.name, quarter.code, *[""] * (len(COLUMNS) - 2)]
        for organisation in reporting_organisations(working_group=working_group).order_by("name")
    ]
    return [HEADERS[column] for column in COLUMNS], rows


@dataclass(frozen=True)
class CategoryTotal:
    breakdown: str
    category: str
    count: int
    organisations: int  # how many organisations' returns put at least one child here


def trend_aggregate(
    *, quarter: Quarter, group: WorkingGroupPage | None = None
) -> tuple[dict[str, int], list[CategoryTotal]]:
    """The current returns for `quarter` in `group`'s region (or every region), added up.

    Returns (totals, categories): totals is {"total", "returns", "organisations"};
    categories is a list of CategoryTotal. Two queries whatever the number of returns:
    what a trend summary is computed from (before disclosure control).
    """
    returns = TrendReturn.objects.current().for_quarter(quarter)
    if group is not None:
        returns = returns.filter(working_group=group)
    totals = returns.aggregate(
        total=Sum("total"), returns=Count("pk"), organisations=Count("organisation", distinct=True)
    )
    totals["total"] = totals["total"] or 0
    rows = (
        TrendCount.objects.filter(trend_return__in=returns)
        .values("breakdown", "category")
        .annotate(
            children=Sum("count"),
            contributors=Count("trend_return__organisation", distinct=True, filter=Q(count__gt=0)),
        )
        .order_by()
    )
    by_key: dict[str, Mapping[str, Any]] = {row["category"]: row for row in rows}
    categories = [
        CategoryTotal(
            breakdown=BREAKDOWN_OF[key].key,
            category=key,
            count=by_key.get(key, {}).get("children") or 0,
            organisations=by_key.get(key, {}).get("contributors") or 0,
        )
        for key in CATEGORY_KEYS
    ]
    return totals, categories


# Summaries: computing the figures (before they are fixed in a snapshot)


def audience_threshold(audience: str) -> int:
    """The smallest count published to `audience` (settings, 10 by default for both)."""
    if audience == PUBLIC:
        return settings.TREND_SUMMARY_PUBLIC_THRESHOLD
    return settings.TREND_SUMMARY_MEMBERS_THRESHOLD


def trend_quarters(quarter: Quarter, count: int | None = None) -> list[Quarter]:
    """The quarters the trend shows, oldest first, ending with `quarter`."""
    count = count or settings.TREND_SUMMARY_QUARTERS
    quarters = [quarter]
    while len(quarters) < count and quarters[0].previous().year >= FIRST_YEAR:
        quarters.insert(0, quarters[0].previous())
    return quarters


def quarter_short_label(quarter: Quarter) -> str:
    return f"{quarter.year} Q{quarter.number}"


@dataclass(frozen=True)
class SummaryScope:
    """What a summary covers: one working group's region, or every region (group None)."""

    group: WorkingGroupPage | None
    quarter: Quarter

    @property
    def regions(self) -> list[str]:
        return [self.group.region] if self.group is not None else list(Region.values)

    @property
    def region(self) -> str:
        return self.group.region if self.group is not None else ""


def summary_scope(page: SummaryPage) -> SummaryScope:
    """The scope of a summary page (its group's region, or all regions for the all-regions page)."""
    working_group = page.get_working_group() if isinstance(page, TrendSummaryPage) else None
    return SummaryScope(group=working_group, quarter=page.period)


def _quarter_totals(scope: SummaryScope, quarters: list[Quarter]) -> dict[Quarter, tuple[int, int]]:
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


def summary_tables(scope: SummaryScope) -> tuple[list[Table], tuple[int, int]]:
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


def earlier_records(
    scope: SummaryScope, quarters: list[Quarter], *, exclude_page: Page | None = None
) -> list[dict[str, Any]]:
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


def trend_summary_compute(
    *, scope: SummaryScope, audience: str = MEMBERS, earlier: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
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


# Summaries: what is published (from snapshots only)


def live_snapshot(*, page: Page, audience: str = MEMBERS) -> TrendSummarySnapshot | None:
    """The snapshot of `page`'s live revision for `audience`, or None. One query."""
    if not page.live or page.live_revision_id is None:
        return None
    return TrendSummarySnapshot.objects.filter(
        page_id=page.pk, revision_id=page.live_revision_id, audience=audience
    ).first()


def public_snapshots() -> QuerySet[TrendSummarySnapshot]:
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


def public_snapshot(*, region: str, quarter: Quarter) -> TrendSummarySnapshot | None:
    """The public copy of `region`'s summary for `quarter`, or None."""
    return public_snapshots().filter(region=region, year=quarter.year, quarter=quarter.number).first()


def public_summary_url(*, region: str, quarter: Quarter, csv: bool = False) -> str:
    kwargs = {"region": region, "year": quarter.year, "number": quarter.number}
    return reverse("groups:public_trend_csv" if csv else "groups:public_trend_detail", kwargs=kwargs)


def summary_page_context(*, page: SummaryPage, request: HttpRequest) -> dict[str, Any]:
    """The context of a summary page: the published figures of its live revision for
    members, or, in the admin's preview of a draft, figures computed now (saying so)."""
    preview = getattr(request, "is_preview", False)
    data = None
    if preview:
        data = trend_summary_compute(scope=summary_scope(page))
    else:
        snapshot = live_snapshot(page=page)
        data = snapshot.data if snapshot is not None else None
    working_group = page.get_working_group() if isinstance(page, TrendSummaryPage) else None
    public_url = None
    if (
        not preview
        and working_group is not None
        and getattr(page, "publish_publicly", False)
        and live_snapshot(page=page, audience=PUBLIC)
    ):
        public_url = public_summary_url(region=working_group.region, quarter=page.period)
    return {
        "group": working_group,
        "summary": published_summary(data) if data is not None else None,
        "is_preview": preview,
        "show_report": can_see_disclosure_report(getattr(request, "user", None), page),
        "public_copy": public_url is not None,
        "public_url": public_url,
        "csv_url": reverse("groups:trend_summary_csv", kwargs={"page_pk": page.pk}) if data and not preview else None,
        "all_regions": isinstance(page, AllRegionsTrendSummaryPage),
    }


def latest_trend_summary(*, group: WorkingGroupPage) -> TrendSummaryPage | None:
    """The live trend summary of `group` for the latest quarter, or None (for the dashboard)."""
    return TrendSummaryPage.objects.live().child_of(group).order_by("-year", "-quarter", "-pk").first()


def group_trend_summaries(*, working_group: WorkingGroupPage) -> QuerySet[TrendSummaryPage]:
    """`working_group`'s live trend summaries, newest quarter first."""
    return TrendSummaryPage.objects.live().child_of(working_group).order_by("-year", "-quarter", "-pk")


def all_regions_trend_summaries() -> QuerySet[AllRegionsTrendSummaryPage]:
    """The live all-regions trend summaries, newest quarter first."""
    return AllRegionsTrendSummaryPage.objects.live().order_by("-year", "-quarter", "-pk")


def live_trend_summary_page(*, pk: int) -> SummaryPage | None:
    """The live summary page `pk` of either kind, or None; who may read it is the caller's check."""
    return (
        TrendSummaryPage.objects.live().filter(pk=pk).first()
        or AllRegionsTrendSummaryPage.objects.live().filter(pk=pk).first()
    )


def trend_summary_page(*, pk: int) -> TrendSummaryPage:
    """Regional summary page `pk`; its row holds the live revision's content."""
    return TrendSummaryPage.objects.get(pk=pk)
