"""Wagtail's `page_published` for trend summary pages, handed to the trend summaries service.

Connected in `groups.apps.GroupsConfig.ready`.
"""

from .services import trend_summary_publish


def trend_summary_page_published(sender, instance, revision, **kwargs):
    # The audit refuses before publishing (the admin's before_publish_page hook); here the
    # figures are only recorded, and this never raises (see trend_summary_publish).
    if instance.live_revision_id != revision.pk:
        # Wagtail sends page_published when it schedules a revision too; its figures are
        # recorded when it goes live (publish_scheduled sends it again then).
        return
    trend_summary_publish(page=instance, revision=revision)
