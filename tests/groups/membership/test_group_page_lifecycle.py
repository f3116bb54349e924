"""A coordinator cannot take their group (or the members' area) offline, by any route (C15).

They edit and publish their group's page, but its name, address, region and schedule
are the administrators', and so are unpublishing, moving, deleting and copying it.
Each route of the admin is tried as the coordinator; the group must stay where it was,
live, with no expiry, and its members must still reach it after scheduled publishing
has run.
"""

import datetime

import pytest
import time_machine

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowPage, WorkflowTask
from wagtail.test.utils.form_data import nested_form_data

from groups.models import MembersAreaIndexPage, WorkingGroupPage

pytestmark = pytest.mark.django_db

FORMAT = "%Y-%m-%d %H:%M"


def soon(**delta):
    return timezone.localtime(timezone.now() + datetime.timedelta(**delta)).strftime(FORMAT)


def edit_data(page, **fields):
    data = {"title": page.title, "slug": page.slug, "introduction": "Our work this year.", **fields}
    if isinstance(page, WorkingGroupPage):
        data.setdefault("region", page.region)
    return nested_form_data(data)


def group_is_intact(page, *, member=None):
    """The page is where it was, live, named as before and set to expire never."""
    before = page
    page = Page.objects.get(pk=before.pk).specific
    assert page.live
    assert (page.title, page.slug, page.url_path, page.expire_at) == (before.title, before.slug, before.url_path, None)
    assert not page.revisions.filter(approved_go_live_at__isnull=False).exists()
    if member is not None:
        # Scheduled publishing, a day later, changes nothing either: the members still get in.
        with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
            call_command("publish_scheduled")
            assert Page.objects.get(pk=page.pk).live
            client = Client()
            client.force_login(member)
            assert client.get(page.url).status_code == 200
    return page


@pytest.fixture
def coordinator_client(client, personas):
    client.force_login(personas.coordinator)
    return client


@pytest.fixture
def pages(cumbria, members_area):
    return {"group page": cumbria, "members' area": members_area}


# The edit form: expiry, scheduling, renaming, the region, reverting to an old revision


@pytest.mark.parametrize(
    "fields",
    [
        {"expire_at": soon(hours=1), "action-publish": "1"},
        {"expire_at": soon(hours=1)},  # a draft, published later by someone else
        {"go_live_at": soon(hours=1), "action-publish": "1"},  # a scheduled revision
        {"title": "Closed", "slug": "closed", "action-publish": "1"},
        {"region": "yorkshire", "action-publish": "1"},
    ],
    ids=["expire", "expire in a draft", "schedule", "rename", "change region"],
)
def test_the_edit_form_keeps_the_group_pages_name_address_and_schedule(coordinator_client, cumbria, personas, fields):
    response = coordinator_client.post(f"/admin/pages/{cumbria.pk}/edit/", edit_data(cumbria, **fields))
    assert response.status_code == 302
    page = group_is_intact(cumbria, member=personas.member)
    assert page.region == "cumbria"
    # Whatever the latest revision holds is what publishing it would put live.
    latest = page.get_latest_revision_as_object()
    assert latest.introduction == "Our work this year."  # their content is saved
    assert latest.region == "cumbria"
    assert (latest.title, latest.slug, latest.expire_at, latest.go_live_at) == (cumbria.title, cumbria.slug, None, None)


def test_the_form_shows_those_fields_as_the_administrators(coordinator_client, cumbria):
    html = coordinator_client.get(f"/admin/pages/{cumbria.pk}/edit/").content.decode()
    assert html.count("Only administrators can change this.") == 5


def test_reverting_to_an_old_revision_keeps_them_too(coordinator_client, cumbria, personas):
    # An old revision, from before the group was renamed, with an expiry in it.
    old = WorkingGroupPage.objects.get(pk=cumbria.pk)
    old.title, old.slug, old.expire_at = "Old name", "old-name", timezone.now() + datetime.timedelta(hours=1)
    revision = old.save_revision(user=personas.administrator)
    response = coordinator_client.get(f"/admin/pages/{cumbria.pk}/revisions/{revision.pk}/revert/")
    assert response.status_code == 200
    response = coordinator_client.post(
        f"/admin/pages/{cumbria.pk}/edit/",
        edit_data(cumbria, title="Old name", slug="old-name", expire_at=soon(hours=1), is_reverting="1")
        | {"action-publish": "1", "revision": str(revision.pk)},
    )
    assert response.status_code == 302
    group_is_intact(cumbria, member=personas.member)


