"""Site search over live, public content only."""

import re
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.utils.html import strip_tags
from django.utils.text import Truncator

from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from resources.models import Resource, SupportService

MAX_QUERY_LENGTH = 200
PAGE_SIZE = 10
MAX_RESULTS = 200


@dataclass(frozen=True)
class SearchResult:
    title: str
    url: str
    summary: str
    kind: str  # shown as a label: "Guidance", "Page", "Support service" or "Resource"


def clean_query(raw):
    """Trim and bound the query; search syntax is not offered, so operators are just words."""
    return " ".join((raw or "").split())[:MAX_QUERY_LENGTH]


def search_terms(query):
    """The words of a query, and nothing else.

    Search syntax is not offered, and SQLite's full-text engine rejects stray quotes and
    operators, so only word characters reach the search backend.
    """
    return " ".join(re.findall(r"\w+", query))


def _summary(text):
    return Truncator(strip_tags(text or "")).words(40)


def _page_result(page):
    text = getattr(page, "summary", "") or page.search_description or getattr(page, "introduction", "")
    kind = "Guidance" if page.specific_class.__name__ == "GuidancePage" else "Page"
    return SearchResult(title=page.title, url=page.url, summary=_summary(text), kind=kind)


def _library_result(item, kind):
    return SearchResult(title=item.name, url=item.link, summary=_summary(item.description), kind=kind)


def search_public(*, query, page_number=1):
    """Search pages, then library entries; never a draft or a page behind a view restriction."""
    if not query:
        return None
    terms = search_terms(query)
    if not terms:
        return Paginator([], PAGE_SIZE).get_page(1)
    backend = get_search_backend()
    pages = Page.objects.live().public().specific().search(terms, operator="and")[:MAX_RESULTS]
    results = [_page_result(page) for page in pages]
    results += [_library_result(item, "Support service") for item in backend.search(terms, SupportService)[:50]]
    results += [_library_result(item, "Resource") for item in backend.search(terms, Resource)[:50]]
    return Paginator(results, PAGE_SIZE).get_page(page_number)
