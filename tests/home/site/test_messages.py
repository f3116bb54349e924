"""Each message is shown once, in the notification banner of the page that follows the
action, never later, and never kept in (nor held back by) the anonymous page cache."""

import pytest

from django.core.cache import caches

from tests.accounts import PASSWORD, make_account, totp_code
from tests.factories import make_member
from tests.html import soup

pytestmark = pytest.mark.django_db

SIGNED_IN = "Successfully signed in as"
SIGNED_OUT = "You have signed out."


def banner_text(response):
    banner = soup(response).find(class_="govuk-notification-banner")
    return " ".join(banner.get_text(" ").split()) if banner else ""


def sign_in_and_follow(client, user, secret):
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    return client.get(response["Location"])


def forget_expired_cookies(client):
    """Drop the cookies a response deleted, as a browser does (the test client keeps them empty)."""
    for name in [name for name, cookie in client.cookies.items() if not cookie.value]:
        del client.cookies[name]


def test_signed_in_is_said_on_the_landing_page_and_only_there(client, cumbria, police):
    user, secret = make_account("ana.reyes@cumbria.police.uk")
    make_member(cumbria, organisation=police, user=user)

    landing = sign_in_and_follow(client, user, secret)

    assert landing.request["PATH_INFO"] == "/members/"
    assert SIGNED_IN in banner_text(landing)
    assert "govuk-notification-banner--success" in soup(landing).find(class_="govuk-notification-banner")["class"]
    assert SIGNED_IN not in client.get(cumbria.url).content.decode()
    assert SIGNED_IN not in client.get("/accounts/logout/").content.decode()


@pytest.mark.parametrize(
    ("names", "shown"),
    [({"first_name": "Ana", "last_name": "Reyes"}, "Ana Reyes"), ({}, "ana.reyes@cumbria.police.uk")],
    ids=["by their name", "by their address while they have no name"],
)
def test_signed_in_names_the_person_as_the_header_does(client, cumbria, police, names, shown):
    user, secret = make_account("ana.reyes@cumbria.police.uk", **names)
    make_member(cumbria, organisation=police, user=user)

    landing = sign_in_and_follow(client, user, secret)

    assert f"{SIGNED_IN} {shown}." in banner_text(landing)


def test_signed_out_is_said_on_the_next_page_even_when_it_was_cached(client, cumbria, police):
    user, secret = make_account("ana.reyes@cumbria.police.uk")
    make_member(cumbria, organisation=police, user=user)
    client.get("/")  # an anonymous copy of the home page is now in the page cache
    assert caches["pages"]._cache
    sign_in_and_follow(client, user, secret)

    response = client.post("/accounts/logout/")
    forget_expired_cookies(client)
    next_page = client.get(response["Location"])

    assert SIGNED_OUT in banner_text(next_page)
    assert SIGNED_OUT not in client.get("/").content.decode()
    assert SIGNED_OUT not in client.get("/accounts/login/").content.decode()


def test_a_page_carrying_a_message_is_neither_stored_in_nor_served_from_the_cache(client, cumbria, police):
    user, secret = make_account("ana.reyes@cumbria.police.uk")
    make_member(cumbria, organisation=police, user=user)
    sign_in_and_follow(client, user, secret)
    response = client.post("/accounts/logout/")
    forget_expired_cookies(client)
    assert "messages" in client.cookies  # the message waits in its own cookie, not the session
    caches["pages"].clear()

    assert SIGNED_OUT in banner_text(client.get(response["Location"]))

    assert not caches["pages"]._cache
