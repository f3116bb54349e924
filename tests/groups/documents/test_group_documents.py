"""Each working group's documents live in its own collection, restricted to its members
by code; members list them in their area; listeners hear once of each new document."""

import io
from unittest import mock

import pytest

from django.contrib.auth.models import Group
from django.core.management import call_command

from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, GroupCollectionPermission

from groups.documents import services as documents_services
from groups.documents.selectors import group_documents
from groups.membership.services import working_group_setup, working_group_teardown
from portal.roles import editors_setup
from tests import sample_files
from tests.factories import make_document, make_editor, make_member
from tests.html import main_text, soup

pytestmark = pytest.mark.django_db
Document = get_document_model()


def restriction_groups(collection):
    restrictions = CollectionViewRestriction.objects.filter(collection=collection)
    assert [r.restriction_type for r in restrictions] == [CollectionViewRestriction.GROUPS]
    return set(restrictions.get().groups.all())


# The collections


def test_each_group_has_its_own_collection_under_working_groups(cumbria, yorkshire):
    assert cumbria.collection.name == "Cumbria"
    assert yorkshire.collection.name == "Yorkshire"
    assert cumbria.collection != yorkshire.collection
    for group in (cumbria, yorkshire):
        assert group.collection.get_parent().name == "Working groups"
        assert group.collection.get_parent().get_parent() == Collection.get_first_root_node()
        assert restriction_groups(group.collection) == {group.members_group, group.coordinators_group}


def test_setup_is_safe_to_run_again(cumbria):
    collection = cumbria.collection
    working_group_setup(working_group=cumbria)
    working_group_setup(working_group=cumbria)
    cumbria.refresh_from_db()
    assert cumbria.collection == collection
    assert Collection.objects.filter(name="Cumbria").count() == 1
    assert CollectionViewRestriction.objects.filter(collection=collection).count() == 1


def test_the_collection_follows_a_change_of_region(cumbria):
    cumbria.region = "northumbria"
    cumbria.save()
    working_group_setup(working_group=cumbria)
    cumbria.collection.refresh_from_db()
    assert cumbria.collection.name == "Northumbria"


def test_a_deleted_groups_collection_is_kept_for_administrators_only(cumbria):
    collection, document = cumbria.collection, make_document(collection=cumbria.collection)
    cumbria.delete()
    working_group_teardown(working_group=cumbria)
    collection.refresh_from_db()
    assert collection.name.startswith("Cumbria (deleted group")
    assert restriction_groups(collection) == set()
    assert Document.objects.filter(pk=document.pk).exists()


