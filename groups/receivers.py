"""Wagtail's page and document events turned into the members' area's own (see
groups.signals): these receivers only pass the event on to a service.

Wagtail's document views (single, multiple and chooser uploads, edits, bulk moves) have
no hooks of their own, so a document's saves are the one place that sees every way a
document can arrive in a working group's collection.
"""

from django.dispatch import receiver

from wagtail.signals import page_published

from .models import MeetingPage
from .services import document_placed


@receiver(page_published, sender=MeetingPage)
def _meeting_published(sender, instance, revision, **kwargs):
    # Wagtail does not say who published; the revision's author is who saved what went
    # live (for scheduled publishing, who scheduled it).
    from .meetings import meeting_published

    meeting_published(meeting=instance, actor=getattr(revision, "user", None))


def document_remember_collection(sender, instance, raw=False, **kwargs):
    """Before a save, note where the document was (None for a new one)."""
    if raw or instance._state.adding:
        instance._portal_previous_collection_id = None
    else:
        previous = sender.objects.filter(pk=instance.pk).values_list("collection_id", flat=True).first()
        instance._portal_previous_collection_id = previous


def document_saved(sender, instance, created, raw=False, **kwargs):
    if raw:  # loading fixtures
        return
    document_placed(document=instance, previous_collection_id=getattr(instance, "_portal_previous_collection_id", None))
