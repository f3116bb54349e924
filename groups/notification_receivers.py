"""Listen to the group events (groups.signals) and hand them to the notifications service.

Thin by design: the senders call these inside their own transaction, so the notification
rows and any immediate email are stored, or rolled back, with the change itself.
"""

from django.dispatch import receiver

from . import notifications
from .signals import action_assigned, document_added, meeting_notes_published, update_posted


@receiver(update_posted, dispatch_uid="notify_update_posted")
def _update_posted(sender, update, actor=None, **kwargs):
    notifications.notify_update_posted(update=update, actor=actor)


@receiver(meeting_notes_published, dispatch_uid="notify_meeting_notes_published")
def _meeting_notes_published(sender, meeting, actor=None, **kwargs):
    notifications.notify_meeting_notes_published(meeting=meeting, actor=actor)


@receiver(action_assigned, dispatch_uid="notify_action_assigned")
def _action_assigned(sender, action, actor=None, **kwargs):
    notifications.notify_action_assigned(action=action, actor=actor)


@receiver(document_added, dispatch_uid="notify_document_added")
def _document_added(sender, document, group, actor=None, **kwargs):
    notifications.notify_document_added(document=document, group=group, actor=actor)
