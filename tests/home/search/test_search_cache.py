"""Public search: a question asked again soon is answered from a short cache; publishing
anything clears it, so new content is found at once."""

import pytest

from tests.factories import GuidancePageFactory
from tests.html import main_text

pytestmark = pytest.mark.django_db


def test_a_repeated_query_reads_nothing_from_the_database(client, guidance_index, django_assert_max_num_queries):
    GuidancePageFactory.create_batch(12, parent=guidance_index, summary="Repeated question check.")
    first = main_text(client.get("/search/", {"query": "repeated question", "page": "2"}))
    with django_assert_max_num_queries(0):
        again = main_text(client.get("/search/", {"query": "repeated question", "page": "2"}))
    assert again == first
    assert "12 results" in again
    assert "Page 2 of 2" in again


def test_new_content_is_found_at_once(client, guidance_index):
    assert "No results" in main_text(client.get("/search/", {"query": "okapimarmalade"}))
    GuidancePageFactory(parent=guidance_index, title="Okapi page", summary="About okapimarmalade.")
    assert "Okapi page" in main_text(client.get("/search/", {"query": "okapimarmalade"}))
