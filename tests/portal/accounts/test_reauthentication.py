"""Security matrix row A12: sensitive changes need a recent sign-in, and send a notice."""

import datetime

import pytest
import time_machine

from portal.models import OutboundEmail
from tests.accounts import PASSWORD, make_account, sign_in

pytestmark = pytest.mark.django_db

# Email and MFA changes are allowed within five minutes of signing in (or of
# re-authenticating), and ask for the password again after that; the password form
# always asks for the current password.


@pytest.fixture
def signed_in_at(client, home_page):
    start = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        user, secret = make_account()
        sign_in(client, user, secret)
    return user, start


def test_password_change_sends_a_security_notice(client, signed_in_at, django_capture_on_commit_callbacks):
    user, start = signed_in_at
    with (
        time_machine.travel(start + datetime.timedelta(seconds=60), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            "/accounts/password/change/",
            {"oldpassword": PASSWORD, "password1": "a new long passphrase", "password2": "a new long passphrase"},
        )
    assert response.status_code == 302
    notice = OutboundEmail.objects.get(to=[user.email])
    assert "password" in notice.subject.lower()
    assert "a new long passphrase" not in notice.body_text


def test_password_change_always_needs_the_current_password(client, signed_in_at):
    user, start = signed_in_at
    with time_machine.travel(start + datetime.timedelta(seconds=30), tick=False):
        response = client.post(
            "/accounts/password/change/",
            {
                "oldpassword": "not the password",
                "password1": "a new long passphrase",
                "password2": "a new long passphrase",
            },
        )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize("url", ["/accounts/2fa/totp/deactivate/", "/accounts/password/change/"])
def test_mfa_and_password_changes_within_five_minutes_need_no_password(client, signed_in_at, url):
    _, start = signed_in_at
    with time_machine.travel(start + datetime.timedelta(seconds=240), tick=False):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/accounts/2fa/totp/deactivate/"])
def test_mfa_changes_later_ask_for_the_password_again(client, signed_in_at, url):
    _, start = signed_in_at
    with time_machine.travel(start + datetime.timedelta(seconds=301), tick=False):
        response = client.get(url)
    assert response["Location"].startswith("/accounts/reauthenticate/")


NEW_EMAIL = {"action_add": "", "email": "new.address@example.org"}


def test_email_change_within_five_minutes_sends_a_code_to_the_new_address(
    client, signed_in_at, django_capture_on_commit_callbacks
):
    user, start = signed_in_at
    with (
        time_machine.travel(start + datetime.timedelta(seconds=240), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post("/accounts/email/", NEW_EMAIL)
    assert response.status_code == 302
    assert not response["Location"].startswith("/accounts/reauthenticate/")
    assert OutboundEmail.objects.filter(to=["new.address@example.org"]).exists()
    user.refresh_from_db()
    assert user.email == "sam@example.org"  # unchanged until the code is entered


def test_email_change_later_asks_for_the_password_again(client, signed_in_at):
    _, start = signed_in_at
    with time_machine.travel(start + datetime.timedelta(seconds=301), tick=False):
        response = client.post("/accounts/email/", NEW_EMAIL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
