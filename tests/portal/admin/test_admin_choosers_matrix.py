"""Security matrix row C12: the admin's choosers, reports, listings and their JSON, modal
and export variants, for every persona, over an own group's page, another group's draft
and a missing id.

The URLs are generated: every admin route whose parameters are page or document ids
(filled in with each object in turn), plus each listing's search, export and results
variants (searching for words both groups' titles share, so no query echoes a secret).
For every cell: no word unique to a group the persona may not see
appears anywhere in the body, and an object the persona may not see answers exactly as
a missing one does (same status, same redirect), so existence cannot be observed.
"""

import datetime
import re

import pytest

from groups.membership.services import invitation_create
from tests.access import routes
from tests.factories import (
    PDF_CONTENT,
    OrganisationFactory,
    StandardPageFactory,
    make_document,
    make_meeting,
    make_member,
)

pytestmark = pytest.mark.django_db

WORD_A = "quokkabasalt"
WORD_B = "dugongcobalt"
MISSING = 987654
PERSONAS = [
    "anonymous",
    "other_group_member",
    "member",
    "coordinator",
    "other_group_coordinator",
    "editor",
    "administrator",
]
# Who may see each group's words: "member"/"coordinator" are of group A (Cumbria), the
# "other_group" personas of group B (Yorkshire).
SEES = {
    "anonymous": set(),
    "other_group_member": {WORD_B},
    "member": {WORD_A},
    "coordinator": {WORD_A},
    "other_group_coordinator": {WORD_B},
    "editor": set(),
    "administrator": {WORD_A, WORD_B},
}

# Route parameters and the kind of object each one names.
PAGE_PARAMETERS = {"page_id", "parent_page_id", "page_pk"}
DOCUMENT_PARAMETERS = {"document_id", "doc_id"}
# Admin routes with a plain `pk` whose object is a page or a document.
PK_ROUTES = {
    "admin/api/main/^pages/<int:pk>/": "page",
    "admin/api/main/^documents/<int:pk>/": "document",
    "admin/documents/chooser/chosen/<str:pk>/": "document",
}
# Listings, choosers and reports without an id, and their variants.
LISTINGS = [
    "/admin/",
    "/admin/pages/",
    "/admin/pages/search/?q=Meeting",
    "/admin/pages/search/results/?q=Meeting",
    "/admin/choose-page/",
    "/admin/choose-page/?page_type=wagtailcore.page",
    "/admin/choose-page/search/?q=Meeting",
    "/admin/choose-page/search/?q=Meeting&page_type=wagtailcore.page",
    "/admin/choose-page/chosen-multiple/?id={page}",
    "/admin/api/main/pages/?search=Meeting",
    "/admin/api/main/pages/?child_of={group}",
    "/admin/api/main/pages/?descendant_of={group}",
    "/admin/api/main/pages/?fields=title,parent&limit=100",
    "/admin/api/main/pages/find/?html_path=/members/{slug}/",
    "/admin/api/main/documents/?search=Paper",
    "/admin/documents/",
    "/admin/documents/results/?q=Paper",
    "/admin/documents/chooser/",
    "/admin/documents/chooser/?q=Paper",
    "/admin/documents/chooser/results/?q=Paper",
    "/admin/documents/chooser/chosen-multiple/?id={document}",
    "/admin/tag-autocomplete/?term=tag",
    "/admin/tag-autocomplete/wagtaildocs/document/?term=tag",
    "/admin/collections/",
    "/admin/forms/",
    "/admin/reports/locked/",
    "/admin/reports/locked/?export=csv",
    "/admin/reports/workflow/",
    "/admin/reports/workflow/?export=csv",
    "/admin/reports/workflow_tasks/",
    "/admin/reports/workflow_tasks/?export=csv",
    "/admin/reports/site-history/",
    "/admin/reports/site-history/results/",
    "/admin/reports/site-history/?export=csv",
    "/admin/reports/site-history/?export=xlsx",
    "/admin/reports/aging-pages/",
    "/admin/reports/aging-pages/?export=csv",
    "/admin/reports/page-types-usage/",
    "/admin/reports/page-types-usage/results/",
    "/admin/reports/page-types-usage/?export=csv",
    "/admin/workflows/list/",
    "/admin/bulk/wagtailcore/page/delete/?id={page}",
    "/admin/bulk/wagtailcore/page/move/?id={page}",
    "/admin/bulk/wagtailcore/page/publish/?id={page}",
    "/admin/bulk/wagtailcore/page/unpublish/?id={page}",
    "/admin/bulk/wagtaildocs/document/delete/?id={document}",
    "/admin/bulk/wagtaildocs/document/add_tags/?id={document}",
    "/admin/bulk/wagtaildocs/document/add_to_collection/?id={document}",
]


