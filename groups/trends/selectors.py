"""Reads for trends: returns, tracking, the figures a summary is computed from, and the
published summaries (read from the ledger only).

Who may read what is decided by the callers with `groups.permissions`; these functions
answer for the working group, organisation or page they are given.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry, Page, Revision, TaskState, WorkflowState

from groups.models import (
    AllRegionsTrendSummaryPage,
    MembersAreaIndexPage,
    Membership,
    Organisation,
    Region,
    TrendCount,
    TrendLedgerEntry,
    TrendPublication,
    TrendReturn,
    TrendSourceVersion,
    TrendSummaryApprovalTask,
    TrendSummaryPage,
    WorkingGroupPage,
)
from groups.permissions import can_see_disclosure_report

from .audit import (
    TOTAL,
    AuditRefused,
    AuditResult,
    Candidate,
    Protected,
    Publication,
    Scope,
    Source,
    Structure,
    default_structure,
    figure_value,
    protect_release,
)
from .categories import BREAKDOWN_OF, CATEGORY_KEYS
from .disclosure import SUPPRESSED
from .figures import FigureEntry, published_summary, summary_data
from .imports import COLUMNS, HEADERS
from .quarters import FIRST_YEAR, Quarter, reporting_quarter

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpRequest

SummaryPage = TrendSummaryPage | AllRegionsTrendSummaryPage

MEMBERS = TrendPublication.Audience.MEMBERS
PUBLIC = TrendPublication.Audience.PUBLIC


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


# Summaries: computing the figures (before they are recorded in the ledger)


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


@dataclass(frozen=True)
class SummaryScope:
    """What a summary covers: one working group's region, or every region (group None)."""

    group: WorkingGroupPage | None
    quarter: Quarter

    @property
    def regions(self) -> list[str]:
        return [self.group.region] if self.group is not None else sorted(Region.values)

    @property
    def region(self) -> str:
        return self.group.region if self.group is not None else ""


def summary_scope(page: SummaryPage) -> SummaryScope:
    """The scope of a summary page (its group's region, or all regions for the all-regions page)."""
    working_group = page.get_working_group() if isinstance(page, TrendSummaryPage) else None
    return SummaryScope(group=working_group, quarter=page.period)


def trend_structure() -> Structure:
    """What every reader knows of the figures: the breakdowns and the regions."""
    return default_structure(Region.values)


def summary_figure_scopes(scope: SummaryScope) -> list[Scope]:
    """Every figure a summary shows: the total of each quarter of the trend, then each
    category of the summary's quarter (a partition's total is the quarter's total)."""
    quarters = trend_quarters(scope.quarter)
    scopes = [Scope.of(scope.regions, [q.code]) for q in quarters]
    scopes += [Scope.of(scope.regions, [scope.quarter.code], key) for key in CATEGORY_KEYS]
    return scopes


