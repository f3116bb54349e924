"""Security matrix rows S03 and S04: sessions end when idle, at an absolute limit, and on revocation."""

import time

import pytest

from django.conf import settings

from tests.accounts import make_account, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, home_page):
    user, secret = make_account(is_staff=True, is_superuser=True)
    sign_in(client, user, secret)
    return user


def test_idle_timeout_is_thirty_minutes_renewed_by_each_request():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_active_session_ends_at_the_absolute_limit(client, signed_in):
    assert client.get("/admin/").status_code == 200
    session = client.session
    session["portal_signed_in_at"] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_session_within_the_absolute_limit_continues(client, signed_in):
    session = client.session
    session["portal_signed_in_at"] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS + 60
    session.save()
    assert client.get("/admin/").status_code == 200


def test_deactivated_account_loses_access_at_the_next_request(client, signed_in):
    signed_in.is_active = False
    signed_in.save()
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_password_change_ends_the_other_sessions(client, signed_in, home_page):
    from django.test import Client

    from tests.accounts import PASSWORD

    other = Client()
    other.force_login(signed_in)
    assert other.get("/admin/").status_code == 200

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "a brand new passphrase", "password2": "a brand new passphrase"},
    )

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert other.get("/admin/").status_code == 302
