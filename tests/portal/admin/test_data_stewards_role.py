"""The Data stewards role: a site-wide Django group with the admin and nothing more, given
by administrators only (coordinators, editors and stewards cannot grant it, through the
user or the group screens), and the one group whose members approve trend summaries."""

import pytest

from django.contrib.auth.models import Group

from wagtail.models import Workflow

from groups.models import TrendSummaryApprovalTask
from portal.roles import DATA_STEWARDS_GROUP_NAME, is_data_steward
from tests.factories import UserFactory, make_data_steward, make_trend_summary, with_authenticator

pytestmark = pytest.mark.django_db


@pytest.fixture
def stewards():
    return Group.objects.get(name=DATA_STEWARDS_GROUP_NAME)


def test_the_role_may_use_the_admin_and_nothing_more(stewards):
    permissions = {f"{p.content_type.app_label}.{p.codename}" for p in stewards.permissions.all()}
    assert permissions == {"wagtailadmin.access_admin"}
    assert not stewards.page_permissions.exists()
    assert not stewards.collection_permissions.exists()


def test_trend_summaries_use_the_approval_workflow_of_the_stewards(stewards, cumbria, members_area):
    workflow = Workflow.objects.get(name="Trend summary approval")
    (task,) = workflow.tasks.specific()
    assert isinstance(task, TrendSummaryApprovalTask)
    assert list(task.groups.all()) == [stewards]
    for parent in (cumbria, members_area):
        assert make_trend_summary(parent, publish=False).get_workflow() == workflow
    assert cumbria.get_workflow() != workflow  # the group's other pages keep theirs


def user_edit_data(user, groups):
    return {
        "username": user.username,
        "email": user.email,
        "first_name": "Pat",
        "last_name": "Person",
        "is_active": "on",
        "groups": [group.pk for group in groups],
    }


@pytest.mark.parametrize("persona", ["coordinator", "editor", "steward"])
def test_only_administrators_make_someone_a_steward(client, personas, stewards, persona):
    actor = make_data_steward() if persona == "steward" else personas[persona]
    target = with_authenticator(UserFactory())
    client.force_login(actor)

    for url in (f"/admin/users/edit/{target.pk}/", f"/admin/groups/edit/{stewards.pk}/", "/admin/groups/"):
        assert client.get(url).status_code in (302, 403, 404), url
    client.post(f"/admin/users/edit/{target.pk}/", user_edit_data(target, [stewards]))
    client.post(f"/admin/groups/edit/{stewards.pk}/", {"name": DATA_STEWARDS_GROUP_NAME, "permissions": []})
    # A coordinator or editor cannot make themselves one either.
    client.post(f"/admin/users/edit/{actor.pk}/", user_edit_data(actor, [stewards]))

    target.refresh_from_db()
    assert not is_data_steward(target)
    assert is_data_steward(actor) == (persona == "steward")
    assert stewards.permissions.filter(codename="access_admin").exists()


def test_an_administrator_makes_someone_a_steward(client, personas, stewards):
    target = with_authenticator(UserFactory())
    client.force_login(personas.administrator)
    response = client.post(f"/admin/users/edit/{target.pk}/", user_edit_data(target, [stewards]))
    assert response.status_code == 302
    assert is_data_steward(target)