def object_routes():
    """Every admin route naming one page, document or collection, as (format, kind):
    kind is what the route's id names."""
    found = {}
    for route, converters in routes():
        names = set(converters)
        if not route.startswith("admin/") or route.startswith(("admin/login", "admin/logout")):
            continue
        kind = None
        if names and names <= PAGE_PARAMETERS:
            kind = "page"
        elif names and names <= DOCUMENT_PARAMETERS:
            kind = "document"
        elif route in PK_ROUTES:
            kind = PK_ROUTES[route]
        if kind is None:
            continue
        url = "/" + re.sub(r"<(?:\w+:)?\w+>", "{id}", route.replace("^", ""))
        found[url] = kind
    return sorted(found.items())


@pytest.fixture
def world(home_page, cumbria, yorkshire, personas):
    group_a, group_b = cumbria, yorkshire
    # The coordinators' names carry their group's word: a name shown outside its group leaks.
    for persona, word in (("coordinator", WORD_A), ("other_group_coordinator", WORD_B)):
        personas[persona].first_name = f"Ann{word}"
        personas[persona].save(update_fields=["first_name"])
    personas = {persona: personas[persona] for persona in PERSONAS}
    when = datetime.datetime(2026, 5, 1, 10, tzinfo=datetime.UTC)
    page_a = make_meeting(group_a, title=f"Meeting {WORD_A}", start=when, agenda=[("Notes", f"<p>{WORD_A}</p>")])
    # Group B's draft: never published, edited, locked and in a workflow by its coordinator.
    draft_b = make_meeting(
        group_b, title=f"Meeting {WORD_B}", start=when, publish=False, agenda=[("Notes", f"<p>{WORD_B}</p>")]
    )
    coordinator_b = personas["other_group_coordinator"]
    draft_b.save_revision(user=coordinator_b, log_action=True)
    draft_b.locked, draft_b.locked_by, draft_b.locked_at = True, coordinator_b, when
    draft_b.save()
    # And a published page of group B, last edited most recently of its type.
    live_b = make_meeting(group_b, title=f"Minutes {WORD_B}", start=when)
    live_b.save_revision(user=coordinator_b, log_action=True).publish(user=coordinator_b)
    page_a.save_revision(user=personas["coordinator"], log_action=True)
    document_a = make_document(collection=group_a.collection, title=f"Paper {WORD_A}", filename=f"{WORD_A}.pdf")
    document_b = make_document(
        collection=group_b.collection, title=f"Paper {WORD_B}", filename=f"{WORD_B}.pdf", content=PDF_CONTENT
    )
    document_b.tags.add(f"tag{WORD_B}")
    StandardPageFactory(parent=home_page, title="About the portal")
    # For the dashboard's panels: in each group, a pending invitation named with the
    # group's word. (Organisations are shared by every group, so their names are no
    # group's secret: the returns panel's are checked in test_admin_dashboard.)
    for group, word in ((group_a, WORD_A), (group_b, WORD_B)):
        agency = OrganisationFactory()
        make_member(group, organisation=agency)
        invitation_create(
            working_group=group,
            email=f"invitee.{word}@example.org",
            organisation=agency,
            role="member",
            invited_by=personas["administrator"],
        )
    return {
        "personas": personas,
        "groups": {"A": group_a, "B": group_b},
        "objects": {
            "page": {"own": page_a.pk, "other": draft_b.pk, "missing": MISSING},
            "document": {"own": document_a.pk, "other": document_b.pk, "missing": MISSING},
        },
    }


