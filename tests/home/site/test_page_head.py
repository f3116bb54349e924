"""Every public page has a meta description and a title that names the organisation once;
search snippets keep sentences apart; the library's filter posts to its own address."""

import pytest

from home.models import PortalSettings
from home.templatetags.portal_tags import SITE_DESCRIPTION
from tests.factories import ResourceIndexPageFactory, StandardPageFactory
from tests.html import soup

pytestmark = pytest.mark.django_db


def head(response):
    page = soup(response)
    description = page.find("meta", attrs={"name": "description"})
    return page.find("title").get_text(), description["content"] if description else None


def test_a_guidance_page_is_described_by_its_summary(client, guidance_page):
    guidance_page.summary = "How to respond when a child is being blackmailed."
    guidance_page.save_revision().publish()
    title, description = head(client.get(guidance_page.url))
    assert description == "How to respond when a child is being blackmailed."
    assert title == "What to do \u2013 The Children's Society"


def test_a_search_description_wins_and_a_bare_page_falls_back_to_the_sites(client, home_page):
    described = StandardPageFactory(parent=home_page, slug="about", title="About", search_description="Who we are.")
    bare = StandardPageFactory(parent=home_page, slug="bare", title="Bare", introduction="")
    assert head(client.get(described.url))[1] == "Who we are."
    assert head(client.get(bare.url))[1] == SITE_DESCRIPTION
    assert head(client.get("/search/"))[1] == SITE_DESCRIPTION


def test_the_organisation_is_named_once(client, home_page):
    settings = PortalSettings.for_site(home_page.get_site())
    page = StandardPageFactory(parent=home_page, slug="about", title="About The Children's Society")
    assert head(client.get(page.url))[0] == "About The Children's Society"
    settings.organisation_name = "Tom & Jerry's <Trust>"
    settings.save()
    title = soup(client.get("/search/")).find("title")
    assert title.get_text() == "Search \u2013 Tom & Jerry's <Trust>"


def test_search_snippets_keep_sentences_apart():
    from home.search import plain_text

    assert plain_text("<p>in the evening.</p><p>Most approaches</p>") == "in the evening. Most approaches"
    assert plain_text("one<br>two<li>three</li>") == "one two three"


def test_the_library_filter_submits_to_the_library(client, home_page):
    library = ResourceIndexPageFactory(parent=home_page, slug="resources")
    form = soup(client.get(library.url)).find("form", class_="portal-filter")
    assert form["action"] == library.url
