"""Signing in: by email through allauth only, in two steps when MFA is set up, with fresh session keys."""

import re

import pytest

from django.conf import settings

from tests.accounts import PASSWORD, make_account, totp_code

pytestmark = pytest.mark.django_db


def session_user_id(client):
    return client.session.get("_auth_user_id")


def test_password_alone_does_not_sign_in_an_mfa_account(client, home_page):
    user, _ = make_account()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert session_user_id(client) is None
    assert client.get("/admin/").status_code == 302


def test_password_and_code_sign_in(client, home_page):
    user, secret = make_account(is_staff=True, is_superuser=True)
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert session_user_id(client) == str(user.pk)
    assert client.get("/admin/").status_code == 200


def test_wrong_code_does_not_sign_in(client, home_page):
    user, secret = make_account()
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    wrong = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/2fa/authenticate/", {"code": wrong})
    assert response.status_code == 200
    assert session_user_id(client) is None


def test_session_key_changes_at_each_step(client, home_page):
    """Security matrix row S01: no session fixation."""
    user, secret = make_account()
    client.get("/accounts/login/")
    client.session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    after_password = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    after_mfa = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert len({before, after_password, after_mfa}) == 3


@pytest.mark.parametrize("method", ["get", "post"])
def test_admin_login_never_creates_a_session(client, home_page, method):
    """Security matrix row A08: the Wagtail login is only a redirect to allauth."""
    user, _ = make_account(is_staff=True, is_superuser=True)
    response = getattr(client, method)("/admin/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert session_user_id(client) is None


def test_admin_sends_visitors_to_the_allauth_sign_in(client, home_page):
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/admin/pages/")


def test_usernames_are_not_a_way_in(client, home_page):
    user, _ = make_account()
    response = client.post("/accounts/login/", {"login": user.username, "password": PASSWORD})
    assert response.status_code == 200
    assert session_user_id(client) is None


def test_unknown_and_known_emails_get_the_same_answer(client, home_page):
    """Security matrix row A04: a wrong password says nothing about whether the account exists."""
    make_account("known@example.org")
    known = client.post("/accounts/login/", {"login": "known@example.org", "password": "wrong password!"})
    unknown = client.post("/accounts/login/", {"login": "nobody@example.org", "password": "wrong password!"})
    assert known.status_code == unknown.status_code == 200

    def comparable(response, email):
        html = response.content.decode().replace(email, "EMAIL")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert comparable(known, "known@example.org") == comparable(unknown, "nobody@example.org")


def test_logout_needs_a_post_and_ends_the_session_on_the_server(client, home_page):
    """Security matrix row S02."""
    from django.contrib.sessions.models import Session

    user, secret = make_account()
    from tests.accounts import sign_in

    sign_in(client, user, secret)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.get("/accounts/logout/")
    assert Session.objects.filter(session_key=key).exists()
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()


def test_signup_is_closed(client, home_page, django_user_model):
    """Security matrix row A01: no way to create an account without an invitation."""
    count = django_user_model.objects.count()
    page = client.get("/accounts/signup/")
    response = client.post(
        "/accounts/signup/",
        {"email": "new@example.org", "password1": "a long passphrase here", "password2": "a long passphrase here"},
    )
    assert "Accounts are by invitation" in page.content.decode()
    assert "Accounts are by invitation" in response.content.decode()
    assert django_user_model.objects.count() == count
