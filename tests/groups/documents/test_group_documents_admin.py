"""Security matrix rows C11 (admin endpoints), C05 (API) and C01 (documents): in the
Wagtail admin, a coordinator works with their own group's documents and nothing else;
editors see no group's documents; nobody lists, opens, edits, deletes, chooses or sees
the usage of another group's documents.

The document endpoints are generated from the URL resolver (every admin route under
admin/documents/ that takes an id), so an endpoint added by a Wagtail upgrade is swept
without editing this file.
"""

import json

import pytest

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile

from wagtail.documents import get_document_model
from wagtail.models import UploadedFile

from portal.roles import public_documents_collection
from tests.access import PERSONAS as MATRIX_PERSONAS
from tests.access import as_format, assert_denied, response_for, routes
from tests.conftest import make_groups
from tests.factories import make_document
from tests.fast import built_once

pytestmark = pytest.mark.django_db
Document = get_document_model()

SECRET_B = "numbatsapphire"  # in group B's document title: it must never show outside B
SECRET_A = "okapiamethyst"
# The matrix's personas, and the other group's coordinator, who manages B's documents.
PERSONAS = [*MATRIX_PERSONAS, "other_group_coordinator"]
MAY_MANAGE_B = {"other_group_coordinator", "administrator"}
ID_NAMES = {"document_id", "doc_id", "pk", "uploaded_file_id"}


def admin_document_url_patterns():
    """Every admin route under admin/documents/ whose one parameter is an id."""
    for route, names in routes():
        if route.startswith("admin/documents/") and len(names) == 1 and names[0] in ID_NAMES:
            yield as_format(route, names), names[0]


@pytest.fixture(scope="module")
def module_media(tmp_path_factory):
    return tmp_path_factory.mktemp("group-documents-admin-media")


@pytest.fixture
def media_root(module_media):
    """The documents' files are where they were stored when built, for every test."""
    return module_media


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, module_media):
    """The groups, the people and the documents, built once for the module: each test is
    rolled back to them (`built_once`)."""
    with built_once(django_db_blocker, module_media):
        objects = make_groups()
        yield objects, documents_of(objects["cumbria"], objects["yorkshire"], objects["personas"])


@pytest.fixture
def yorkshire(built):
    return built[0]["yorkshire"]


@pytest.fixture
def documents_of_a_and_b(built):
    """Group A is Cumbria, group B is Yorkshire; B has a document and an unfinished upload."""
    return built[1]


def documents_of(cumbria, yorkshire, personas):
    people = {persona: personas[persona] for persona in PERSONAS}
    document_b = make_document(
        collection=yorkshire.collection, title=f"Minutes {SECRET_B}", uploaded_by=people["other_group_coordinator"]
    )
    document_a = make_document(
        collection=cumbria.collection, title=f"Minutes {SECRET_A}", uploaded_by=people["coordinator"]
    )
    upload_b = UploadedFile(
        for_content_type=ContentType.objects.get_for_model(Document), uploaded_by_user=people["other_group_coordinator"]
    )
    upload_b.file.save(f"{SECRET_B}.pdf", ContentFile(b"%PDF-1.4"), save=True)
    return people, document_a, document_b, upload_b


def test_every_admin_document_endpoint_for_every_persona(client, documents_of_a_and_b):
    people, _, document_b, upload_b = documents_of_a_and_b
    patterns = sorted(admin_document_url_patterns())
    assert len(patterns) >= 8  # the generator found Wagtail's document endpoints
    denied = total = 0
    for pattern, name in patterns:
        url = pattern.format(**{name: upload_b.pk if name == "uploaded_file_id" else document_b.pk})
        for persona in PERSONAS:
            total += 1
            if persona in MAY_MANAGE_B:
                # GET only: a POST would delete the document for the personas after this one.
                response = response_for(client, people[persona], url, post_if_needed=False)
                assert response.status_code != 500, (persona, url)
                continue
            assert_denied(response_for(client, people[persona], url), persona, SECRET_B)
            denied += 1
        assert Document.objects.filter(pk=document_b.pk).exists(), url
        assert UploadedFile.objects.filter(pk=upload_b.pk).exists(), url
    print(f"admin document endpoints: {len(patterns)} URLs, {denied} of {total} cells deny")


BULK_ACTIONS = ["delete", "add_to_collection", "add_tags"]


@pytest.mark.parametrize("action", BULK_ACTIONS)
@pytest.mark.parametrize("persona", ["editor", "coordinator"])
def test_bulk_actions_on_another_groups_documents_are_refused(client, documents_of_a_and_b, action, persona):
    people, _, document_b, _ = documents_of_a_and_b
    url = f"/admin/bulk/wagtaildocs/document/{action}/?id={document_b.pk}"
    client.force_login(people[persona])
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code == 404
        assert SECRET_B not in response.content.decode()
    document_b.refresh_from_db()
    assert document_b.collection.name == "Yorkshire"


def test_bulk_actions_still_work_on_ones_own_documents(client, documents_of_a_and_b):
    people, document_a, *_ = documents_of_a_and_b
    client.force_login(people["coordinator"])
    response = client.get(f"/admin/bulk/wagtaildocs/document/delete/?id={document_a.pk}")
    assert response.status_code == 200
    assert SECRET_A in response.content.decode()
    client.post(f"/admin/bulk/wagtaildocs/document/delete/?id={document_a.pk}")
    assert not Document.objects.filter(pk=document_a.pk).exists()


