"""Wagtail's page events turned into the members' area's own (see groups.signals)."""

from django.dispatch import receiver

from wagtail.signals import page_published

from .models import MeetingPage


@receiver(page_published, sender=MeetingPage)
def _meeting_published(sender, instance, revision, **kwargs):
    # Wagtail does not say who published; the revision's author is who saved what went
    # live (for scheduled publishing, who scheduled it).
    from .meetings import meeting_published

    meeting_published(meeting=instance, actor=getattr(revision, "user", None))
