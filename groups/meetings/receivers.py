"""Wagtail's `page_published` for meetings, handed to the meetings service.

Connected in `groups.apps.GroupsConfig.ready`.
"""

from .services import meeting_published


def meeting_page_published(sender, instance, revision, **kwargs):
    # Wagtail does not say who published; the revision's author is who saved what went
    # live (for scheduled publishing, who scheduled it).
    meeting_published(meeting=instance, actor=getattr(revision, "user", None))
