"""Stand-ins for the objects the group events carry (updates, meetings, actions and
documents), with only the attributes the notifications code reads from them.

Each holds member-written text marked SENSITIVE, so tests can assert it never reaches
an email.
"""

import datetime
import itertools
from types import SimpleNamespace

from django.utils import timezone

SENSITIVE = "SENSITIVE-Kyle-at-Ashfield-School"
_ids = itertools.count(1000)


def update_for(group, author):
    pk = next(_ids)
    return SimpleNamespace(
        pk=pk,
        working_group=group,
        author=author,
        title=f"Update title {SENSITIVE}",
        body=f"Update body {SENSITIVE}",
        get_absolute_url=lambda: f"/members/{group.slug}/updates/{pk}/",
    )


def meeting_for(group, *, start=None):
    pk = next(_ids)
    return SimpleNamespace(
        pk=pk,
        title=f"Meeting {SENSITIVE}",
        notes=f"Notes {SENSITIVE}",
        start=start or timezone.make_aware(datetime.datetime(2026, 3, 12, 10, 0)),
        path=f"{group.path}{pk:04d}",
        get_url=lambda: f"/members/{group.slug}/meeting-{pk}/",
        get_working_group=lambda: group,
    )


def action_for(meeting, *, owner_user=None, owner_organisation=None, due_date=None, status="open"):
    return SimpleNamespace(
        pk=next(_ids),
        status=status,
        meeting=meeting,
        description=f"Action {SENSITIVE}",
        owner_user=owner_user,
        owner_user_id=getattr(owner_user, "pk", None),
        owner_organisation=owner_organisation,
        owner_organisation_id=getattr(owner_organisation, "pk", None),
        due_date=due_date or datetime.date(2026, 3, 30),
    )


def document_for():
    return SimpleNamespace(pk=next(_ids), title=f"Document {SENSITIVE}")
