"""Wagtail's page events for trend summary pages. Importing this module connects them
(`groups.apps.GroupsConfig.ready` imports it)."""

from django.dispatch import receiver

from wagtail.signals import page_published

from groups.models import AllRegionsTrendSummaryPage, TrendSummaryPage

from .services import trend_summary_snapshot_publish


@receiver(page_published, sender=TrendSummaryPage)
@receiver(page_published, sender=AllRegionsTrendSummaryPage)
def _trend_summary_published(sender, instance, revision, **kwargs):
    # Inside the publication's transaction: if the figures cannot be fixed, nothing is published.
    trend_summary_snapshot_publish(page=instance, revision=revision)
