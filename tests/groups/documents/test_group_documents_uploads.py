"""Security matrix row I04: uploads are limited to a short list of types, checked by
content as well as by name, and to a maximum size, on every admin upload path."""

import json

import pytest

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.documents import get_document_model

from portal.documents import validate_document_file
from tests import sample_files

pytestmark = pytest.mark.django_db
Document = get_document_model()


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize("name", sorted(sample_files.GENUINE))
def test_each_allowed_type_is_accepted_when_its_content_matches(name):
    validate_document_file(upload(name, sample_files.GENUINE[name]))


@pytest.mark.parametrize("name", sorted(sample_files.DISGUISED))
def test_a_file_that_is_not_what_its_name_says_is_refused(name):
    with pytest.raises(ValidationError) as error:
        validate_document_file(upload(name, sample_files.DISGUISED[name]))
    assert error.value.code == "file_content"
    assert "Upload the original file" in error.value.messages[0]


@pytest.mark.parametrize("name", sorted(sample_files.REFUSED_TYPES))
def test_other_types_are_refused_whatever_they_contain(name):
    with pytest.raises(ValidationError) as error:
        validate_document_file(upload(name, sample_files.REFUSED_TYPES[name]))
    assert error.value.code == "file_type"
    assert "PDF, DOCX, XLSX" in error.value.messages[0]


def test_size_limit(settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1000
    validate_document_file(upload("notes.txt", b"a" * 1000))
    with pytest.raises(ValidationError) as error:
        validate_document_file(upload("notes.txt", b"a" * 1001))
    assert error.value.code == "file_too_large"


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError):
        validate_document_file(upload("notes.txt", b""))


def test_the_scan_does_not_move_the_read_position():
    file = upload("report.docx", sample_files.DOCX)
    validate_document_file(file)
    assert file.tell() == 0


# Every way the admin takes a file, as a coordinator uploading to their group.


def single_upload(client, group, name, content):
    return client.post("/admin/documents/add/", {"title": "Upload", "file": upload(name, content)})


def multiple_upload(client, group, name, content):
    return client.post(
        "/admin/documents/multiple/add/", {"files[]": upload(name, content), "collection": group.collection_id}
    )


def chooser_upload(client, group, name, content):
    return client.post(
        "/admin/documents/chooser/create/",
        {"document-chooser-upload-title": "Upload", "document-chooser-upload-file": upload(name, content)},
    )


UPLOADS = [single_upload, multiple_upload, chooser_upload]


@pytest.mark.parametrize("send", UPLOADS)
@pytest.mark.parametrize("name", ["page.pdf", "drawing.pdf", "program.pdf", "page.txt"])
def test_disguised_files_are_refused_by_every_admin_upload(client, cumbria, signed_in_coordinator, send, name):
    response = send(client, cumbria, name, sample_files.DISGUISED[name])
    assert response.status_code == 200
    assert "Upload the original file" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.parametrize("send", UPLOADS)
@pytest.mark.parametrize("name", ["page.html", "drawing.svg", "program.exe"])
def test_other_types_are_refused_by_every_admin_upload(client, cumbria, signed_in_coordinator, send, name):
    response = send(client, cumbria, name, sample_files.REFUSED_TYPES[name])
    assert response.status_code == 200
    assert "This type of file cannot be uploaded" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.parametrize("send", UPLOADS)
def test_too_big_a_file_is_refused_by_every_admin_upload(client, cumbria, signed_in_coordinator, send, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 50
    response = send(client, cumbria, "notes.txt", b"a" * 51)
    assert response.status_code == 200
    assert "too big" in response.content.decode() or "or smaller" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.parametrize("send", UPLOADS)
def test_a_genuine_file_is_stored_in_the_group_collection(client, cumbria, signed_in_coordinator, send):
    response = send(client, cumbria, "report.docx", sample_files.DOCX)
    assert response.status_code in (200, 302)
    document = Document.objects.get()
    assert document.collection == cumbria.collection
    assert document.uploaded_by_user == signed_in_coordinator


def test_multiple_upload_explains_the_refusal_in_its_json(client, cumbria, signed_in_coordinator):
    response = multiple_upload(client, cumbria, "page.pdf", sample_files.HTML)
    data = json.loads(response.content)
    assert data["success"] is False
    assert "named as a PDF, but its content is not a PDF" in data["error_message"]


def test_the_upload_form_says_what_may_be_uploaded_and_to_use_documents_for_images(
    client, cumbria, signed_in_coordinator
):
    text = client.get("/admin/documents/add/").content.decode()
    assert "PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, TXT, CSV; up to 20.0\xa0MB" in text
    assert "Images cannot be uploaded here: images are always public." in text
    assert "put it into a PDF or a Word document" in text


def test_replacing_the_file_of_a_document_is_checked_too(client, cumbria, signed_in_coordinator):
    single_upload(client, cumbria, "report.pdf", sample_files.PDF)
    document = Document.objects.get()
    response = client.post(
        f"/admin/documents/edit/{document.pk}/", {"title": "Report", "file": upload("report.pdf", sample_files.HTML)}
    )
    assert response.status_code == 200
    assert "Upload the original file" in response.content.decode()
    document.file.open("rb")
    assert document.file.read() == sample_files.PDF
