"""Events in a working group's area that its members may be told about.

The services that cause them send these (inside their transaction); the notifications
module listens and queues emails or digest entries, so the code that posts an update or
publishes a meeting knows nothing about who wants to hear of it.
"""

from django.dispatch import Signal

# meeting: the MeetingPage whose notes were published; actor: who published them.
meeting_notes_published = Signal()
# update: the new Update; actor: its author.
update_posted = Signal()
# action: the ActionItem given an owner (new, or a new owner); actor: who assigned it.
action_assigned = Signal()
# document: the new Wagtail Document; group: its WorkingGroupPage; actor: who added it.
document_added = Signal()
