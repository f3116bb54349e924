"""Trend returns: one organisation's anonymised counts for one region and one quarter.

Storage: a `TrendReturn` row per version holds who, where, when and the total; its
counts are `TrendCount` rows, one per category, with the breakdown and category as
choices taken from `groups.trends.categories`. Long rather than wide, because:

- a summary aggregates any set of returns per category, and counts the organisations
  contributing to each category, in ONE grouped query (`GROUP BY breakdown, category`
  with `SUM(count)` and `COUNT(DISTINCT organisation)`), whatever the number of
  categories, returns, regions or quarters;
- a new category is one line in the declaration; the choices and the check constraint
  below change with it, which is the migration (no new column, no data to move).

Only the latest version of an organisation's return for a quarter is *current*
(`is_current`, unique per organisation, group and quarter), so "the returns to sum" is
a plain indexed filter, never a subquery for the newest version. Earlier versions are
kept, unchanged, as the history.
"""

import operator
from functools import reduce

from django.conf import settings
from django.db import models
from django.db.models import Q

from ..trends.categories import BREAKDOWN_CHOICES, BREAKDOWNS, CATEGORY_CHOICES
from ..trends.quarters import Quarter


def _categories_match_breakdowns():
    """A Q that holds when each count's category belongs to its breakdown."""
    conditions = [Q(breakdown=breakdown.key, category__in=breakdown.keys) for breakdown in BREAKDOWNS]
    return reduce(operator.or_, conditions)


class TrendReturnQuerySet(models.QuerySet):
    def current(self):
        """The latest version of each organisation's return: what summaries count."""
        return self.filter(is_current=True)

    def for_quarter(self, quarter):
        return self.filter(year=quarter.year, quarter=quarter.number)


class TrendReturn(models.Model):
    """One version of an organisation's return for a working group's region and a quarter.

    Written only by `groups.trends.services.trend_return_submit`; never edited afterwards:
    a correction is a new version.
    """

    organisation = models.ForeignKey("groups.Organisation", on_delete=models.PROTECT, related_name="trend_returns")
    working_group = models.ForeignKey("groups.WorkingGroupPage", on_delete=models.PROTECT, related_name="trend_returns")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(choices=[(n, f"Q{n}") for n in range(1, 5)])
    version = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="trend_returns"
    )
    submitted_at = models.DateTimeField()
    total = models.PositiveIntegerField(help_text="Children and young people identified.")
    note = models.TextField(blank=True, max_length=1000, help_text="Emerging tactics, in general terms.")

    objects = TrendReturnQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-quarter", "organisation", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "working_group", "year", "quarter", "version"],
                name="trend_return_one_row_per_version",
            ),
            models.UniqueConstraint(
                fields=["organisation", "working_group", "year", "quarter"],
                condition=Q(is_current=True),
                name="trend_return_one_current_version",
            ),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="trend_return_quarter_1_to_4"),
        ]
        indexes = [
            models.Index(fields=["working_group", "year", "quarter", "is_current"], name="trend_return_group_quarter"),
            models.Index(fields=["year", "quarter", "is_current"], name="trend_return_quarter"),
        ]

    def __str__(self):
        return f"{self.organisation}, {self.period} (version {self.version})"

    @property
    def period(self):
        return Quarter(self.year, self.quarter)

    def counts_by_key(self):
        """{category key: count} (uses prefetched counts when there are any)."""
        return {count.category: count.count for count in self.counts.all()}


class TrendCount(models.Model):
    """How many of a return's children fall in one category (see the module docstring)."""

    trend_return = models.ForeignKey(TrendReturn, on_delete=models.CASCADE, related_name="counts")
    breakdown = models.CharField(max_length=40, choices=BREAKDOWN_CHOICES)
    category = models.CharField(max_length=40, choices=CATEGORY_CHOICES)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["trend_return", "category"], name="trend_count_one_per_category"),
            models.CheckConstraint(condition=_categories_match_breakdowns(), name="trend_count_category_in_breakdown"),
        ]
        indexes = [models.Index(fields=["breakdown", "category"], name="trend_count_category")]

    def __str__(self):
        return f"{self.get_category_display()}: {self.count}"
