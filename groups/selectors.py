"""Reads for the trend summaries that other features show (the dashboard); every other
feature's reads are in its own package's `selectors`."""

from .models import AllRegionsTrendSummaryPage, TrendSummaryPage

# Trend summaries


def latest_trend_summary(*, group):
    """The live trend summary of `group` for the latest quarter, or None (for the dashboard)."""
    return TrendSummaryPage.objects.live().child_of(group).order_by("-year", "-quarter", "-pk").first()


def group_trend_summaries(*, group):
    """`group`'s live trend summaries, newest quarter first."""
    return TrendSummaryPage.objects.live().child_of(group).order_by("-year", "-quarter", "-pk")


def all_regions_trend_summaries():
    """The live all-regions trend summaries, newest quarter first."""
    return AllRegionsTrendSummaryPage.objects.live().order_by("-year", "-quarter", "-pk")
