"""An invitation brings back a membership and nothing else (C14).

A deactivated account keeps no way in (authenticators, recovery codes, sessions), and
accepting an invitation never restores the rights it had beyond a membership: an
administrator's, a staff account's or an editor's account is refused unless an
administrator sent the invitation, and then comes back without those rights.
"""

from importlib import import_module

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client

from wagtail.models import ModelLogEntry

from groups.membership.services import InvitationError, invitation_accept, invitation_create, membership_leave
from groups.models import Invitation, Membership
from portal.roles import EDITORS_GROUP_NAME
from tests.accounts import PASSWORD, make_account, sign_in, totp_code
from tests.factories import make_administrator, make_member

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "quiet harbour lantern 42"
FORMER = "former.admin@example.org"
MFA_SETUP_URL = "/accounts/2fa/totp/activate/"


def accept_url(token):
    return f"/invitation/{token}/"


def post_passwords(client, token):
    """Accept as a new account would: name, job title and the new password."""
    return client.post(
        accept_url(token),
        {
            "first_name": "Robin",
            "last_name": "Former",
            "job_title": "Safeguarding lead",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )


def make_privileged(kind):
    """A signed-up account with an authenticator, recovery codes and the rights of `kind`."""
    fields = {"administrator": {"is_superuser": True, "is_staff": True}, "staff": {"is_staff": True}}.get(kind, {})
    user, secret = make_account(FORMER, **fields)
    if kind == "editor":
        user.groups.add(Group.objects.get(name=EDITORS_GROUP_NAME))
    RecoveryCodes.activate(user)
    return user, secret


def signed_in_client(user, secret):
    client = Client()
    sign_in(client, user, secret)
    return client


def session_alive(client):
    """Whether the session `client` holds still exists (whatever the pages then say)."""
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    return import_module(settings.SESSION_ENGINE).SessionStore().exists(key)


def deactivate(user):
    user.is_active = False
    user.save()


@pytest.fixture
def coordinator(cumbria):
    return make_member(cumbria, role="coordinator", username="coordinator")


def invite(cumbria, police, invited_by):
    return invitation_create(
        working_group=cumbria, email=FORMER, organisation=police, role=Membership.Role.MEMBER, invited_by=invited_by
    )


PRIVILEGED = ["administrator", "staff", "editor"]


@pytest.mark.parametrize("kind", PRIVILEGED)
def test_a_coordinators_invitation_does_not_bring_back_a_privileged_account(client, cumbria, police, coordinator, kind):
    user, _ = make_privileged(kind)
    # Invited while still active (a coordinator may invite any address), then switched off.
    _, token = invite(cumbria, police, coordinator)
    deactivate(user)

    page = client.get(accept_url(token))
    assert page.status_code == 200
    html = page.content.decode()
    assert "An administrator needs to restore your account" in html
    assert 'name="password1"' not in html
    response = post_passwords(client, token)
    assert "An administrator needs to restore your account" in response.content.decode()

    user.refresh_from_db()
    assert not user.is_active
    assert not user.check_password(NEW_PASSWORD)
    assert not Membership.objects.filter(user=user).exists()
    assert Invitation.objects.get().status == Invitation.Status.PENDING
    # And the old authenticator opens nothing.
    client.post("/accounts/login/", {"login": FORMER, "password": PASSWORD})
    assert not client.session.get("_auth_user_id")
    assert client.get("/admin/users/").status_code == 302


@pytest.mark.parametrize("kind", PRIVILEGED)
def test_the_service_refuses_too(cumbria, police, coordinator, kind):
    user, _ = make_privileged(kind)
    invitation, _ = invite(cumbria, police, coordinator)
    deactivate(user)
    with pytest.raises(InvitationError) as error:
        invitation_accept(invitation=invitation, password=NEW_PASSWORD)
    assert error.value.code == "privileged"
    user.refresh_from_db()
    assert not user.is_active


def test_a_coordinator_is_told_politely_when_inviting_a_deactivated_administrator(client, cumbria, police, coordinator):
    user, _ = make_privileged("administrator")
    deactivate(user)
    client.force_login(coordinator)
    response = client.post(
        f"/members/{cumbria.slug}/invitations/new/", {"email": FORMER, "organisation": police.pk, "role": "member"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "only an administrator can switch back on" in html
    assert f'value="{FORMER}"' in html  # what was typed is kept
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("kind", PRIVILEGED)
def test_an_administrators_invitation_brings_it_back_without_its_rights(client, cumbria, yorkshire, police, kind):
    user, secret = make_privileged(kind)
    old_session = signed_in_client(user, secret)
    _, token = invite(cumbria, police, make_administrator())
    deactivate(user)

    response = post_passwords(client, token)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active
    assert (user.is_superuser, user.is_staff) == (False, False)
    assert not user.user_permissions.exists()
    assert set(user.groups.values_list("pk", flat=True)) == {cumbria.members_group_id}
    assert not Authenticator.objects.filter(user=user).exists()

    # The new session must set up a new authenticator before anything else.
    assert client.get("/members/").headers["Location"].startswith(MFA_SETUP_URL)
    # The old session is gone.
    assert not session_alive(old_session)
    assert old_session.get("/admin/users/").status_code == 302
    assert old_session.get(cumbria.url).status_code == 302
    # The old authenticator does not work: signing in with the new password leads to
    # setting one up, never to the old code's challenge.
    fresh = Client()
    response = fresh.post("/accounts/login/", {"login": FORMER, "password": NEW_PASSWORD})
    assert "/accounts/2fa/authenticate/" not in response.headers.get("Location", "")
    fresh.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    for url in ("/admin/users/", "/admin/settings/home/portalsettings/", yorkshire.url):
        assert fresh.get(url).status_code in (302, 404)


def test_deactivating_drops_authenticators_recovery_codes_and_sessions(cumbria):
    user, secret = make_privileged("administrator")
    old_session = signed_in_client(user, secret)
    assert old_session.get("/admin/").status_code == 200
    assert Authenticator.objects.filter(user=user).count() == 2  # the app and the recovery codes

    deactivate(user)
    assert not Authenticator.objects.filter(user=user).exists()
    assert not session_alive(old_session)
    # Switched back on by hand (as the admin's user screen does): the old session stays dead.
    user.is_active = True
    user.save()
    assert old_session.get("/admin/").status_code == 302


def test_a_reactivated_leaver_keeps_no_old_authenticator_or_session(client, cumbria, police, coordinator):
    user, secret = make_account(FORMER)
    make_member(cumbria, user=user)
    old_session = signed_in_client(user, secret)
    assert old_session.get(cumbria.url).status_code == 200
    membership_leave(membership=user.memberships.get())
    _, token = invite(cumbria, police, coordinator)
    user.refresh_from_db()
    assert not user.is_active
    assert not Authenticator.objects.filter(user=user).exists()

    assert post_passwords(client, token).status_code == 302
    user.refresh_from_db()
    assert user.is_active
    assert not Authenticator.objects.filter(user=user).exists()
    assert client.get("/members/").headers["Location"].startswith(MFA_SETUP_URL)
    assert not session_alive(old_session)
    assert old_session.get(cumbria.url).status_code == 302


def test_sessions_begun_outside_allauth_are_ended_too(cumbria):
    user, _ = make_account(FORMER)
    make_member(cumbria, user=user)
    old_session = Client()
    old_session.force_login(user)  # Django's own login: not in allauth's session list
    assert old_session.get(cumbria.url).status_code == 200
    membership_leave(membership=user.memberships.get())
    assert not session_alive(old_session)


def test_the_admins_bulk_switch_drops_ways_in_and_records_it(client, cumbria):
    """The users listing's "Set active state" goes the way of the user editor's box:
    switched off, nothing old opens anything, and back on, still nothing (C14)."""
    user, secret = make_account(FORMER)
    make_member(cumbria, user=user)
    old_session = signed_in_client(user, secret)
    assert old_session.get(cumbria.url).status_code == 200
    administrator = make_administrator()
    client.force_login(administrator)
    url = f"/admin/bulk/auth/user/set_active_state/?id={user.pk}&id={administrator.pk}&next=/admin/users/"
    assert client.get(url).status_code == 200

    assert client.post(url, {"mark_as_active": "False"}).status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    assert not Authenticator.objects.filter(user=user).exists()
    assert not session_alive(old_session)
    assert ModelLogEntry.objects.filter(action="portal.account_deactivated", object_id=str(user.pk)).exists()
    administrator.refresh_from_db()
    assert administrator.is_active  # nobody switches themselves off

    assert client.post(url, {"mark_as_active": "True"}).status_code == 302
    user.refresh_from_db()
    assert user.is_active
    assert not Authenticator.objects.filter(user=user).exists()
    assert ModelLogEntry.objects.filter(action="portal.account_reactivated", object_id=str(user.pk)).exists()
    assert old_session.get(cumbria.url).status_code == 302
