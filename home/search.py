"""Site search over live, public content only."""

from django.core.paginator import Paginator

from wagtail.models import Page

from resources.models import Resource, SupportService

MAX_QUERY_LENGTH = 200
PAGE_SIZE = 10


def clean_query(raw):
    """Trim and bound the query; search syntax is not offered, so operators are just words."""
    return " ".join((raw or "").split())[:MAX_QUERY_LENGTH]


def search_public(*, query, page_number=1):
    """Search pages, then library entries; never a draft or a page behind a view restriction."""
    if not query:
        return None
    pages = list(Page.objects.live().public().specific().search(query, operator="and")[:200])
    services = list(SupportService.objects.search(query, operator="and")[:50])
    resources = list(Resource.objects.search(query, operator="and")[:50])
    results = [{"kind": "page", "object": page} for page in pages]
    results += [{"kind": "service", "object": item} for item in services]
    results += [{"kind": "resource", "object": item} for item in resources]
    return Paginator(results, PAGE_SIZE).get_page(page_number)