def _source_key(region: str, quarter: Quarter, counts: dict[str, int], organisations: dict[str, int]) -> str:
    text = json.dumps([region, quarter.code, counts, organisations], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class SourceData:
    """The current returns behind a summary: the version of each region-quarter
    ({(region, quarter code): key}), each version's counts, and the organisations that
    made returns for the summary's quarter."""

    blocks: dict[tuple[str, str], str]
    sources: dict[str, Source]
    rows: dict[str, dict[str, Any]]  # key -> the fields of a TrendSourceVersion
    organisations: int
    # The (region, quarter code) blocks with at least one return: a figure none of whose
    # blocks is here is "no data", not 0 (whether anyone made a return is no count of children).
    returned: frozenset[tuple[str, str]] = frozenset()
    # The organisations that made returns for the quarter, by region.
    by_region: Mapping[str, int] = field(default_factory=dict)

    def has_no_data(self, scope: Scope) -> bool:
        return not any(block in self.returned for block in scope.blocks())

    def for_table(self, scope: SummaryScope) -> SourceData:
        """What one table of a release (a region, or every region this covers) is computed from."""
        regions = set(scope.regions)
        if regions == {region for region, _ in self.blocks}:
            return self
        blocks = {block: key for block, key in self.blocks.items() if block[0] in regions}
        keys = set(blocks.values())
        return SourceData(
            blocks,
            {key: source for key, source in self.sources.items() if key in keys},
            {key: row for key, row in self.rows.items() if key in keys},
            sum(self.by_region.get(region, 0) for region in regions),
            frozenset(block for block in self.returned if block[0] in regions),
            {region: n for region, n in self.by_region.items() if region in regions},
        )


def summary_sources(scope: SummaryScope) -> SourceData:
    """The true counts behind a summary, by region and quarter, from the current returns.
    Three queries, whatever the number of returns (four for several regions)."""
    return release_sources(regions=scope.regions, quarter=scope.quarter)


def release_sources(*, regions: Sequence[str], quarter: Quarter) -> SourceData:
    """The true counts behind the tables of `regions` for `quarter` (and the trend's
    earlier quarters), by region and quarter, from the current returns. Three queries,
    four for several regions, whatever the number of returns."""
    quarters = trend_quarters(quarter)
    returns = TrendReturn.objects.current().filter(
        reduce(or_, (Q(year=q.year, quarter=q.number) for q in quarters)), working_group__region__in=regions
    )
    counts: dict[tuple[str, Quarter], dict[str, int]] = {}
    organisations: dict[tuple[str, Quarter], dict[str, int]] = {}
    for region in regions:
        for q in quarters:
            counts[(region, q)] = dict.fromkeys([TOTAL, *CATEGORY_KEYS], 0)
            organisations[(region, q)] = dict.fromkeys([TOTAL, *CATEGORY_KEYS], 0)
    totals = (
        returns.values("working_group__region", "year", "quarter")
        .annotate(children=Sum("total"), contributors=Count("organisation", distinct=True, filter=Q(total__gt=0)))
        .order_by()
    )
    returned = set()
    for row in totals:
        block = (row["working_group__region"], Quarter(row["year"], row["quarter"]))
        returned.add((block[0], block[1].code))
        counts[block][TOTAL] = row["children"] or 0
        organisations[block][TOTAL] = row["contributors"]
    categories = (
        TrendCount.objects.filter(trend_return__in=returns)
        .values("trend_return__working_group__region", "trend_return__year", "trend_return__quarter", "category")
        .annotate(
            children=Sum("count"),
            contributors=Count("trend_return__organisation", distinct=True, filter=Q(count__gt=0)),
        )
        .order_by()
    )
    for row in categories:
        block = (
            row["trend_return__working_group__region"],
            Quarter(row["trend_return__year"], row["trend_return__quarter"]),
        )
        counts[block][row["category"]] = row["children"] or 0
        organisations[block][row["category"]] = row["contributors"]
    reporting = returns.filter(year=quarter.year, quarter=quarter.number)
    blocks, sources, rows = {}, {}, {}
    for (region, q), block_counts in counts.items():
        key = _source_key(region, q, block_counts, organisations[(region, q)])
        blocks[(region, q.code)] = key
        sources[key] = Source(key, block_counts, organisations[(region, q)])
        rows[key] = {
            "region": region,
            "year": q.year,
            "quarter": q.number,
            "counts": block_counts,
            "organisations": organisations[(region, q)],
        }
    by_region = dict(
        reporting.values_list("working_group__region")
        .annotate(n=Count("organisation", distinct=True))
        .order_by()
        .values_list("working_group__region", "n")
    )
    if len(regions) == 1:
        organisations_reporting = by_region.get(regions[0], 0)
    else:  # an organisation may report in several regions: count it once
        organisations_reporting = reporting.values("organisation").distinct().count()
    return SourceData(blocks, sources, rows, organisations_reporting, frozenset(returned), by_region)


def ledger_publications(quarters: list[Quarter]) -> tuple[list[TrendPublication], list[Publication], dict[str, Source]]:
    """Every publication whose figures share a quarter with `quarters`, oldest first, as
    the audit reads them, with the source versions behind them. Three queries."""
    rows = list(
        TrendPublication.objects.filter(period_start__lte=quarters[-1].end, period_end__gte=quarters[0].start)
        .order_by("published_at", "pk")
        .prefetch_related("entries")
    )
    keys = {key for row in rows for key in row.sources.values()}
    sources = {
        version.key: Source(version.key, version.counts, version.organisations)
        for version in TrendSourceVersion.objects.filter(key__in=keys)
    }
    publications = [ledger_publication(row) for row in rows]
    return rows, publications, sources


def ledger_publication(publication: TrendPublication) -> Publication:
    """A recorded publication as the audit reads it (its entries prefetched or queried)."""
    sources = {}
    for name, key in publication.sources.items():
        region, quarter = name.split(" ")
        sources[(region, quarter)] = key
    figures = {
        Scope.of(entry.regions, entry.quarters, entry.category): entry.value for entry in publication.entries.all()
    }
    # A copy recorded before sources were kept: its figures still bound the intruder, as
    # figures of returns that may have changed since (their true values are unknown).
    for scope in figures:
        for region, quarter in scope.blocks():
            sources.setdefault((region, quarter), f"unrecorded {publication.pk} {region} {quarter}")
    return Publication(publication.audience, publication.threshold, sources, figures)


@dataclass
class PreparedSummary:
    """A summary's copies, protected and audited, ready to record (or to preview)."""

    scope: SummaryScope
    source_data: SourceData
    protected: Protected
    audiences: list[str]
    earlier: list[TrendPublication]
    ledger: list[Publication]


def trend_summary_prepare(*, scope: SummaryScope, public: bool = False) -> PreparedSummary:
    """Protect a summary's members' copy (and public copy) against everything published
    before, and audit the result: a release of this one table (`trend_release_prepare`).
    Raises AuditRefused when no protection passes."""
    return trend_release_prepare(quarter=scope.quarter, tables=[scope], public=public)[0]


def trend_release_prepare(
    *, quarter: Quarter, tables: Sequence[SummaryScope], public: bool | Sequence[bool] = False
) -> list[PreparedSummary]:
    """Protect the tables of one quarter's release together (the regional summaries and
    the all-regions one) against everything published before, and audit them as one
    whole; each table's copies in `tables`' order. `public`: whether every regional table
    has a public copy too, or, one per table, which do (as each page chose in the admin).
    Raises AuditRefused when no protection passes.

    Each audience's copies are one candidate for the protection (`audit.protect_release`):
    the figures of every table in it, so the cheapest hidden set is chosen for the union
    and the audit sees every table at once; then they are split back into a copy per
    table. The members' candidate holds every table; the public one, when `public`, the
    regional tables (an all-regions summary has no public copy). Six or seven queries,
    whatever the number of tables and returns."""
    regions = sorted({region for table in tables for region in table.regions})
    source_data = release_sources(regions=regions, quarter=quarter)
    earlier, ledger, sources = ledger_publications(trend_quarters(quarter))
    sources.update(source_data.sources)
    table_scopes = [summary_figure_scopes(table) for table in tables]
    wanted = [public] * len(tables) if isinstance(public, bool) else list(public)
    public_tables = {index for index, table in enumerate(tables) if wanted[index] and table.group is not None}
    audiences = [MEMBERS, PUBLIC] if public_tables else [MEMBERS]
    candidates = [
        Candidate(
            audience=str(audience),
            threshold=audience_threshold(audience),
            sources=source_data.blocks,
            scopes=[
                scope
                for index, scopes in enumerate(table_scopes)
                if audience == MEMBERS or index in public_tables
                for scope in scopes
            ],
            quarter=quarter.code,
        )
        for audience in audiences
    ]
    protected = protect_release(ledger=ledger, candidates=candidates, sources=sources, structure=trend_structure())
    prepared = []
    for index, table in enumerate(tables):
        data = source_data.for_table(table)
        mine = [k for k, audience in enumerate(audiences) if audience == MEMBERS or index in public_tables]
        publications, reasons, kept = [], [], []
        for k in mine:
            whole = protected.publications[k]
            figures = {scope: whole.figures[scope] for scope in table_scopes[index]}
            publications.append(Publication(whole.audience, whole.threshold, data.blocks, figures))
            reasons.append({scope: why for scope, why in protected.reasons[k].items() if scope in figures})
            large = [scope for scope in figures if figure_value(scope, data.blocks, sources) >= whole.threshold]
            kept.append(sum(figures[scope] is not None for scope in large) / len(large) if large else 1.0)
        prepared.append(
            PreparedSummary(
                table,
                data,
                Protected(publications, reasons, protected.result, kept, protected.rounds),
                [str(audiences[k]) for k in mine],
                earlier,
                ledger,
            )
        )
    return prepared


@dataclass
class ReleasePages:
    """A quarter's release as pages: the members' area, each live working group with its
    summary page for the quarter (None when there is none yet), and the all-regions page."""

    area: MembersAreaIndexPage | None
    regional: list[tuple[WorkingGroupPage, TrendSummaryPage | None]]
    all_regions: AllRegionsTrendSummaryPage | None


def trend_release_pages(*, quarter: Quarter) -> ReleasePages:
    """The pages of `quarter`'s release, each working group's by its title."""
    area = MembersAreaIndexPage.objects.order_by("path").first()
    if area is None:
        return ReleasePages(None, [], None)
    groups = WorkingGroupPage.objects.live().descendant_of(area).order_by("title", "pk")
    regional = [
        (group, TrendSummaryPage.objects.child_of(group).filter(year=quarter.year, quarter=quarter.number).first())
        for group in groups
    ]
    everywhere = (
        AllRegionsTrendSummaryPage.objects.child_of(area).filter(year=quarter.year, quarter=quarter.number).first()
    )
    return ReleasePages(area, regional, everywhere)


def release_recorded(*, revision: Any) -> bool:
    """Whether `revision`'s figures are already in the ledger: recorded with its release
    (`services.trend_release_publish`), which audited it with the release's other tables."""
    return revision is not None and TrendPublication.objects.filter(revision=revision).exists()


ALL_REGIONS = "All regions"


@dataclass
class WaitingTable:
    """A summary page of a release waiting for a data steward's approval: the revision
    submitted (`draft`, as a page, is what would go live), who submitted it, and its task."""

    name: str  # the working group's title, or "All regions"
    page: SummaryPage
    draft: SummaryPage
    revision: Revision
    submitted_by: User | None
    task_state: TaskState

    @property
    def public(self) -> bool:
        return bool(getattr(self.draft, "publish_publicly", False))


@dataclass
class WaitingRelease:
    """A quarter's summaries waiting for a data steward's approval, each region's (by its
    group's title) then all regions'; and the quarter's other tables, as (title, state):
    "live" (published before, so audited against as published), "draft" or "missing"."""

    quarter: Quarter
    tables: list[WaitingTable]
    others: list[tuple[str, str]] = field(default_factory=list)


def _waiting_tables() -> list[WaitingTable]:
    """Every summary page waiting in the trend summary approval task."""
    states = (
        WorkflowState.objects.filter(
            status=WorkflowState.STATUS_IN_PROGRESS,
            base_content_type=ContentType.objects.get_for_model(Page),
            current_task_state__status=TaskState.STATUS_IN_PROGRESS,
            current_task_state__task__in=TrendSummaryApprovalTask.objects.all(),
        )
        .select_related("requested_by", "current_task_state__revision")
        .order_by("pk")
    )
    by_page = {int(state.object_id): state for state in states}
    pages = Page.objects.filter(pk__in=by_page).specific()
    tables = []
    for page in pages:
        if not isinstance(page, TrendSummaryPage | AllRegionsTrendSummaryPage):
            continue
        state = by_page[page.pk]
        task_state = state.current_task_state
        revision = task_state.revision or page.get_latest_revision()
        group = page.get_working_group() if isinstance(page, TrendSummaryPage) else None
        name = group.title if group is not None else ALL_REGIONS
        tables.append(WaitingTable(name, page, revision.as_object(), revision, state.requested_by, task_state))
    return tables


def _table_order(table: WaitingTable) -> tuple[bool, str, int]:
    return (table.name == ALL_REGIONS and isinstance(table.page, AllRegionsTrendSummaryPage), table.name, table.page.pk)


def trend_releases_waiting() -> list[WaitingRelease]:
    """The quarters with summaries waiting for a data steward's approval, newest first:
    what a steward approves as one release. Reads no figure."""
    quarters: dict[Quarter, list[WaitingTable]] = {}
    for table in _waiting_tables():
        quarters.setdefault(table.page.period, []).append(table)
    return [
        WaitingRelease(quarter, sorted(tables, key=_table_order))
        for quarter, tables in sorted(quarters.items(), key=lambda item: item[0], reverse=True)
    ]


def trend_release_waiting(*, quarter: Quarter) -> WaitingRelease | None:
    """`quarter`'s summaries waiting for a data steward's approval, with the state of the
    quarter's other tables; None when none is waiting."""
    tables = sorted((t for t in _waiting_tables() if t.page.period == quarter), key=_table_order)
    if not tables:
        return None
    waiting = {table.page.pk for table in tables}
    found = trend_release_pages(quarter=quarter)
    others = []
    for title, page in [(group.title, page) for group, page in found.regional] + [(ALL_REGIONS, found.all_regions)]:
        if page is None:
            others.append((title, "missing"))
        elif page.pk not in waiting:
            others.append((title, "live" if page.live else "draft"))
    return WaitingRelease(quarter, tables, others)


def trend_release_waiting_prepare(*, release: WaitingRelease) -> list[PreparedSummary]:
    """Protect and audit the waiting tables of `release` as one, as approving it would
    (each regional table with a public copy where its page chose one), against everything
    already published. Raises AuditRefused."""
    return trend_release_prepare(
        quarter=release.quarter,
        tables=[summary_scope(table.draft) for table in release.tables],
        public=[table.public for table in release.tables],
    )


@dataclass
class ReleaseAuditReport:
    """What the release view says of a waiting release: the joint audit's verdict, and
    per table the share of figures at or above the threshold each copy shows. Never a figure."""

    passed: bool
    explanation: str
    tables: list[tuple[WaitingTable, list[tuple[str, float]]]]


def trend_release_audit_report(*, release: WaitingRelease) -> ReleaseAuditReport:
    """Prepare and audit the waiting tables of `release` together, recording nothing, for
    the data steward to read before approving the release."""
    try:
        prepared = trend_release_waiting_prepare(release=release)
    except AuditRefused as refusal:
        return ReleaseAuditReport(passed=False, explanation=refusal.result.explanation(), tables=[])
    tables = [
        (table, list(zip(copies.audiences, copies.protected.information_kept, strict=True)))
        for table, copies in zip(release.tables, prepared, strict=True)
    ]
    return ReleaseAuditReport(passed=True, explanation=prepared[0].protected.result.explanation(), tables=tables)


def trend_summary_prepare_withheld(*, scope: SummaryScope, public: bool = False) -> PreparedSummary:
    """The copies with every figure hidden: what is recorded when the audit refuses a
    revision that is already going live (hiding everything new narrows nothing)."""
    source_data = summary_sources(scope)
    earlier, ledger, _ = ledger_publications(trend_quarters(scope.quarter))
    audiences = [MEMBERS, PUBLIC] if public else [MEMBERS]
    scopes = summary_figure_scopes(scope)
    publications = [
        Publication(str(audience), audience_threshold(audience), source_data.blocks, dict.fromkeys(scopes))
        for audience in audiences
    ]
    protected = Protected(publications, [{} for _ in audiences], AuditResult(False, 0, []), [0.0] * len(audiences), 0)
    return PreparedSummary(scope, source_data, protected, [str(a) for a in audiences], earlier, ledger)


def prepared_data(prepared: PreparedSummary, audience: str = MEMBERS) -> dict[str, Any]:
    """What a page shows of a prepared copy (the admin's preview), as `published_summary` reads it."""
    index = prepared.audiences.index(audience)
    publication = prepared.protected.publications[index]
    reasons = prepared.protected.reasons[index]
    entries = [
        FigureEntry(
            sorted(s.regions),
            sorted(s.quarters),
            s.category,
            value,
            reasons.get(s, ""),
            no_data=value == 0 and prepared.source_data.has_no_data(s),
        )
        for s, value in publication.figures.items()
    ]
    return summary_data(
        quarter=prepared.scope.quarter,
        quarters=trend_quarters(prepared.scope.quarter),
        regions=prepared.scope.regions,
        organisations=prepared.source_data.organisations,
        threshold=publication.threshold,
        entries=entries,
    )


def trend_summary_compute(*, scope: SummaryScope, audience: str = MEMBERS) -> dict[str, Any]:
    """The protected summary of `scope` for `audience` as a page would show it, computed
    now and recorded nowhere (the admin's preview; the benchmark)."""
    prepared = trend_summary_prepare(scope=scope, public=audience == PUBLIC)
    return prepared_data(prepared, audience)


# Summaries: what is published (from the ledger only)


def publication_data(publication: TrendPublication) -> dict[str, Any]:
    """What a page, chart or CSV shows of a recorded publication: its ledger entries only."""
    quarter = publication.period
    quarters = trend_quarters(quarter)
    regions = [publication.region] if publication.region else sorted(Region.values)
    entries = [
        FigureEntry(
            entry.regions,
            entry.quarters,
            entry.category,
            entry.value,
            entry.reason,
            revised=entry.revised,
            no_data=entry.no_data,
        )
        for entry in publication.entries.all()
    ]
    return summary_data(
        quarter=quarter,
        quarters=quarters,
        regions=regions,
        organisations=publication.organisations,
        threshold=publication.threshold,
        entries=entries,
    )


def live_publication(*, page: Page, audience: str = MEMBERS) -> TrendPublication | None:
    """The publication of `page`'s live revision for `audience`, or None. One query."""
    if not page.live or page.live_revision_id is None:
        return None
    return TrendPublication.objects.filter(
        page_id=page.pk, revision_id=page.live_revision_id, audience=audience
    ).first()


def public_publications() -> QuerySet[TrendPublication]:
    """The public copies on show: live regional summaries whose live revision has a
    public publication, newest quarter first. One query."""
    return (
        TrendPublication.objects.filter(
            audience=PUBLIC,
            page__live=True,
            revision_id=F("page__live_revision_id"),
            page__trendsummarypage__isnull=False,
        )
        .select_related("page")
        .order_by("-year", "-quarter", "region")
    )


def public_publication(*, region: str, quarter: Quarter) -> TrendPublication | None:
    """The public copy of `region`'s summary for `quarter`, or None."""
    return public_publications().filter(region=region, year=quarter.year, quarter=quarter.number).first()


@dataclass(frozen=True)
class LedgerFigure:
    """One figure of the ledger as open data: the release and revision it was published
    in, for whom, and what was shown (never a true value)."""

    release_quarter: str
    revision: int
    audience: str
    threshold: int
    published_at: datetime.datetime
    regions: list[str]
    quarters: list[str]
    category: str
    value: int | None  # None for [c]
    revised: bool
    no_data: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "release_quarter": self.release_quarter,
            "revision": self.revision,
            "audience": self.audience,
            "threshold": self.threshold,
            "published_at": self.published_at.isoformat(timespec="seconds"),
            "scope": {"regions": self.regions, "quarters": self.quarters, "category": self.category},
            "value": SUPPRESSED if self.value is None else self.value,
            "revised": self.revised,
            "no_data": self.no_data,
        }

    def as_csv_row(self) -> list[Any]:
        """The same figure as a row under `LEDGER_CSV_HEADER` (Yes/No for the marks)."""
        return [
            self.release_quarter,
            self.revision,
            self.audience,
            self.threshold,
            self.published_at.isoformat(timespec="seconds"),
            " ".join(self.regions),
            " ".join(self.quarters),
            self.category,
            SUPPRESSED if self.value is None else self.value,
            self.revised,
            self.no_data,
        ]


