"""Anonymous cached pages are sent gzip-compressed; pages with forms or sessions are not
(compressing a page that holds a secret beside reflected input leaks it: BREACH)."""

import gzip

import pytest

from django.core.cache import caches

from tests.factories import UserFactory, with_authenticator

pytestmark = pytest.mark.django_db

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def vary(response):
    return {value.strip().lower() for value in response.get("Vary", "").split(",")}


@pytest.mark.parametrize("request_number", [1, 2], ids=["filling-the-cache", "from-the-cache"])
def test_an_anonymous_cached_page_is_sent_compressed(client, guidance_page, request_number):
    for _ in range(request_number):
        response = client.get(guidance_page.url, headers=GZIP)

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "accept-encoding" in vary(response)
    assert int(response["Content-Length"]) == len(response.content)
    assert "What can you do?" in gzip.decompress(response.content).decode()


def test_the_page_is_compressed_once_when_stored(client, guidance_page, django_assert_max_num_queries):
    client.get(guidance_page.url, headers=GZIP)
    stored = [key for key in caches["pages"]._cache if ".cache_page." in key]

    assert len(stored) == 1  # one copy, whatever the client accepts
    with django_assert_max_num_queries(0):
        assert client.get(guidance_page.url, headers=GZIP)["Content-Encoding"] == "gzip"


@pytest.mark.parametrize("accept_encoding", [None, "identity", "gzip;q=0", "br"])
def test_a_client_that_does_not_accept_gzip_gets_the_plain_page(client, guidance_page, accept_encoding):
    headers = {"Accept-Encoding": accept_encoding} if accept_encoding else {}
    client.get(guidance_page.url, headers=GZIP)  # stored compressed

    for _ in range(2):
        response = client.get(guidance_page.url, headers=headers)
        assert response.status_code == 200
        assert not response.has_header("Content-Encoding")
        assert "accept-encoding" in vary(response)
        assert int(response["Content-Length"]) == len(response.content)
        assert "What can you do?" in response.content.decode()


def test_a_page_with_a_form_is_not_compressed(client, feedback_page):
    for _ in range(2):
        response = client.get(feedback_page.url, headers=GZIP)
        assert response.status_code == 200
        assert not response.has_header("Content-Encoding")
        assert b"csrfmiddlewaretoken" in response.content


def test_search_results_are_not_compressed(client, home_page):
    response = client.get("/search/", {"query": "helpline"}, headers=GZIP)

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


def test_a_signed_in_page_is_not_compressed(client, guidance_page):
    client.get(guidance_page.url, headers=GZIP)  # the anonymous copy, compressed
    user = UserFactory()
    with_authenticator(user)
    client.force_login(user)

    response = client.get(guidance_page.url, headers=GZIP)

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert "private" in response["Cache-Control"]
