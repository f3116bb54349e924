"""Trend summaries outside the page tree: the members' CSV download and the public copies.

Every figure comes from a snapshot (`groups.trend_summaries`), never from the returns.
The members' CSV answers 404 to anyone who may not read the summary page itself; the
public views show only public snapshots of live regional summaries, and are cached for
anonymous visitors like any public page (the cache is cleared whenever content is
published).
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from portal.exports import csv_response

from ..models import AllRegionsTrendSummaryPage, Region, TrendSummaryPage
from ..permissions import can_view_all_regions, can_view_group, is_coordinator
from ..quarters import Quarter
from ..selectors import all_regions_trend_summaries, group_trend_summaries
from ..trend_summaries import (
    CSV_HEADER,
    live_snapshot,
    public_snapshot,
    public_snapshots,
    public_summary_url,
    published_summary,
    summary_csv_rows,
)
from .common import group_for_member


@login_required
@require_safe
def trend_summary_list(request, group_slug):
    """A group's published trend summaries, and those across all regions."""
    group = group_for_member(request, group_slug=group_slug)
    return render(
        request,
        "groups/summaries/list.html",
        {
            "group": group,
            "summaries": group_trend_summaries(group=group),
            "all_regions": all_regions_trend_summaries(),
            "can_add": is_coordinator(request.user, group),
        },
    )


def _summary_page_for(request, page_pk):
    """The live summary page `page_pk` if the signed-in person may read it; else 404."""
    page = TrendSummaryPage.objects.live().filter(pk=page_pk).first()
    if page is not None:
        group = page.get_working_group()
        if group is not None and group.live and can_view_group(request.user, group):
            return page
        raise Http404
    page = AllRegionsTrendSummaryPage.objects.live().filter(pk=page_pk).first()
    if page is not None and can_view_all_regions(request.user):
        return page
    raise Http404


@login_required
@require_safe
def trend_summary_csv(request, page_pk):
    """The members' figures of a published summary, exactly as the page shows them."""
    page = _summary_page_for(request, page_pk)
    snapshot = live_snapshot(page=page)
    if snapshot is None:
        raise Http404
    return csv_response(
        filename=f"trend-summary-{snapshot.region or 'all-regions'}-{snapshot.period.code.lower()}.csv",
        header=CSV_HEADER,
        rows=summary_csv_rows(title=page.title, data=snapshot.data),
    )


def _public_snapshot_or_404(region, year, number):
    if region not in Region.values or not 1 <= number <= 4:
        raise Http404
    snapshot = public_snapshot(region=region, quarter=Quarter(year, number))
    if snapshot is None:
        raise Http404
    return snapshot


@require_safe
def public_trend_list(request):
    """Every regional summary published to the public site, newest quarter first."""
    summaries = [
        {
            "title": snapshot.page.title,
            "region": Region(snapshot.region).label,
            "quarter": snapshot.period,
            "url": public_summary_url(region=snapshot.region, quarter=snapshot.period),
        }
        for snapshot in public_snapshots()
    ]
    return render(request, "groups/summaries/public_list.html", {"summaries": summaries})


@require_safe
def public_trend_detail(request, region, year, number):
    """The public copy of a regional summary: its narrative and the public figures."""
    snapshot = _public_snapshot_or_404(region, year, number)
    page = TrendSummaryPage.objects.get(pk=snapshot.page_id)  # its row holds the live revision's content
    return render(
        request,
        "groups/summaries/public_detail.html",
        {
            "title": page.title,
            "narrative": page.narrative,
            "region": Region(region).label,
            "summary": published_summary(snapshot.data),
            "csv_url": public_summary_url(region=region, quarter=snapshot.period, csv=True),
            "show_report": False,
        },
    )


@require_safe
def public_trend_csv(request, region, year, number):
    """The public copy's figures as CSV, exactly as its page shows them."""
    snapshot = _public_snapshot_or_404(region, year, number)
    return csv_response(
        filename=f"trend-summary-{region}-{snapshot.period.code.lower()}.csv",
        header=CSV_HEADER,
        rows=summary_csv_rows(title=snapshot.page.title, data=snapshot.data),
    )
