"""Role changes are recorded for administrators, and coordinators find the invitation pages."""

import pytest

from wagtail.models import ModelLogEntry

from groups.membership.services import membership_change_role, membership_suspend
from tests.factories import make_member
from tests.html import soup

pytestmark = pytest.mark.django_db


def test_membership_changes_are_in_the_audit_log(cumbria):
    user = make_member(cumbria)
    membership = user.memberships.get()
    membership_change_role(membership=membership, role="coordinator")
    membership_suspend(membership=membership)

    actions = list(
        ModelLogEntry.objects.filter(object_id=str(user.pk)).order_by("timestamp").values_list("action", flat=True)
    )
    assert actions == ["portal.membership_added", "portal.membership_role_changed", "portal.membership_suspended"]
    assert ModelLogEntry.objects.filter(action="portal.membership_suspended").get().data["status"] == "suspended"


@pytest.mark.parametrize(("role", "sees_link"), [("member", False), ("coordinator", True)])
def test_only_coordinators_see_the_invitation_links(client, cumbria, role, sees_link):
    client.force_login(make_member(cumbria, role=role))
    page = soup(client.get(f"{cumbria.url}people/"))
    assert (page.find("a", string="Invite someone") is not None) is sees_link


def test_recovery_codes_page_has_a_way_on(client, home_page):
    from tests.accounts import make_account, sign_in

    user, secret = make_account()
    sign_in(client, user, secret)
    client.post("/accounts/2fa/recovery-codes/generate/")
    page = soup(client.get("/accounts/2fa/recovery-codes/"))
    assert page.find("form", action="/accounts/2fa/recovery-codes/saved/").find("button", string="Continue")
