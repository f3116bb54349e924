"""Security matrix rows L01 and L02: security events are recorded, never with secrets, never forgeable."""

import logging

import pytest

from wagtail.models import ModelLogEntry

from portal.logging import EscapingFormatter
from tests.accounts import PASSWORD, make_account, totp_code

pytestmark = pytest.mark.django_db


def actions_for(user):
    return list(ModelLogEntry.objects.filter(object_id=str(user.pk)).values_list("action", flat=True))


def test_sign_in_and_out_are_recorded_for_administrators(client, home_page, caplog):
    user, secret = make_account()
    with caplog.at_level(logging.INFO, logger="portal.security"):
        client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
        client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
        client.post("/accounts/logout/")

    assert sorted(actions_for(user)) == ["portal.login", "portal.logout"]
    lines = [r.getMessage() for r in caplog.records if r.name == "portal.security"]
    assert any(
        line.startswith(f"portal.login user={user.pk} ip=127.0.0.1 route=/accounts/2fa/authenticate/") for line in lines
    )


def test_failed_password_and_code_are_recorded_without_what_was_typed(client, home_page, caplog):
    user, secret = make_account()
    with caplog.at_level(logging.DEBUG):
        client.post("/accounts/login/", {"login": user.email, "password": "guess-one-two-three"})
        client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
        client.post("/accounts/2fa/authenticate/", {"code": "000000"})

    assert {"portal.login_failed", "portal.mfa_failed"} <= set(actions_for(user))
    text = "\n".join(record.getMessage() for record in caplog.records) + repr(
        list(ModelLogEntry.objects.values_list("data", flat=True))
    )
    for secret_value in ("guess-one-two-three", PASSWORD, "000000", secret, client.cookies.get("sessionid", "")):
        if secret_value:
            assert str(secret_value) not in text


def test_failed_sign_in_for_an_unknown_address_is_logged_as_anonymous(client, home_page, caplog):
    with caplog.at_level(logging.INFO, logger="portal.security"):
        client.post("/accounts/login/", {"login": "nobody@example.org", "password": "whatever it is"})
    assert any(r.getMessage().startswith("portal.login_failed user=anonymous") for r in caplog.records)


def test_lockout_is_recorded(client, home_page, caplog):
    user, _ = make_account()
    with caplog.at_level(logging.INFO, logger="portal.security"):
        for _ in range(6):
            client.post("/accounts/login/", {"login": user.email, "password": "wrong password"})
    assert any(r.getMessage().startswith("portal.lockout") for r in caplog.records)


def test_authenticator_changes_are_recorded(client, home_page, django_capture_on_commit_callbacks):
    user, _ = make_account(mfa=False)
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    secret = page.context["form"].secret
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    assert "portal.mfa_added" in actions_for(user)


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("/path\nFAKE 200 OK", "/path\\nFAKE 200 OK"),
        ("agent\r\nInjected: yes", "agent\\r\\nInjected: yes"),
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
        ("line\u2028separator", "line\\u2028separator"),
    ],
)
def test_log_lines_escape_control_characters(raw, escaped):
    formatter = EscapingFormatter("%(levelname)s %(message)s")
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s", (raw,), None)
    line = formatter.format(record)
    assert line == f"WARNING Not Found: {escaped}"
    assert "\n" not in line and "\x1b" not in line