LEDGER_CSV_HEADER = [
    "Release quarter",
    "Revision",
    "Audience",
    "Threshold",
    "Published at",
    "Regions",
    "Quarters",
    "Category",
    "Value (rounded to the nearest 5; [c] hidden)",
    "Revised",
    "No data",
]


def ledger_figures(*, audiences: list[str]) -> list[LedgerFigure]:
    """Every figure ever published to `audiences`, oldest publication first, read from the
    ledger alone (withdrawn copies included: what was published stays known). Two
    queries, however large the ledger.

    A release is one summary's region (or all regions) and quarter; its revision number
    counts its members' copies, each publication recording the members' copy first, so a
    public copy has the number of the members' copy published with it."""
    publications = TrendPublication.objects.order_by("published_at", "pk").values_list(
        "pk", "audience", "region", "year", "quarter"
    )
    revisions: dict[tuple[str, int, int], int] = {}
    numbers: dict[int, int] = {}
    for pk, audience, region, year, quarter in publications:
        release = (region, year, quarter)
        if audience == MEMBERS or release not in revisions:
            revisions[release] = revisions.get(release, 0) + 1
        numbers[pk] = revisions[release]
    entries = (
        TrendLedgerEntry.objects.filter(publication__audience__in=audiences)
        .select_related("publication")
        .order_by("publication__published_at", "publication__pk", "pk")
    )
    return [
        LedgerFigure(
            release_quarter=entry.publication.period.code,
            revision=numbers[entry.publication_id],
            audience=entry.publication.audience,
            threshold=entry.publication.threshold,
            published_at=entry.publication.published_at,
            regions=entry.regions,
            quarters=entry.quarters,
            category=entry.category,
            value=entry.value,
            revised=entry.revised,
            no_data=entry.no_data,
        )
        for entry in entries
    ]


