"""A document's saves, handed to the documents service.

Wagtail's document views (single, multiple and chooser uploads, edits, bulk moves) have
no hooks of their own, so a document's saves are the one place that sees every way a
document can arrive in a working group's collection. Connected in
`groups.apps.GroupsConfig.ready` for Wagtail's document model.
"""

from .services import document_placed


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
