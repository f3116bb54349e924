"""The publication ledger: every trend figure ever shown to anyone, recorded once.

A `TrendPublication` is one copy of a summary as it went live (one revision of a page, for
members or for the public) with its threshold, the time it was published, the result of the
disclosure audit that let it through and the share of figures it kept. Its
`TrendLedgerEntry` rows are its figures: the regions, quarters and category (or "total")
each covers and the value shown, or null for `[c]`, marked revised where the returns
behind it changed since that figure was last published, and marked no data where no
organisation made a return for any quarter it covers. Pages, charts and CSV downloads
read only these rows; the audit of every later release reads all of them.

`TrendSourceVersion` keeps the true counts of one region's quarter as they stood when a
publication used them, so the audit can tell which figures were small and by how much a
revision changed them. It is never shown: it is as private as the returns it adds up.

All three are append-only: saving an existing row, `update()` and `delete()` raise
`AppendOnlyError`. (A deleted page only loses its link: the publication stays, because what
was published stays known.)
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from ..trends.quarters import Quarter
from .working_groups import Region


class AppendOnlyError(Exception):
    """Something tried to change or remove a row of the ledger."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The trend ledger is append-only: published figures are never edited.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("The trend ledger is append-only: published figures are never edited.")

    def delete(self):
        raise AppendOnlyError("The trend ledger is append-only: published figures are never removed.")

    delete.queryset_only = True  # type: ignore[attr-defined]


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The trend ledger is append-only: published figures are never edited.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The trend ledger is append-only: published figures are never removed.")


class TrendSourceVersion(AppendOnlyModel):
    """The true counts of one region's quarter behind one or more publications (private)."""

    key = models.CharField(max_length=64, unique=True)  # a digest of everything below
    region = models.CharField(max_length=40, choices=Region.choices)
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    counts = models.JSONField()  # category key or "total" -> children
    organisations = models.JSONField()  # category key or "total" -> organisations contributing
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["region", "year", "quarter"], name="trend_source_block")]

    def __str__(self):
        return f"Returns for {self.region}, {Quarter(self.year, self.quarter).code} ({self.key[:8]})"


class TrendPublication(AppendOnlyModel):
    """One copy of a summary as published: a page revision for one audience."""

    class Audience(models.TextChoices):
        MEMBERS = "members", "Members"
        PUBLIC = "public", "Public"

    # Kept when the page is deleted: what was published stays in the audit.
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="trend_publications"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="trend_publications"
    )
    audience = models.CharField(max_length=10, choices=Audience.choices)
    # Blank for the all-regions summary.
    region = models.CharField(max_length=40, choices=Region.choices, blank=True)
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    # The quarters the figures cover (the trend starts earlier than the summary's quarter),
    # so the publications a new one may be combined with are found with one indexed filter.
    period_start = models.DateField()
    period_end = models.DateField()
    threshold = models.PositiveSmallIntegerField()
    organisations = models.PositiveIntegerField(default=0)
    # "<region> <quarter code>" -> TrendSourceVersion.key: the returns behind every figure.
    sources = models.JSONField(default=dict)
    # The audit that let it through (AuditResult.to_dict()), never a true value.
    audit = models.JSONField(default=dict)
    information_kept = models.FloatField(null=True)
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["revision", "audience"], name="trend_publication_one_per_revision")
        ]
        indexes = [
            models.Index(fields=["page", "audience"], name="trend_publication_page"),
            models.Index(fields=["audience", "region", "year", "quarter"], name="trend_publication_public"),
            models.Index(fields=["period_end", "period_start"], name="trend_publication_period"),
        ]
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return f"{self.get_audience_display()} figures for {self.period.label} ({self.region or 'all regions'})"

    @property
    def period(self):
        return Quarter(self.year, self.quarter)


class TrendLedgerEntry(AppendOnlyModel):
    """One figure of one publication: its scope and the value shown (null for `[c]`)."""

    TOTAL = "total"

    publication = models.ForeignKey(TrendPublication, on_delete=models.PROTECT, related_name="entries")
    regions = models.JSONField()  # region slugs, sorted
    quarters = models.JSONField()  # quarter codes, sorted, e.g. ["2026-Q2"]
    category = models.CharField(max_length=40)  # a category key, or "total"
    value = models.PositiveIntegerField(null=True)  # rounded to 5; null for [c]
    revised = models.BooleanField(default=False)
    # Every quarter the figure covers had no returns at all: shown as "no data", never as 0.
    no_data = models.BooleanField(default=False)
    # Why a figure is hidden (primary, dominance, secondary): for the disclosure report only.
    reason = models.CharField(max_length=20, blank=True)

    class Meta:
        indexes = [models.Index(fields=["publication", "category"], name="trend_entry_publication")]
        ordering = ["publication", "pk"]
        verbose_name_plural = "trend ledger entries"

    def __str__(self):
        shown = "[c]" if self.value is None else self.value
        return f"{','.join(self.regions)} {','.join(self.quarters)} {self.category}: {shown}"