@dataclass(frozen=True)
class PublicRelease:
    """One quarter's public copies on show: each region's summary with its link."""

    quarter: Quarter
    summaries: list[dict[str, str]]  # {"region": label, "url": the public copy}


def public_releases() -> list[PublicRelease]:
    """The public copies on show, by quarter, newest first (each quarter's regions by
    name). One query."""
    releases: dict[Quarter, list[dict[str, str]]] = {}
    for publication in public_publications():
        releases.setdefault(publication.period, []).append(
            {
                "region": Region(publication.region).label,
                "url": public_summary_url(region=publication.region, quarter=publication.period),
            }
        )
    return [
        PublicRelease(quarter, sorted(summaries, key=lambda summary: summary["region"]))
        for quarter, summaries in releases.items()
    ]


def coming_releases(*, today: datetime.date | None = None) -> list[Quarter]:
    """The quarters whose release is still to come, soonest first: the reporting quarter
    while nothing of it is public and its announced date (`Quarter.release_date`) has not
    passed, and the quarter under way. One query."""
    today = today or timezone.localdate()
    reporting = reporting_quarter(today)
    coming = [reporting, reporting.next()]
    released = public_publications().filter(year=reporting.year, quarter=reporting.number).exists()
    return [q for q in coming if q.release_date >= today and not (q == reporting and released)]


