"""Security matrix rows A02 and A03: password guessing is limited per account and per address."""

import pytest

from tests.accounts import PASSWORD, make_account

pytestmark = pytest.mark.django_db


def attempt(client, email, password, **headers):
    return client.post("/accounts/login/", {"login": email, "password": password}, **headers)


def test_sixth_wrong_password_is_refused_and_so_is_the_right_one(client, home_page):
    user, _ = make_account()
    for _ in range(5):
        assert attempt(client, user.email, "not the password").status_code == 200
    assert attempt(client, user.email, "not the password").status_code == 429
    assert attempt(client, user.email, PASSWORD).status_code == 429


def test_rotating_forwarded_for_does_not_escape_the_limit(client, home_page):
    user, _ = make_account()
    codes = [
        attempt(client, user.email, "not the password", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(8)
    ]
    assert codes[:5] == [200] * 5
    assert set(codes[5:]) == {429}


def test_limit_message_does_not_reveal_whether_the_account_exists(client, home_page):
    make_account("known@example.org")
    for email in ("known@example.org", "nobody@example.org"):
        for _ in range(5):
            attempt(client, email, "not the password")
    known = attempt(client, "known@example.org", "not the password")
    unknown = attempt(client, "nobody@example.org", "not the password")
    assert known.status_code == unknown.status_code == 429
