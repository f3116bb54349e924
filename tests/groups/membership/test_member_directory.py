"""The group's people page, and coordinators managing memberships from it (issue 4, items 6-7).

Who may open each URL is swept in test_access_matrix; this file covers what they see and
what each change does, including the rules that keep a group with a coordinator.
"""

import pytest

from wagtail.models import ModelLogEntry

from groups.models import Membership
from tests.factories import OrganisationFactory, make_member
from tests.html import main_text, soup

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(cumbria):
    return make_member(cumbria, role="coordinator", first_name="Casey", last_name="Cole")


@pytest.fixture
def health_member(cumbria):
    health = OrganisationFactory(name="North Cumbria Health", sector="health")
    return make_member(cumbria, organisation=health, first_name="Morgan", last_name="Moss")


def people_url(group):
    return f"{group.url}people/"


def manage_url(membership, action=""):
    return f"{people_url(membership.working_group)}{membership.pk}/{action + '/' if action else ''}"


def test_members_see_name_organisation_sector_and_role_without_manage_links(
    client, cumbria, health_member, coordinator
):
    client.force_login(health_member)
    response = client.get(people_url(cumbria))
    text = main_text(response)
    assert "Morgan Moss North Cumbria Health Health Member" in text
    assert "Casey Cole" in text and "Coordinator" in text
    assert soup(response).find("a", string="Invite someone") is None
    assert "Manage" not in text


def test_suspended_and_former_members_are_listed_only_where_they_should_be(client, cumbria, coordinator, health_member):
    suspended = make_member(cumbria, first_name="Sam", last_name="Suspended").memberships.get()
    left = make_member(cumbria, first_name="Lee", last_name="Left").memberships.get()
    Membership.objects.filter(pk=suspended.pk).update(status="suspended")
    Membership.objects.filter(pk=left.pk).update(status="left")

    client.force_login(health_member)
    member_view = main_text(client.get(people_url(cumbria)))
    assert "Sam Suspended" not in member_view and "Lee Left" not in member_view

    client.force_login(coordinator)
    coordinator_view = main_text(client.get(people_url(cumbria)))
    assert "Suspended Name Organisation Sector Role Manage Sam Suspended" in coordinator_view
    assert "Lee Left" not in coordinator_view


def test_a_coordinator_changes_a_role_and_the_audit_log_names_them(client, coordinator, health_member):
    membership = health_member.memberships.get()
    client.force_login(coordinator)
    response = client.post(manage_url(membership, "role"), {"role": "coordinator", "status": "left"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.role, membership.status) == ("coordinator", "active")  # extra fields ignored
    entry = ModelLogEntry.objects.get(action="portal.membership_role_changed", object_id=str(health_member.pk))
    assert entry.user_id == coordinator.pk


def test_an_unknown_role_is_a_clear_error_and_changes_nothing(client, coordinator, health_member):
    membership = health_member.memberships.get()
    client.force_login(coordinator)
    response = client.post(manage_url(membership, "role"), {"role": "administrator"})
    assert response.status_code == 400
    assert "Select a valid choice" in main_text(response)
    membership.refresh_from_db()
    assert membership.role == "member"


def test_suspend_then_reinstate(client, coordinator, health_member, cumbria):
    membership = health_member.memberships.get()
    client.force_login(coordinator)
    client.post(manage_url(membership, "suspend"))
    membership.refresh_from_db()
    assert membership.status == "suspended"
    client.force_login(health_member)
    assert client.get(cumbria.url).status_code == 404

    client.force_login(coordinator)
    client.post(manage_url(membership, "reinstate"))
    membership.refresh_from_db()
    assert membership.status == "active"
    client.force_login(health_member)
    assert client.get(cumbria.url).status_code == 200


def test_removing_asks_first_then_deactivates_someone_in_no_other_group(client, coordinator, health_member):
    membership = health_member.memberships.get()
    client.force_login(coordinator)
    confirm = client.get(manage_url(membership, "remove"))
    assert "Remove Morgan Moss from the group?" in main_text(confirm)
    membership.refresh_from_db()
    assert membership.status == "active"  # GET changes nothing

    response = client.post(manage_url(membership, "remove"))
    assert response.status_code == 302
    membership.refresh_from_db()
    health_member.refresh_from_db()
    assert membership.status == "left"
    assert not health_member.is_active  # deactivated, not deleted
    assert client.get(manage_url(membership)).status_code == 404  # no longer manageable


@pytest.mark.parametrize("action", ["role", "suspend", "remove"])
def test_a_coordinator_cannot_change_their_own_membership(client, coordinator, health_member, action):
    membership = coordinator.memberships.get()
    client.force_login(coordinator)
    response = client.post(manage_url(membership, action), {"role": "member"}, follow=True)
    assert "You cannot" in main_text(response)
    membership.refresh_from_db()
    assert (membership.role, membership.status) == ("coordinator", "active")


def test_the_only_coordinator_cannot_be_demoted_by_another_coordinator_once_alone(client, cumbria, coordinator):
    other = make_member(cumbria, role="coordinator")
    client.force_login(other)
    # Two coordinators: one may demote the other.
    client.post(manage_url(coordinator.memberships.get(), "role"), {"role": "member"})
    assert coordinator.memberships.get().role == "member"
    # Now `other` is the only one; an administrator may still change them, nobody else.
    from groups.membership.services import membership_change_role

    with pytest.raises(Exception, match="only one"):
        membership_change_role(membership=other.memberships.get(), role="member", actor=coordinator)


def test_another_groups_membership_id_finds_nothing(client, coordinator, yorkshire):
    outsider = make_member(yorkshire).memberships.get()
    client.force_login(coordinator)
    assert client.get(manage_url(outsider).replace("yorkshire", "cumbria")).status_code == 404
    for action in ["role", "suspend", "reinstate", "remove"]:
        response = client.post(manage_url(outsider, action).replace("yorkshire", "cumbria"), {"role": "coordinator"})
        assert response.status_code == 404
    outsider.refresh_from_db()
    assert (outsider.role, outsider.status) == ("member", "active")


def test_changes_need_post(client, coordinator, health_member):
    membership = health_member.memberships.get()
    client.force_login(coordinator)
    for action in ["role", "suspend", "reinstate"]:
        assert client.get(manage_url(membership, action)).status_code == 405
    membership.refresh_from_db()
    assert membership.status == "active"
