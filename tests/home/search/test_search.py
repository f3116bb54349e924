"""Site search: public content only, paginated, highlighted, and safe with any input."""

import pytest

from django.contrib.auth.models import Group

from wagtail.models import PageViewRestriction

from tests.factories import GuidancePageFactory, StandardPageFactory, SupportServiceFactory
from tests.html import main_html, main_text, soup

pytestmark = pytest.mark.django_db

SECRET_WORD = "zanzibarquokka"


def test_finds_guidance_by_a_phrase_from_its_body(client, guidance_page):
    response = client.get("/search/", {"query": "potential indicators"})
    assert guidance_page.title in main_text(response)
    assert soup(response).find("main").find("a", href=guidance_page.url)


def test_finds_support_services(client, home_page):
    SupportServiceFactory(
        name="Childline", description="Free confidential support.", url="https://www.childline.org.uk/"
    )
    response = client.get("/search/", {"query": "confidential"})
    assert "Childline" in main_text(response)
    assert "Support service" in main_text(response)


def test_highlights_the_search_term(client, guidance_page):
    html = main_html(client.get("/search/", {"query": "professionals"}))
    assert "What <mark>professionals</mark> need to know." in html


def test_no_results_says_so_with_suggestions(client, home_page):
    text = main_text(client.get("/search/", {"query": "nothingmatchesthis"}))
    assert "No results for “nothingmatchesthis”" in text
    assert "checking your spelling" in text


def test_empty_query_shows_only_the_form(client, home_page):
    response = client.get("/search/")
    assert response.status_code == 200
    assert "result" not in main_text(response).lower()


def test_results_are_paginated(client, guidance_index):
    GuidancePageFactory.create_batch(12, parent=guidance_index, summary="Sextortion pagination test.")
    first = client.get("/search/", {"query": "pagination"})
    second = client.get("/search/", {"query": "pagination", "page": 2})
    assert "12 results" in main_text(first)
    assert "Page 1 of 2" in main_text(first)
    assert "Page 2 of 2" in main_text(second)
    assert len(soup(first).select("li.portal-result")) == 10
    assert len(soup(second).select("li.portal-result")) == 2


@pytest.mark.parametrize(
    "query",
    [
        "<script>alert(1)</script>",
        '"' * 1000,
        "AND OR NOT ( ) * ~ ^ : -" * 50,
        "\x00null",
        "x" * 5000,
    ],
)
def test_hostile_queries_are_escaped_and_never_fail(client, home_page, query):
    response = client.get("/search/", {"query": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_invalid_page_number_falls_back_to_a_valid_page(client, guidance_page):
    response = client.get("/search/", {"query": "professionals", "page": "not-a-number"})
    assert response.status_code == 200


@pytest.fixture
def private_page(home_page):
    """A page behind a group view restriction, holding a unique word everywhere it can."""
    page = StandardPageFactory(
        parent=home_page,
        slug="private-area",
        title=f"Private {SECRET_WORD}",
        introduction=f"Intro {SECRET_WORD}",
        search_description=f"Description {SECRET_WORD}",
        show_in_menus=True,
        body=[("section", {"heading": SECRET_WORD, "content": [("rich_text", f"<p>{SECRET_WORD}</p>")]})],
    )
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="Cumbria members"))
    return page


def test_private_page_never_appears_in_search(client, private_page):
    response = client.get("/search/", {"query": SECRET_WORD})
    assert not soup(response).select("li.portal-result")
    assert "private-area" not in response.content.decode()
    assert "No results" in main_text(response)


def test_draft_page_never_appears_in_search(client, home_page):
    StandardPageFactory(parent=home_page, slug="draft", title=f"Draft {SECRET_WORD}", live=False)
    response = client.get("/search/", {"query": SECRET_WORD})
    assert not soup(response).select("li.portal-result")


@pytest.mark.parametrize("url", ["/", "/sitemap.xml", "/robots.txt", "/search/?query=private"])
def test_private_page_never_appears_in_menus_or_sitemap(client, private_page, url):
    body = client.get(url).content.decode()
    assert SECRET_WORD not in body
    assert "private-area" not in body


def test_anonymous_visitor_cannot_read_the_private_page(client, private_page):
    response = client.get(private_page.url)
    assert response.status_code == 302
    assert SECRET_WORD not in response.content.decode()


def test_search_queries_do_not_grow_with_the_number_of_matches(client, guidance_index, django_assert_max_num_queries):
    GuidancePageFactory.create_batch(3, parent=guidance_index, summary="Queries growth check.")
    with django_assert_max_num_queries(40) as few:
        client.get("/search/", {"query": "growth"})
    GuidancePageFactory.create_batch(30, parent=guidance_index, summary="Queries growth check.")
    with django_assert_max_num_queries(40) as many:
        response = client.get("/search/", {"query": "growth"})
    assert "33 results" in main_text(response)
    assert len(many) <= len(few)
