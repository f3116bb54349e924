"""Members' search: the meetings, updates and documents of the signed-in person's own groups.

The members' area is kept out of the search index on purpose (see
`MembersAreaPageMixin.get_indexed_objects`), so nothing private can ever reach the
public search through it. This module never touches the index: it queries the members'
own tables directly, always filtered first to the groups the person is an active member
of (not every group an administrator could open: "your working groups" means yours),
with case-insensitive substring matches over a few fields, every word required, and a
bounded number of words and results.

Searched: meetings (live; title, agenda item titles and notes), updates (title and body;
never hidden ones, for anyone) and documents (title).
"""

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils.text import Truncator

from wagtail.documents import get_document_model
from wagtail.models import Collection

from portal.text import plain_text

from .models import MeetingAgendaItem, MeetingPage, Membership, Update, WorkingGroupPage
from .permissions import is_signed_in

MAX_TERMS = 6
RESULTS_PER_KIND = 10
EXCERPT_CHARS = 200


@dataclass(frozen=True)
class MemberSearchResult:
    title: str
    url: str
    kind: str  # shown as a label: "Meeting", "Update" or "Document"
    group: str
    when: datetime.datetime  # the meeting's start; when an update was posted or a document added
    summary: str


@dataclass
class MemberSearchResults:
    """Up to RESULTS_PER_KIND matches of each kind (newest first), and how many there are."""

    results: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    per_kind: int = RESULTS_PER_KIND

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def limited(self):
        """Whether some matches are not shown (a kind has more than RESULTS_PER_KIND)."""
        return any(count > RESULTS_PER_KIND for count in self.counts.values())


def member_groups(*, user):
    """The live groups `user` is an active member of, by title; none for anyone else."""
    if not is_signed_in(user):
        return WorkingGroupPage.objects.none()
    return (
        WorkingGroupPage.objects.live()
        .filter(memberships__user=user, memberships__status=Membership.Status.ACTIVE)
        .select_related("collection")
        .order_by("title")
    )


def _every_term(terms, condition):
    """A Q requiring each term to match `condition(term)`."""
    query = Q()
    for term in terms:
        query &= condition(term)
    return query


def _any_prefix(groups, field_name, path):
    """A Q matching rows whose `field_name` lies under any of the groups' tree `path`s."""
    query = Q(pk__in=[])
    for working_group in groups:
        prefix = path(working_group)
        if prefix:
            query |= Q(**{f"{field_name}__startswith": prefix})
    return query


def _excerpt(text, terms):
    """Some plain text around the first term found in `text` (its start if none is)."""
    text = plain_text(text)
    found = [m.start() for term in terms if (m := re.search(re.escape(term), text, re.IGNORECASE))]
    start = max(0, min(found) - EXCERPT_CHARS // 3) if found else 0
    if start:
        start = text.find(" ", start) + 1 or start
    excerpt = Truncator(text[start:]).chars(EXCERPT_CHARS)
    return f"…{excerpt}" if start else excerpt


def _group_of(groups, path):
    return next((working_group for working_group in groups if path.startswith(working_group.path)), None)


def _meetings(groups, terms):
    def condition(term):
        in_agenda = MeetingAgendaItem.objects.filter(meeting=OuterRef("pk")).filter(
            Q(title__icontains=term) | Q(notes__icontains=term)
        )
        return Q(title__icontains=term) | Q(Exists(in_agenda))

    return (
        MeetingPage.objects.live()
        .filter(_any_prefix(groups, "path", lambda working_group: working_group.path))
        .filter(_every_term(terms, condition))
        .order_by("-start", "-pk")
    )


def _meeting_results(meetings, groups, terms, request):
    items = {}
    for item in MeetingAgendaItem.objects.filter(meeting__in=[m.pk for m in meetings]).order_by("sort_order"):
        items.setdefault(item.meeting_id, []).append(item)
    results = []
    for meeting in meetings:
        summary = ""
        for item in items.get(meeting.pk, []):
            text = f"{item.title}: {plain_text(item.notes)}"
            if any(term.lower() in text.lower() for term in terms):
                summary = _excerpt(text, terms)
                break
        working_group = _group_of(groups, meeting.path)
        results.append(
            MemberSearchResult(
                title=meeting.title,
                url=meeting.get_url(request),
                kind="Meeting",
                group=working_group.title if working_group else "",
                when=meeting.start,
                summary=summary,
            )
        )
    return results


def _updates(groups, terms):
    return (
        Update.objects.visible()
        .filter(working_group__in=groups)
        .filter(_every_term(terms, lambda term: Q(title__icontains=term) | Q(body__icontains=term)))
        .select_related("working_group", "author", "organisation")
        .order_by("-created_at", "-pk")
    )


def _update_results(updates, terms):
    return [
        MemberSearchResult(
            title=update.title,
            url=update.get_absolute_url(),
            kind="Update",
            group=update.working_group.title,
            when=update.created_at,
            summary=f"{update.organisation.name}: {_excerpt(update.body, terms)}",
        )
        for update in updates
    ]


def _documents(groups, terms):
    collections = Collection.objects.filter(
        _any_prefix(
            groups, "path", lambda working_group: working_group.collection.path if working_group.collection_id else None
        )
    )
    return (
        get_document_model()
        .objects.filter(collection__in=collections)
        .filter(_every_term(terms, lambda term: Q(title__icontains=term)))
        .select_related("collection")
        .order_by("-created_at", "-pk")
    )


def _document_results(documents, groups):
    by_collection_path = {
        working_group.collection.path: working_group for working_group in groups if working_group.collection_id
    }
    results = []
    for document in documents:
        working_group = next(
            (
                working_group
                for path, working_group in by_collection_path.items()
                if document.collection.path.startswith(path)
            ),
            None,
        )
        results.append(
            MemberSearchResult(
                title=document.title,
                url=document.url,
                kind="Document",
                group=working_group.title if working_group else "",
                when=document.created_at,
                summary=f"{document.file_extension.upper()} file",
            )
        )
    return results


def working_group_search(*, user, terms, request=None):
    """Search the meetings, updates and documents of `user`'s own groups for every one of
    `terms` (words). None for anyone who is not an active member of a group."""
    groups = list(member_groups(user=user))
    if not groups:
        return None
    terms = [term for term in terms if term][:MAX_TERMS]
    found = MemberSearchResults()
    if not terms:
        return found
    meetings, updates, documents = _meetings(groups, terms), _updates(groups, terms), _documents(groups, terms)
    found.counts = {"Meeting": meetings.count(), "Update": updates.count(), "Document": documents.count()}
    found.results = [
        *(
            _meeting_results(list(meetings[:RESULTS_PER_KIND]), groups, terms, request)
            if found.counts["Meeting"]
            else []
        ),
        *(_update_results(updates[:RESULTS_PER_KIND], terms) if found.counts["Update"] else []),
        *(_document_results(documents[:RESULTS_PER_KIND], groups) if found.counts["Document"] else []),
    ]
    return found
