"""Security matrix row C06/C07, signed out: a private document answers exactly as a
missing one (the sign-in page for both), with the same work done, so neither the answer
nor its timing tells an outsider that a document exists."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_document(cumbria, client):
    document = make_document(collection=cumbria.collection, title="Minutes", filename="minutes.pdf")
    # The first request of all reads the site frame into the shared cache (home.frame),
    # whatever it asks for; the answers compared below come after it.
    client.get("/documents/0/warm.pdf")
    return document


def answer(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, response["Location"].replace(url, "<url>"), len(queries)


def test_a_private_document_answers_as_a_missing_one(client, private_document):
    missing = private_document.pk + 1000
    private = answer(client, private_document.url)
    missing_id = answer(client, f"/documents/{missing}/minutes.pdf")
    wrong_name = answer(client, f"/documents/{private_document.pk}/other.pdf")
    assert private == missing_id == wrong_name
    status, location, _queries = private
    assert status == 302 and location == "/accounts/login/?next=<url>"


def test_with_the_files_hash_too(client, private_document):
    missing = answer(client, f"/documents/{private_document.pk + 1000}/minutes.pdf")
    client.defaults["HTTP_IF_NONE_MATCH"] = f'"{private_document.file_hash}"'
    assert answer(client, private_document.url) == missing


def test_public_documents_are_still_served(client, home_page):
    from portal.roles import public_documents_collection

    document = make_document(collection=public_documents_collection(), title="Leaflet", filename="leaflet.pdf")
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