def public_summary_url(*, region: str, quarter: Quarter, csv: bool = False) -> str:
    kwargs = {"region": region, "year": quarter.year, "number": quarter.number}
    return reverse("groups:public_trend_csv" if csv else "groups:public_trend_detail", kwargs=kwargs)


def summary_page_context(*, page: SummaryPage, request: HttpRequest) -> dict[str, Any]:
    """The context of a summary page: the published figures of its live revision for
    members, or, in the admin's preview of a draft, figures computed now (saying so)."""
    preview = getattr(request, "is_preview", False)
    data = None
    refused = ""
    if preview:
        try:
            data = trend_summary_compute(scope=summary_scope(page))
        except AuditRefused as error:
            refused = error.result.explanation()
    else:
        publication = live_publication(page=page)
        data = publication_data(publication) if publication is not None else None
    working_group = page.get_working_group() if isinstance(page, TrendSummaryPage) else None
    public_url = None
    if (
        not preview
        and working_group is not None
        and getattr(page, "publish_publicly", False)
        and live_publication(page=page, audience=PUBLIC)
    ):
        public_url = public_summary_url(region=working_group.region, quarter=page.period)
    return {
        "group": working_group,
        "summary": published_summary(data) if data is not None else None,
        "is_preview": preview,
        "refused": refused,
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


@dataclass
class AuditReport:
    """What the approval screen says about a summary's draft: the audit's verdict and the
    share of figures at or above the threshold each copy shows. Never a figure."""

    passed: bool
    explanation: str
    information_kept: list[tuple[str, float]]


def trend_summary_audit_report(*, page: SummaryPage) -> AuditReport:
    """Prepare and audit `page` (the draft the edit view shows) as publishing it now would,
    recording nothing, for the preparer and the data steward to read before it goes live."""
    public = bool(getattr(page, "publish_publicly", False))
    try:
        prepared = trend_summary_prepare(scope=summary_scope(page), public=public)
    except AuditRefused as refusal:
        return AuditReport(passed=False, explanation=refusal.result.explanation(), information_kept=[])
    kept = list(zip(prepared.audiences, prepared.protected.information_kept, strict=True))
    return AuditReport(passed=True, explanation=prepared.protected.result.explanation(), information_kept=kept)