LISTINGS = [
    "/admin/documents/",
    "/admin/documents/results/?q=Minutes",
    "/admin/documents/chooser/",
    "/admin/documents/chooser/results/?q=Minutes",
    "/admin/api/main/documents/",
    "/admin/api/main/documents/?search=Minutes",
    "/admin/",
]


@pytest.mark.parametrize("url", LISTINGS)
@pytest.mark.parametrize("persona", ["other_group_member", "editor", "member", "coordinator"])
def test_listings_never_show_another_groups_documents(client, documents_of_a_and_b, url, persona):
    people, *_ = documents_of_a_and_b
    response = response_for(client, people[persona], url)
    assert SECRET_B not in response.content.decode()
    if persona == "editor":  # editors see no group's documents at all
        assert SECRET_A not in response.content.decode()


@pytest.mark.parametrize("url", LISTINGS[:4])
def test_a_coordinator_lists_and_chooses_their_own_groups_documents(client, documents_of_a_and_b, url):
    people, *_ = documents_of_a_and_b
    response = response_for(client, people["coordinator"], url)
    assert response.status_code == 200
    assert SECRET_A in response.content.decode()


def test_a_coordinator_edits_and_chooses_their_own_document(client, documents_of_a_and_b):
    people, document_a, *_ = documents_of_a_and_b
    client.force_login(people["coordinator"])
    assert client.get(f"/admin/documents/edit/{document_a.pk}/").status_code == 200
    assert client.get(f"/admin/documents/usage/{document_a.pk}/").status_code == 200
    response = client.get(f"/admin/documents/chooser/chosen/{document_a.pk}/")
    assert response.status_code == 200
    assert json.loads(response.content)["result"]["title"] == f"Minutes {SECRET_A}"


def test_editors_work_with_public_documents(client, documents_of_a_and_b):
    people, *_ = documents_of_a_and_b
    leaflet = make_document(collection=public_documents_collection(), title="Leaflet for parents")
    client.force_login(people["editor"])
    listing = client.get("/admin/documents/").content.decode()
    assert "Leaflet for parents" in listing
    assert client.get(f"/admin/documents/edit/{leaflet.pk}/").status_code == 200
    assert client.get(f"/admin/documents/chooser/chosen/{leaflet.pk}/").status_code == 200


def test_a_coordinator_cannot_upload_into_another_groups_collection(client, documents_of_a_and_b, yorkshire):
    from django.core.files.uploadedfile import SimpleUploadedFile

    people, *_ = documents_of_a_and_b
    client.force_login(people["coordinator"])
    before = Document.objects.filter(collection=yorkshire.collection).count()
    for url, data in [
        ("/admin/documents/add/", {"title": "Sneaky", "collection": yorkshire.collection_id}),
        ("/admin/documents/multiple/add/", {"collection": yorkshire.collection_id}),
    ]:
        field = "file" if url.endswith("/add/") and "multiple" not in url else "files[]"
        client.post(url, {**data, field: SimpleUploadedFile("x.pdf", b"%PDF-1.4 x")})
    assert Document.objects.filter(collection=yorkshire.collection).count() == before


# C05: the public APIs are not installed; the admin API (for people with admin access)
# filters documents by the collections' view restrictions.


def test_no_public_api_is_installed(client, documents_of_a_and_b):
    from django.conf import settings

    assert "wagtail.api" not in settings.INSTALLED_APPS
    for url in ["/api/v2/documents/", "/api/v2/pages/", "/api/v3/documents/", "/api/"]:
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("persona", ["other_group_member", "member"])
def test_members_have_no_admin_api(client, documents_of_a_and_b, persona):
    people, *_ = documents_of_a_and_b
    response = response_for(client, people[persona], "/admin/api/main/documents/")
    assert response.status_code in (302, 403)


def test_the_admin_api_shows_a_coordinator_their_own_groups_documents_only(client, documents_of_a_and_b):
    people, document_a, document_b, _ = documents_of_a_and_b
    client.force_login(people["coordinator"])
    listing = json.loads(client.get("/admin/api/main/documents/").content)
    ids = {item["id"] for item in listing["items"]}
    assert document_a.pk in ids
    assert document_b.pk not in ids
    assert client.get(f"/admin/api/main/documents/{document_b.pk}/").status_code == 404


def test_an_upload_stored_for_its_details_is_completed_by_its_uploader(client, documents_of_a_and_b, yorkshire):
    """Wagtail's multiple uploader keeps a file whose other fields were refused and
    completes it later with a form that has no file field."""
    people, _, _, upload_b = documents_of_a_and_b
    client.force_login(people["other_group_coordinator"])
    prefix = f"uploaded-document-{upload_b.pk}"
    url = f"/admin/documents/multiple/create_from_uploaded_document/{upload_b.pk}/"
    refused = json.loads(client.post(url, {f"{prefix}-title": ""}).content)
    assert refused["success"] is False
    done = json.loads(client.post(url, {f"{prefix}-title": "Completed upload"}).content)
    assert done["success"] is True
    assert Document.objects.get(title="Completed upload").collection == yorkshire.collection