def test_sync_groups_rebuilds_collections_privacy_and_permissions_changed_by_hand(cumbria, yorkshire):
    collection = cumbria.collection
    CollectionViewRestriction.objects.filter(collection=collection).delete()
    other = CollectionViewRestriction.objects.create(
        collection=yorkshire.collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    GroupCollectionPermission.objects.create(
        group=cumbria.members_group, collection=collection, permission=change_document()
    )
    GroupCollectionPermission.objects.create(
        group=cumbria.coordinators_group, collection=yorkshire.collection, permission=change_document()
    )
    Group.objects.get(name="Editors").collection_permissions.create(
        collection=Collection.get_first_root_node(), permission=change_document()
    )
    collection.move(Collection.get_first_root_node(), pos="sorted-child")

    call_command("sync_groups", stdout=io.StringIO())

    collection.refresh_from_db()
    assert collection.get_parent().name == "Working groups"
    assert restriction_groups(collection) == {cumbria.members_group, cumbria.coordinators_group}
    assert not CollectionViewRestriction.objects.filter(pk=other.pk).exists()
    assert restriction_groups(yorkshire.collection) == {yorkshire.members_group, yorkshire.coordinators_group}
    assert not GroupCollectionPermission.objects.filter(group=cumbria.members_group).exists()
    assert set(
        GroupCollectionPermission.objects.filter(group=cumbria.coordinators_group).values_list("collection", flat=True)
    ) == {collection.pk}
    assert {p.collection.name for p in Group.objects.get(name="Editors").collection_permissions.all()} == {
        "Public documents"
    }


def change_document():
    from django.contrib.auth.models import Permission

    return Permission.objects.get(content_type__app_label="wagtaildocs", codename="change_document")


def test_a_sync_gives_a_group_without_a_collection_a_new_one(cumbria):
    cumbria.collection.delete()
    cumbria.refresh_from_db()
    assert cumbria.collection is None
    call_command("sync_groups", stdout=io.StringIO())
    cumbria.refresh_from_db()
    assert cumbria.collection.name == "Cumbria"


def test_publishing_an_old_revision_keeps_the_collection(cumbria):
    revision = cumbria.save_revision()
    collection = cumbria.collection
    WorkingGroupPageCollection = type(cumbria).objects.filter(pk=cumbria.pk)
    WorkingGroupPageCollection.update(collection=None)  # as a revision from before the set-up
    working_group_setup(working_group=type(cumbria).objects.get(pk=cumbria.pk))
    collection = type(cumbria).objects.get(pk=cumbria.pk).collection
    revision.publish()
    assert type(cumbria).objects.get(pk=cumbria.pk).collection == collection


@pytest.mark.parametrize("collection_of", ["cumbria", "working groups"])
def test_the_groups_collection_privacy_cannot_be_changed_in_the_admin(admin_client, cumbria, collection_of):
    collection = cumbria.collection if collection_of == "cumbria" else cumbria.collection.get_parent()
    url = f"/admin/collections/{collection.pk}/privacy/"
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "cannot be changed here" in response.content.decode()
    response = admin_client.post(url, {"restriction_type": "none"})
    assert "cannot be changed here" in response.content.decode()
    assert restriction_groups(cumbria.collection) == {cumbria.members_group, cumbria.coordinators_group}


def test_other_collections_privacy_is_still_wagtails(admin_client, cumbria):
    from portal.roles import public_documents_collection

    response = admin_client.get(f"/admin/collections/{public_documents_collection().pk}/privacy/")
    assert response.status_code == 200
    assert "cannot be changed here" not in response.content.decode()


def test_the_collection_privacy_screen_is_for_the_admin_only(client, cumbria):
    coordinator = make_member(cumbria, role="coordinator")
    client.force_login(coordinator)
    response = client.get(f"/admin/collections/{Collection.get_first_root_node().pk}/privacy/")
    assert response.status_code in (302, 403)


# Public documents


def test_editors_keep_public_documents_in_their_own_collection(home_page):
    editors_setup()
    editor = make_editor()
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(Document)
    assert [c.name for c in policy.collections_user_has_permission_for(editor, "add")] == ["Public documents"]


# The signal


@pytest.fixture
def heard():
    """Every document the documents service announces (to the notifications service)."""
    events = []
    original = documents_services.notify_document_added

    def listener(*, document, working_group, actor):
        events.append((document.pk, working_group.pk, actor))
        return original(document=document, working_group=working_group, actor=actor)

    with mock.patch("groups.documents.services.notify_document_added", side_effect=listener):
        yield events


def test_a_document_added_to_a_group_is_announced_once(cumbria, heard):
    coordinator = make_member(cumbria, role="coordinator")
    document = make_document(collection=cumbria.collection, uploaded_by=coordinator)
    document.title = "Renamed"
    document.save()
    assert heard == [(document.pk, cumbria.pk, coordinator)]


def test_public_documents_are_not_announced(home_page, heard):
    from portal.roles import public_documents_collection

    make_document(collection=public_documents_collection())
    assert heard == []


def test_a_document_moved_into_a_group_is_announced_there(cumbria, yorkshire, heard):
    from portal.roles import public_documents_collection

    document = make_document(collection=public_documents_collection())
    document.collection = cumbria.collection
    document.save()
    document.collection = yorkshire.collection
    document.save()
    assert heard == [(document.pk, cumbria.pk, None), (document.pk, yorkshire.pk, None)]


@pytest.mark.parametrize("path", ["single", "multiple"])
def test_admin_uploads_announce_each_document_once(client, cumbria, heard, path):
    coordinator = make_member(cumbria, role="coordinator")
    client.force_login(coordinator)
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile("report.pdf", sample_files.PDF)
    if path == "single":
        client.post("/admin/documents/add/", {"title": "Report", "file": file})
    else:
        client.post("/admin/documents/multiple/add/", {"files[]": file})
        document = Document.objects.get()
        # The multiple uploader then saves the title and tags the person types.
        prefix = f"doc-{document.pk}"
        client.post(f"/admin/documents/multiple/{document.pk}/", {f"{prefix}-title": "Report", f"{prefix}-tags": ""})
    document = Document.objects.get()
    assert heard == [(document.pk, cumbria.pk, coordinator)]


# The members' list


def test_members_see_their_groups_documents_newest_first(client, cumbria, yorkshire, signed_in_member):
    import time_machine

    with time_machine.travel("2026-03-01 10:00 +00:00"):
        make_document(collection=cumbria.collection, title="Terms of reference", filename="terms.pdf")
    with time_machine.travel("2026-05-01 10:00 +00:00"):
        make_document(collection=cumbria.collection, title="Trend figures", filename="figures.csv", content=b"a,b\n")
    make_document(collection=yorkshire.collection, title="Yorkshire only")
    response = client.get("/members/cumbria/documents/")
    assert response.status_code == 200
    rows = [" ".join(row.get_text(" ").split()) for row in soup(response).select("tbody tr")]
    assert rows[0].startswith("Trend figures (CSV, 4 bytes) CSV 4 bytes 1 May 2026")
    assert rows[1].startswith("Terms of reference (PDF,")
    assert len(rows) == 2
    assert "Yorkshire only" not in response.content.decode()
    link = soup(response).select_one("tbody a")
    assert link["href"].startswith("/documents/")


def test_the_list_is_in_the_groups_navigation(client, cumbria, signed_in_member):
    response = client.get("/members/cumbria/documents/")
    current = soup(response).select_one('nav a[aria-current="page"]')
    assert current.get_text(strip=True) == "Documents"
    assert 'href="/members/cumbria/documents/"' in client.get(cumbria.url).content.decode()


def test_an_empty_list_says_so(client, cumbria, signed_in_member):
    assert "No documents have been added to this group yet." in main_text(client.get("/members/cumbria/documents/"))


def test_coordinators_are_told_where_to_add_documents_and_to_use_documents_for_images(client, cumbria):
    coordinator = make_member(cumbria, role="coordinator")
    client.force_login(coordinator)
    response = client.get("/members/cumbria/documents/")
    text = main_text(response)
    assert "put it into a PDF or a Word document" in text
    assert "Images uploaded to the site are public" in text
    assert f"/admin/documents/multiple/add/?collection_id={cumbria.collection_id}" in response.content.decode()


def test_members_are_not_shown_the_admin_link(client, cumbria, signed_in_member):
    assert "/admin/documents/" not in client.get("/members/cumbria/documents/").content.decode()


def test_the_list_is_paginated(client, cumbria, signed_in_member):
    for n in range(30):
        make_document(collection=cumbria.collection, title=f"Document {n:02}", filename=f"d{n}.pdf")
    first = client.get("/members/cumbria/documents/")
    second = client.get("/members/cumbria/documents/?page=2")
    assert len(soup(first).select("tbody tr")) == 25
    assert len(soup(second).select("tbody tr")) == 5
    assert "Page 2 of 2" in main_text(second)
    assert client.get("/members/cumbria/documents/?page=x").status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_the_lists_query_count_does_not_grow_with_the_documents(
    client, cumbria, signed_in_member, count, django_assert_max_num_queries
):
    for n in range(count):
        make_document(collection=cumbria.collection, title=f"Document {n}", filename=f"d{n}.pdf")
    with django_assert_max_num_queries(20):  # the same for 3 and 30 documents
        response = client.get("/members/cumbria/documents/")
    assert len(soup(response).select("tbody tr")) == min(count, 25)


def test_the_selector_includes_collections_beneath_the_groups(cumbria):
    child = cumbria.collection.add_child(instance=Collection(name="Archive"))
    document = make_document(collection=child)
    assert list(group_documents(working_group=cumbria)) == [document]
