"""Group documents kept in S3-compatible object storage (AWS_STORAGE_BUCKET_NAME) are still
served only by the portal's permission-checked view: the file is streamed from the bucket
to its group's members, never handed out as a bucket URL, and nothing reaches anyone else.
The bucket is moto's in-process S3."""

from pathlib import Path

import pytest

from django.core.files.storage import default_storage

from tests.factories import make_document, make_member, with_authenticator

pytestmark = pytest.mark.django_db

BUCKET = "portal-documents"
CONTENT = b"%PDF-1.4\n% minutes kept in the bucket\n%%EOF\n"


@pytest.fixture
def bucket(settings):
    import boto3
    from moto import mock_aws

    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {"bucket_name": BUCKET, "region_name": "us-east-1", "querystring_auth": True},
            },
        }
        yield boto3.client("s3", region_name="us-east-1")


@pytest.fixture
def document(bucket, cumbria):
    return make_document(collection=cumbria.collection, title="Minutes", filename="minutes.pdf", content=CONTENT)


def test_the_document_is_stored_in_the_bucket_not_on_disk(bucket, document, settings):
    assert default_storage.__class__.__name__ == "S3Storage"
    assert bucket.get_object(Bucket=BUCKET, Key=document.file.name)["Body"].read() == CONTENT
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.pdf"))


def test_a_member_downloads_it_through_the_portal(client, cumbria, document):
    member = with_authenticator(make_member(cumbria))
    client.force_login(member)

    response = client.get(document.url)

    assert response.status_code == 200  # streamed by the portal: no redirect to the bucket
    assert b"".join(response.streaming_content) == CONTENT
    assert response["Content-Disposition"].startswith("attachment")
    assert not response.has_header("Location")


def test_an_anonymous_visitor_is_sent_to_sign_in(client, document):
    response = client.get(document.url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "amazonaws" not in response["Location"]


def test_a_member_of_another_group_learns_nothing(client, yorkshire, document):
    client.force_login(with_authenticator(make_member(yorkshire)))

    response = client.get(document.url)

    assert response.status_code == 404
    assert b"amazonaws" not in response.content
