"""Site search: live, public content for everyone; for a signed-in member, also their own
working groups' meetings, updates and documents, searched apart (groups.search) and
shown apart, so nothing private ever enters the public search index."""

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.paginator import Paginator
from django.utils.text import Truncator

from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from groups.search import working_group_search
from portal.text import plain_text
from resources.models import GuidanceIndexPage, GuidancePage, Resource, ResourceIndexPage, SupportService

from .models import HomePage

MAX_QUERY_LENGTH = 200
PAGE_SIZE = 10
MAX_RESULTS = 200
RESULTS_CACHE_SECONDS = 60


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
    return Truncator(plain_text(text)).words(40)


def _page_result(page, request):
    text = getattr(page, "summary", "") or page.search_description or getattr(page, "introduction", "")
    kind = "Guidance" if page.specific_class.__name__ == "GuidancePage" else "Page"
    return SearchResult(title=page.title, url=page.get_url(request), summary=_summary(text), kind=kind)


def _library_result(item, kind):
    return SearchResult(title=item.name, url=item.link, summary=_summary(item.description), kind=kind)


# Pages that only introduce and list others: what they list is the answer, so they come last.
LISTING_PAGES = (HomePage, GuidanceIndexPage, ResourceIndexPage)


def _page_rank(page, terms):
    """Where a matching page goes among the others: a page whose title holds every word
    first, then guidance before other pages, and listing pages last. The backend's own
    relevance (its order) decides within each rank: its scores favour short texts, such
    as the home page's or the guidance index's, above the long guidance pages they list."""
    title = page.title.casefold()
    named = all(term.casefold() in title for term in terms.split())
    kind = page.specific_class or Page
    return (0 if named else 1, 0 if issubclass(kind, GuidancePage) else 2 if issubclass(kind, LISTING_PAGES) else 1)


def _cache_key(terms, page_number, request):
    host = request.get_host() if request is not None else ""  # result URLs may name the site
    digest = hashlib.sha256(f"{host}\n{terms.casefold()}\n{page_number}".encode()).hexdigest()
    return f"search:{digest}"


def search_public(*, query, page_number=1, request=None):
    """Search pages, then library entries; never a draft or a page behind a view restriction.

    Only the results on the requested page of results are turned into SearchResults,
    so the work per request does not grow with the number of matches.

    The same question asked again soon (a popular word, the next page and back) is
    answered from the page cache for RESULTS_CACHE_SECONDS: public results are the same
    for everyone, and publishing anything clears that cache (home.signals). The time is
    short, so that one-off queries leave it again quickly. Otherwise the search runs on
    the search backend's index (PostgreSQL's full-text GIN indexes, in production).
    """
    if not query:
        return None
    terms = search_terms(query)
    if not terms:
        return Paginator([], PAGE_SIZE).get_page(1)
    cache = caches[settings.CACHE_MIDDLEWARE_ALIAS]
    key = _cache_key(terms, page_number, request)
    cached = cache.get(key)
    if cached is not None:
        count, number, object_list = cached
        results = Paginator(range(count), PAGE_SIZE).get_page(number)
        results.object_list = object_list
        return results
    results = _search_public(terms, page_number, request)
    cache.set(key, (results.paginator.count, results.number, results.object_list), RESULTS_CACHE_SECONDS)
    return results


def _search_public(terms, page_number, request):
    backend = get_search_backend()
    found = Page.objects.live().public().search(terms, operator="and")[:MAX_RESULTS]
    matches = [("page", page) for page in sorted(found, key=lambda page: _page_rank(page, terms))]
    matches += [("service", item) for item in backend.search(terms, SupportService)[:50]]
    matches += [("resource", item) for item in backend.search(terms, Resource)[:50]]
    results = Paginator(matches, PAGE_SIZE).get_page(page_number)
    pages = {page.pk: page for page in Page.objects.filter(pk__in=[m.pk for k, m in results if k == "page"]).specific()}
    results.object_list = [
        _page_result(pages[match.pk], request)
        if kind == "page"
        else _library_result(match, "Support service" if kind == "service" else "Resource")
        for kind, match in results.object_list
    ]
    return results


def search_working_groups(*, user, query, request=None):
    """A member's matches in their own working groups (groups.search), or None for anyone
    who is not an active member of a group; public results never include them."""
    return working_group_search(user=user, terms=search_terms(query).split(), request=request)
