"""allauth's screens (sign-in, password, email, two-factor, sessions, sign-out) speak in
sentence case, as the rest of the site (GOV.UK style), and are built from the site's
GOV.UK components: no bare inputs, paragraphs, tables or rules."""

import re

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

from tests.accounts import PASSWORD, make_account, sign_in
from tests.html import soup

pytestmark = pytest.mark.django_db

# Words that keep a capital in the middle of a sentence.
PROPER = {"I", "IP", "TOTP"}

SIGNED_OUT = [
    "/accounts/login/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/signup/",
]
SIGNED_IN = [
    "/accounts/",
    "/accounts/logout/",
    "/accounts/password/change/",
    "/accounts/email/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/deactivate/",
    "/accounts/2fa/recovery-codes/",
    "/accounts/2fa/recovery-codes/generate/",
    "/accounts/2fa/webauthn/",
    "/accounts/sessions/",
    "/accounts/reauthenticate/",
    "/accounts/2fa/reauthenticate/",
]


def not_sentence_case(text):
    words = re.findall(r"[A-Za-z][\w'-]*", text)
    return [word for word in words[1:] if word[0].isupper() and word not in PROPER]


def check_screen(response):
    assert response.status_code == 200
    page = soup(response)
    title = page.title.get_text().split(" \u2013 ")[0]
    problems = [f"title {title!r}"] if not_sentence_case(title) else []
    main = page.find("main")
    for element in main.find_all(["h1", "h2", "h3", "label", "legend", "button", "th"]):
        text = " ".join(element.get_text().split())
        if not_sentence_case(text):
            problems.append(f"{element.name} {text!r}")
    for element in main.find_all(["input", "textarea", "select", "p", "table", "hr", "label"]):
        if element.name == "input" and element.get("type") == "hidden":
            continue
        if not any(name.startswith(("govuk-", "portal-")) for name in element.get("class", [])):
            problems.append(f"unstyled {element.name}: {str(element)[:80]}")
    return problems


@pytest.mark.parametrize("url", SIGNED_OUT)
def test_signed_out_screens(client, home_page, url):
    assert check_screen(client.get(url)) == []


def test_the_two_factor_step_of_signing_in(client, home_page):
    user, _secret = make_account()
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert check_screen(client.get("/accounts/2fa/authenticate/")) == []


@pytest.mark.parametrize("url", SIGNED_IN)
def test_signed_in_screens(client, home_page, url):
    user, secret = make_account()
    RecoveryCodes.activate(user)
    sign_in(client, user, secret)  # just now: no screen asks to confirm it is you first
    assert check_screen(client.get(url)) == []


def test_the_compiled_wording_matches_its_source():
    """portal/locale/en/LC_MESSAGES/django.mo is compiled from the .po beside it (msgfmt)."""
    from pathlib import Path

    from django.conf import settings
    from django.utils import translation

    source = (Path(settings.BASE_DIR) / "portal/locale/en/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    entries = re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', source, re.M)
    assert len(entries) > 50
    with translation.override("en-gb"):
        assert [(msgid, translation.gettext(msgid)) for msgid, _ in entries] == entries
