"""Members' rich text (meeting notes, trend-summary narratives) may link to public pages
and documents and to the group's own, never to another group's: refused on save with a
clear error, and never rendered should one be stored anyway (groups.links)."""

import pytest

from django.core.exceptions import ValidationError
from django.template import Context, Template

from wagtail.test.utils.form_data import nested_form_data, rich_text

from groups.links import links_outside, without_links_outside
from groups.models import MeetingAgendaItem, TrendSummaryPage
from groups.trends.quarters import reporting_quarter
from portal.roles import PUBLIC_DOCUMENTS_COLLECTION, top_collection
from tests.factories import StandardPageFactory, make_document, make_meeting, make_trend_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def targets(home_page, cumbria, yorkshire, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://portal.example.org"
    return {
        "public page": StandardPageFactory(parent=home_page, slug="about", title="About"),
        "own meeting": make_meeting(cumbria, title="Cumbria January"),
        "their meeting": make_meeting(yorkshire, title="Wombat review"),
        "public document": make_document(collection=top_collection(PUBLIC_DOCUMENTS_COLLECTION), title="Leaflet"),
        "own document": make_document(collection=cumbria.collection, title="Our minutes"),
        "their document": make_document(collection=yorkshire.collection, title="Wombat minutes"),
    }


def link(targets, name):
    target = targets[name]
    linktype = "document" if "document" in name else "page"
    return f'<a linktype="{linktype}" id="{target.pk}">{name}</a>'


ALLOWED = ["public page", "own meeting", "public document", "own document"]
REFUSED = ["their meeting", "their document"]


@pytest.mark.parametrize("name", ALLOWED + REFUSED)
def test_links_by_id(targets, cumbria, name):
    html = f"<p>See {link(targets, name)}.</p>"
    assert links_outside(html, working_group=cumbria) == ([name] if name in REFUSED else [])
    # With no group (the all-regions summary, a public copy), only public targets.
    assert links_outside(html, working_group=None) == ([] if name.startswith("public") else [name])


@pytest.mark.parametrize(
    ("href", "refused"),
    [
        ("/members/yorkshire/", True),
        ("https://portal.example.org/members/yorkshire/meetings/", True),
        ("/members/cumbria/meetings/", False),
        ("/members/", False),
        ("https://elsewhere.example.com/members/yorkshire/", False),
        ("mailto:help@example.org", False),
        ("/guidance/", False),
    ],
)
def test_links_by_address(targets, cumbria, href, refused):
    html = f'<p><a href="{href}">there</a></p>'
    assert links_outside(html, working_group=cumbria) == (["there"] if refused else [])


def test_document_addresses_are_judged_like_documents(targets, cumbria):
    theirs, own = targets["their document"], targets["own document"]
    assert links_outside(f'<a href="/documents/{theirs.pk}/x.pdf">x</a>', working_group=cumbria) == ["x"]
    assert links_outside(f'<a href="/documents/{own.pk}/x.pdf">x</a>', working_group=cumbria) == []


def test_the_words_of_a_link_outside_are_kept(targets, cumbria):
    html = f"<p>See {link(targets, 'their meeting')} and {link(targets, 'own meeting')}.</p>"
    assert without_links_outside(html, working_group=cumbria) == (
        f"<p>See their meeting and {link(targets, 'own meeting')}.</p>"
    )


# Saving


def post_summary(client, parent, narrative):
    quarter = reporting_quarter()
    data = {"title": "", "slug": "", "year": quarter.year, "quarter": quarter.number, "narrative": rich_text(narrative)}
    return client.post(
        f"/admin/pages/add/groups/trendsummarypage/{parent.pk}/", nested_form_data(data | {"action-publish": "1"})
    )


def test_a_narrative_linking_to_another_groups_page_is_refused(client, personas, targets, cumbria):
    client.force_login(personas.coordinator)
    response = post_summary(client, cumbria, f"<p>Compare {link(targets, 'their meeting')}.</p>")
    assert response.status_code == 200
    assert "this group&#x27;s own pages and documents only" in response.content.decode()
    assert not TrendSummaryPage.objects.exists()
    response = post_summary(client, cumbria, f"<p>See {link(targets, 'own meeting')}.</p>")
    assert response.status_code == 302
    assert TrendSummaryPage.objects.count() == 1


def test_notes_linking_to_another_groups_document_are_refused(targets, cumbria):
    # make_meeting goes through the meetings service, as the portal's own forms do. (The
    # notes' editor has no document links, so a document is linked by its address.)
    theirs = targets["their document"]
    with pytest.raises(ValidationError, match="own pages and documents only"):
        make_meeting(cumbria, agenda=[("Links", f'<p><a href="{theirs.url}">minutes</a></p>')])


# Showing


def test_a_stored_link_outside_is_not_shown_to_members(client, personas, targets, cumbria):
    their = targets["their meeting"]
    summary = make_trend_summary(cumbria, narrative=f"<p>Compare {link(targets, 'their meeting')} today.</p>")
    meeting = targets["own meeting"]
    meeting.agenda_items.add(MeetingAgendaItem(title="Links", notes=f"<p>{link(targets, 'their document')}</p>"))
    meeting.save_revision().publish()
    client.force_login(personas.member)
    for page in (summary, meeting):
        html = client.get(page.url).content.decode()
        assert their.url not in html and "/members/yorkshire" not in html
        assert f"/documents/{targets['their document'].pk}/" not in html
    assert "their meeting" in client.get(summary.url).content.decode()  # the words stay


def test_a_public_copy_shows_only_public_links(targets):
    narrative = f"<p>{link(targets, 'own meeting')} and {link(targets, 'public page')}</p>"
    html = Template("{% load group_tags wagtailcore_tags %}{{ narrative|links_for_public|richtext }}").render(
        Context({"narrative": narrative})
    )
    assert targets["own meeting"].url not in html
    assert 'href="/about/"' in html
