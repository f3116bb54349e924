"""Security matrix rows C06, C07 and I04 (serving): a group's documents reach its members
only, as downloads that cannot run in the site's origin; outsiders learn nothing, not
even from conditional requests carrying the file's real hash."""

import pytest

from groups.membership.services import membership_suspend
from tests.factories import make_document

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "other_group_member", "editor", "no_group", "member", "coordinator", "administrator"]
MAY_DOWNLOAD = {"member", "coordinator", "administrator"}


@pytest.fixture
def people(cumbria, yorkshire, personas):
    return {persona: personas[persona] for persona in PERSONAS}


@pytest.fixture
def document(cumbria):
    return make_document(collection=cumbria.collection, title="Minutes", filename="minutes.pdf")


def get_as(client, user, url, **headers):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url, headers=headers)


def test_settings_serve_documents_through_django():
    from django.conf import settings

    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    assert settings.WAGTAILDOCS_INLINE_CONTENT_TYPES == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_serving_matrix(client, people, document, persona):
    response = get_as(client, people[persona], document.url)
    if persona in MAY_DOWNLOAD:
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    elif persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=/documents/")
    else:
        assert response.status_code == 404


def test_an_outsider_gets_the_same_answer_as_for_a_document_that_does_not_exist(client, people, document):
    outsider = people["other_group_member"]
    real = get_as(client, outsider, document.url)
    missing = get_as(client, outsider, f"/documents/{document.pk + 1000}/minutes.pdf")
    wrong_name = get_as(client, outsider, f"/documents/{document.pk}/other.pdf")
    assert real.status_code == missing.status_code == wrong_name.status_code == 404
    assert real.content == missing.content == wrong_name.content


def test_a_suspended_member_is_refused_at_once(client, people, document, cumbria):
    member = people["member"]
    membership_suspend(membership=member.memberships.get(working_group=cumbria))
    assert get_as(client, member, document.url).status_code == 404


def test_membership_decides_even_if_the_django_groups_say_otherwise(client, people, document, cumbria):
    outsider = people["other_group_member"]
    outsider.groups.add(cumbria.members_group)  # out of step with the memberships
    assert get_as(client, outsider, document.url).status_code == 404


def test_a_member_downloads_it_as_an_attachment_that_cannot_run(client, people, document):
    response = get_as(client, people["member"], document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control


@pytest.mark.parametrize("content_type", ["text/plain", "text/csv"])
def test_text_documents_are_attachments_too(client, people, cumbria, content_type):
    name = "notes.txt" if content_type == "text/plain" else "figures.csv"
    document = make_document(collection=cumbria.collection, filename=name, content=b"a,b\n1,2\n")
    response = get_as(client, people["member"], document.url)
    assert response["Content-Disposition"].startswith("attachment")


# C07: Wagtail answers conditional GETs with the file's SHA-1 as its ETag. Anyone who may
# not download the file must get exactly the answer they get without the header, or a
# guessed hash could be confirmed (GHSA-92hv-j533-69wc).


def conditional_headers(document):
    return [
        {"If-None-Match": f'"{document.file_hash}"'},
        {"If-None-Match": document.file_hash},
        {"If-Match": f'"{document.file_hash}"'},
        {"If-Match": '"0000000000000000000000000000000000000000"'},
        {"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"},
    ]


@pytest.mark.parametrize("persona", ["anonymous", "other_group_member", "editor", "no_group"])
def test_conditional_requests_tell_outsiders_nothing(client, people, document, persona):
    assert len(document.file_hash) == 40
    plain = get_as(client, people[persona], document.url)
    for headers in conditional_headers(document):
        response = get_as(client, people[persona], document.url, **headers)
        assert response.status_code == plain.status_code, headers
        assert response.status_code not in (304, 412)
        assert response.get("ETag") is None
        assert response.get("Location") == plain.get("Location")
        assert response.content == plain.content


def test_conditional_requests_still_work_for_members(client, people, document):
    member = people["member"]
    response = get_as(client, member, document.url, **{"If-None-Match": f'"{document.file_hash}"'})
    assert response.status_code == 304


def test_public_documents_are_still_public(client, people):
    from portal.roles import public_documents_collection

    leaflet = make_document(collection=public_documents_collection(), title="Leaflet", filename="leaflet.pdf")
    assert get_as(client, None, leaflet.url).status_code == 200


def test_a_deleted_groups_documents_are_for_administrators_only(client, people, document, cumbria):
    from groups.membership.services import working_group_teardown

    cumbria.delete()
    working_group_teardown(working_group=cumbria)
    document.refresh_from_db()
    assert get_as(client, people["member"], document.url).status_code == 404
    assert get_as(client, people["administrator"], document.url).status_code == 200