def get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def signed_in_as(client, user):
    """`get(url)` as `user` (None: nobody), each request from a session as signing in left
    it, as `get` gives, without signing in again for each of the matrix's requests (a
    sign-in writes a session, a user session and the account's last sign-in)."""
    client.logout()
    if user is None:
        return lambda url: get(client, None, url)
    client.force_login(user)
    signed_in = dict(client.session.items())

    def get_signed_in(url):
        session = client.session
        session.clear()
        session.update(signed_in)
        session.save()
        return client.get(url)

    return get_signed_in


def body_of(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def shape(response, pk):
    """What an outsider can observe of a response, besides its body's words (the id asked
    for, echoed in a sign-in redirect's `next`, is the asker's own)."""
    return response.status_code, response.get("Location", "").replace(f"/{pk}/", "/{id}/")


def cells(world):
    """(url, object label, kind, route pattern, id) for every URL of the matrix (label,
    kind and id are None for listings)."""
    objects = world["objects"]
    out = []
    for pattern, kind in object_routes():
        for label, pk in objects[kind].items():
            out.append((pattern.format(id=pk), label, kind, pattern, pk))
    for pattern in LISTINGS:
        for group in ("A", "B"):
            label = "own" if group == "A" else "other"
            url = pattern.format(
                page=objects["page"][label],
                document=objects["document"][label],
                group=world["groups"][group].pk,
                slug=world["groups"][group].slug,
            )
            out.append((url, None, None, pattern, None))
    return sorted(set(out))


def test_admin_choosers_reports_and_listings_for_every_persona(client, world):
    personas = world["personas"]
    urls = cells(world)
    assert len(urls) >= 150, len(urls)  # the generator found the admin's routes
    leaks, observable = [], []
    denied = total = hidden_cells = 0
    denied_by_persona = {}
    for persona in PERSONAS:
        user = personas[persona]
        hidden_words = {WORD_A, WORD_B} - SEES[persona]
        missing_shapes = {}
        responses = {}
        get_as_persona = signed_in_as(client, user)
        for url, label, _kind, pattern, pk in urls:
            response = get_as_persona(url)
            total += 1
            body = body_of(response)
            assert response.status_code != 500, (persona, url)
            for word in hidden_words:
                if word in body or word in response.get("Location", ""):
                    leaks.append((persona, url, response.status_code))
            if response.status_code not in (200, 204) or not body.strip():
                denied += 1
                denied_by_persona[persona] = denied_by_persona.get(persona, 0) + 1
            responses[(pattern, label)] = (response, pk)
            if label == "missing":
                missing_shapes[pattern] = shape(response, pk)
        for (pattern, label), (response, pk) in responses.items():
            # A group's page or document, for anyone not in it, must look like a missing id.
            hidden = (label == "other" and WORD_B in hidden_words) or (label == "own" and WORD_A in hidden_words)
            hidden_cells += hidden
            if hidden and shape(response, pk) != missing_shapes[pattern]:
                observable.append((persona, pattern, shape(response, pk), missing_shapes[pattern]))
    print(f"admin choosers, reports and listings: {len(urls)} URLs x {len(PERSONAS)} personas = {total} cells")
    print(f"{denied} of {total} cells deny (no content): {denied_by_persona}")
    print(f"{hidden_cells} cells ask for a page or document the persona may not see; each answers as a missing id")
    assert not leaks, "\n".join(map(str, leaks))
    assert not observable, "\n".join(map(str, observable))


def test_the_dashboard_panels_name_what_the_persona_runs(client, world):
    """The matrix above checks the dashboard ("/admin/") names nothing of another group;
    here, that its panels do name the persona's own group, so that check means something."""
    personas = world["personas"]
    for persona, words in [
        ("coordinator", [WORD_A]),
        ("other_group_coordinator", [WORD_B]),
        ("administrator", [WORD_A, WORD_B]),
    ]:
        body = body_of(get(client, personas[persona], "/admin/"))
        for word in words:
            assert f"invitee.{word}@example.org" in body, persona