def test_a_workflow_publishes_no_expiry_either(coordinator_client, cumbria, personas):
    task = GroupApprovalTask.objects.create(name="Coordinator review")
    task.groups.set([cumbria.coordinators_group])
    workflow = Workflow.objects.create(name="Review")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=cumbria)

    response = coordinator_client.post(
        f"/admin/pages/{cumbria.pk}/edit/", edit_data(cumbria, expire_at=soon(hours=1), **{"action-submit": "1"})
    )
    assert response.status_code == 302
    state = Page.objects.get(pk=cumbria.pk).specific.current_workflow_state
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, personas.coordinator, "approve")
    group_is_intact(cumbria, member=personas.member)


# The views that take a page away


def admin_requests(page, destination):
    pk = page.pk
    return [
        ("get", f"/admin/pages/{pk}/unpublish/", {}),
        ("post", f"/admin/pages/{pk}/unpublish/", {}),
        ("get", f"/admin/pages/{pk}/delete/", {}),
        ("post", f"/admin/pages/{pk}/delete/", {}),
        ("get", f"/admin/pages/{pk}/move/", {}),
        ("get", f"/admin/pages/{pk}/move/{destination.pk}/", {}),
        ("post", f"/admin/pages/{pk}/move/{destination.pk}/", {}),
        ("get", f"/admin/pages/{pk}/copy/", {}),
        ("post", f"/admin/pages/{pk}/copy/", {"new_title": "Copy", "new_slug": "copy", "new_parent_page": pk}),
        ("get", f"/admin/bulk/wagtailcore/page/unpublish/?id={pk}", {}),
        ("post", f"/admin/bulk/wagtailcore/page/unpublish/?id={pk}", {}),
        ("get", f"/admin/bulk/wagtailcore/page/delete/?id={pk}", {}),
        ("post", f"/admin/bulk/wagtailcore/page/delete/?id={pk}", {}),
        ("post", f"/admin/bulk/wagtailcore/page/move/?id={pk}", {"chooser": destination.pk}),
        ("post", f"/admin/api/main/pages/{pk}/action/unpublish/", {}),
        ("post", f"/admin/api/main/pages/{pk}/action/delete/", {}),
        ("post", f"/admin/api/main/pages/{pk}/action/move/", {"destination_page_id": destination.pk}),
        ("post", f"/admin/api/main/pages/{pk}/action/copy/", {"destination_page_id": pk}),
    ]


@pytest.mark.parametrize("which", ["group page", "members' area"])
def test_no_admin_view_unpublishes_deletes_moves_or_copies_it(
    coordinator_client, personas, pages, home_page, cumbria, which
):
    page = pages[which]
    destination = cumbria if page is not cumbria else home_page
    count = Page.objects.count()
    for method, url, data in admin_requests(page, destination):
        if "/api/" in url:
            response = coordinator_client.post(url, data, content_type="application/json")
        else:
            response = getattr(coordinator_client, method)(url, data)
        # A confirmation page may be shown (a bulk action's lists what may not be done).
        allowed = (200, 302, 403, 404) if method == "get" else (302, 403, 404)
        assert response.status_code in allowed, (method, url, response.status_code)
        if response.status_code == 302:
            assert f"/admin/pages/{page.pk}/" not in response["Location"] or method == "get", (method, url)
        group_is_intact(page)
    assert Page.objects.count() == count
    group_is_intact(cumbria, member=personas.member)


@pytest.mark.parametrize("which", ["group page", "members' area"])
def test_nor_do_the_page_permissions(personas, pages, home_page, cumbria, which):
    permissions = pages[which].permissions_for_user(personas.coordinator)
    assert not permissions.can_unpublish()
    assert not permissions.can_delete()
    assert not permissions.can_move()
    assert not permissions.can_copy()
    assert not permissions.can_set_view_restrictions()


# Administrators still can


def test_administrators_still_rename_schedule_and_unpublish(client, personas, cumbria):
    client.force_login(personas.administrator)
    expiry = soon(hours=1)
    response = client.post(
        f"/admin/pages/{cumbria.pk}/edit/",
        edit_data(cumbria, title="Cumbria and Lancashire working group", expire_at=expiry, **{"action-publish": "1"}),
    )
    assert response.status_code == 302
    page = WorkingGroupPage.objects.get(pk=cumbria.pk)
    assert page.title == "Cumbria and Lancashire working group"
    assert timezone.localtime(page.expire_at).strftime(FORMAT) == expiry
    assert "Only administrators" not in client.get(f"/admin/pages/{cumbria.pk}/edit/").content.decode()
    assert client.post(f"/admin/pages/{cumbria.pk}/unpublish/").status_code == 302
    assert not WorkingGroupPage.objects.get(pk=cumbria.pk).live
    assert MembersAreaIndexPage.objects.get().permissions_for_user(personas.administrator).can_unpublish()
