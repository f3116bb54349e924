"""Anonymous visitors get cached pages; publishing clears them; signed-in people bypass the cache."""

import pytest

from django.conf import settings as django_settings
from django.core.cache import caches

from tests.factories import ResourceIndexPageFactory, SupportServiceFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_second_anonymous_request_is_served_from_the_cache(client, guidance_page, django_assert_max_num_queries):
    client.get(guidance_page.url)
    with django_assert_max_num_queries(0):
        response = client.get(guidance_page.url)
    assert response.status_code == 200
    assert "What can you do?" in response.content.decode()


def test_publishing_a_page_clears_the_cache(client, guidance_page):
    client.get(guidance_page.url)
    guidance_page.title = "Updated title"
    guidance_page.save_revision().publish()

    assert "Updated title" in client.get(guidance_page.url).content.decode()


def test_unpublishing_a_page_clears_the_cache(client, guidance_page):
    assert client.get(guidance_page.url).status_code == 200
    guidance_page.unpublish()
    assert client.get(guidance_page.url).status_code == 404


def test_changing_a_support_service_clears_the_cache(client, home_page):
    library = ResourceIndexPageFactory(parent=home_page, slug="resources")
    service = SupportServiceFactory(name="Helpline", description="Old description.")
    assert "Old description." in client.get(library.url).content.decode()
    service.description = "New description."
    service.save()
    assert "New description." in client.get(library.url).content.decode()


def test_search_pages_are_not_cached_whole(client, home_page):
    # Only the public results are kept, for a minute (home.search), never the page.
    client.get("/search/", {"query": "helpline"})
    assert all(":search:" in key for key in caches["pages"]._cache)


def test_signed_in_people_bypass_the_cache(client, guidance_page, django_assert_max_num_queries):
    client.get(guidance_page.url)  # cached for anonymous visitors
    client.force_login(UserFactory())
    with django_assert_max_num_queries(50) as captured:
        client.get(guidance_page.url)
    assert len(captured) > 0


def test_signed_in_responses_are_never_stored_for_others(client, guidance_page, settings):
    client.force_login(UserFactory())
    client.get(guidance_page.url)
    client.logout()
    client.cookies.pop(django_settings.SESSION_COOKIE_NAME, None)

    assert not caches["pages"]._cache  # nothing stored while signed in


def test_non_get_requests_are_not_cached(client, home_page):
    client.post("/search/")

    assert not caches["pages"]._cache
