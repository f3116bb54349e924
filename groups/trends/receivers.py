"""Wagtail's `page_published` for trend summary pages, handed to the trend summaries service.

Connected in `groups.apps.GroupsConfig.ready`.
"""

from .services import trend_summary_snapshot_publish


def trend_summary_page_published(sender, instance, revision, **kwargs):
    # Inside the publication's transaction: if the figures cannot be fixed, nothing is published.
    trend_summary_snapshot_publish(page=instance, revision=revision)
