"""Document tags are each group's own: a tag typed on Cumbria's documents never shows in
Yorkshire's tag autocomplete or tag filter, and never crowds out Yorkshire's own tags
there (portal.admin_views)."""

import pytest

from tests.factories import make_document, make_member
from tests.html import soup

pytestmark = pytest.mark.django_db

CUMBRIA_TAGS = [f"Larch {n}" for n in range(10)]


@pytest.fixture
def tagged(cumbria, yorkshire):
    # Cumbria's tags, each on two of its documents: the most used, and first by name.
    for n in range(2):
        document = make_document(collection=cumbria.collection, title=f"Cumbria paper {n}")
        document.tags.add(*CUMBRIA_TAGS)
    theirs = make_document(collection=yorkshire.collection, title="Yorkshire paper")
    theirs.tags.add("Larch yorkshire")
    return theirs


@pytest.fixture
def yorkshire_coordinator(yorkshire):
    return make_member(yorkshire, role="coordinator")


@pytest.mark.parametrize("url", ["/admin/tag-autocomplete/", "/admin/tag-autocomplete/taggit/tag/"])
def test_the_autocomplete_offers_only_the_groups_own_tags(client, personas, tagged, yorkshire_coordinator, url):
    client.force_login(yorkshire_coordinator)
    assert client.get(url, {"term": "Larch"}).json() == ["Larch yorkshire"]
    client.force_login(personas.coordinator)
    assert client.get(url, {"term": "Larch"}).json() == CUMBRIA_TAGS


def test_the_listings_tag_filter_offers_only_the_groups_own_tags(client, personas, tagged, yorkshire_coordinator):
    client.force_login(yorkshire_coordinator)
    page = soup(client.get("/admin/documents/"))
    offered = {box["value"] for box in page.select('input[name="tag"]')}
    assert offered == {"Larch yorkshire"}
    assert "Larch 0" not in page.get_text()
    client.force_login(personas.coordinator)
    offered = {box["value"] for box in soup(client.get("/admin/documents/")).select('input[name="tag"]')}
    assert offered == set(CUMBRIA_TAGS)


def test_the_autocomplete_needs_a_tag_model(client, yorkshire_coordinator):
    client.force_login(yorkshire_coordinator)
    assert client.get("/admin/tag-autocomplete/wagtaildocs/document/", {"term": "L"}).status_code == 404
    assert client.get("/admin/tag-autocomplete/nothing/here/", {"term": "L"}).status_code == 404
