"""Security matrix row A09: authenticator codes are single-use and short-lived; recovery codes are hashed."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

from tests.accounts import PASSWORD, make_account, totp_code

pytestmark = pytest.mark.django_db


def password_step(client, user):
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"


def test_a_code_cannot_be_used_twice(client, home_page):
    user, secret = make_account()
    code = totp_code(secret)
    password_step(client, user)
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    client.post("/accounts/logout/")

    password_step(client, user)
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_code_from_two_minutes_ago_is_refused(client, home_page):
    user, secret = make_account()
    password_step(client, user)
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret, at=time.time() - 120)})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_recovery_codes_are_single_use_and_not_stored_in_plain_text(client, home_page):
    user, _ = make_account()
    codes = RecoveryCodes.activate(user)
    stored = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    plain = codes.get_unused_codes()
    assert len(plain) >= 10
    assert not any(code in str(stored.data) for code in plain)

    password_step(client, user)
    assert client.post("/accounts/2fa/authenticate/", {"code": plain[0]}).status_code == 302
    client.post("/accounts/logout/")
    password_step(client, user)
    assert client.post("/accounts/2fa/authenticate/", {"code": plain[0]}).status_code == 200


def test_recovery_codes_are_shown_only_once(client, home_page):
    from tests.accounts import sign_in

    user, secret = make_account()
    codes = RecoveryCodes.activate(user).get_unused_codes()
    sign_in(client, user, secret)

    first = client.get("/accounts/2fa/recovery-codes/").content.decode()
    second = client.get("/accounts/2fa/recovery-codes/").content.decode()

    assert codes[0] in first
    assert not any(code in second for code in codes)
    assert "Generate new recovery codes" in second
