"""Wagtail's `page_published` for trend summary pages, handed to the trend summaries service.

Connected in `groups.apps.GroupsConfig.ready`.
"""

from .services import trend_summary_publish


def trend_summary_page_published(sender, instance, revision, **kwargs):
    # The audit refuses before publishing (the admin's before_publish_page hook); here the
    # figures are only recorded, and this never raises (see trend_summary_publish).
    trend_summary_publish(page=instance, revision=revision)
