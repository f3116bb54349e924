"""allauth's screens (sign-in, password, email, two-factor, sessions, sign-out) speak in
sentence case, as the rest of the site (GOV.UK style), with buttons that say what they do;
they are built from the site's GOV.UK components (no bare inputs, paragraphs, tables or
rules, no labels ending in a colon) and drawn in the portal's own layout."""

import re

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

from tests.accounts import PASSWORD, make_account, sign_in
from tests.html import soup

pytestmark = pytest.mark.django_db

# Words that keep a capital in the middle of a sentence.
PROPER = {"I", "IP", "TOTP"}

# Each screen's heading and buttons (<button>s and links drawn as buttons), in page order.
SIGNED_OUT = {
    "/accounts/login/": ("Sign in", ["Sign in"]),
    "/accounts/password/reset/": ("Reset your password", ["Reset my password"]),
    "/accounts/password/reset/done/": ("Reset your password", []),
    "/accounts/signup/": ("Accounts are by invitation", []),
}
SIGNED_IN = {
    "/accounts/": ("Your account", ["Sign out"]),
    "/accounts/logout/": ("Sign out", ["Sign out"]),
    "/accounts/password/change/": ("Change password", ["Change password"]),
    "/accounts/email/": ("Email address", ["Change email address"]),
    "/accounts/2fa/": (
        "Two-factor authentication",
        ["Turn off authenticator app", "Add a security key", "Generate new recovery codes"],
    ),
    "/accounts/2fa/totp/deactivate/": ("Turn off your authenticator app", ["Turn off authenticator app"]),
    "/accounts/2fa/recovery-codes/": ("Recovery codes", ["Continue"]),
    "/accounts/2fa/recovery-codes/generate/": ("Generate new recovery codes", ["Generate new recovery codes"]),
    "/accounts/2fa/webauthn/": ("Security keys", ["Add a security key"]),
    "/accounts/sessions/": ("Signed-in sessions", ["Sign out"]),
    "/accounts/reauthenticate/": ("Confirm it is you", ["Confirm", "Use authenticator app or code"]),
    "/accounts/2fa/reauthenticate/": ("Confirm it is you", ["Confirm", "Use your password"]),
}


def not_sentence_case(text):
    words = re.findall(r"[A-Za-z][\w'-]*", text)
    return [word for word in words[1:] if word[0].isupper() and word not in PROPER]


def text_of(element):
    return " ".join(element.get_text().split())


def buttons(main):
    return [
        text_of(element)
        for element in main.select("button, a.govuk-button")
        if "govuk-visually-hidden" not in element.get("class", [])
    ]


def check_screen(response, *, signed_in):
    """What is wrong with the screen: sentence case, GOV.UK components, the portal's layout."""
    assert response.status_code == 200
    page = soup(response)
    title = page.title.get_text().split(" \u2013 ")[0].removeprefix("Error: ")
    problems = [f"title {title!r}"] if not_sentence_case(title) else []
    main = page.find("main")
    for element in main.select("h1, h2, h3, label, legend, button, th, a.govuk-button"):
        text = text_of(element)
        if not_sentence_case(text):
            problems.append(f"{element.name} {text!r}")
        if element.name == "label" and text.endswith(":"):
            problems.append(f"label ends in a colon: {text!r}")
    for element in main.find_all(["input", "textarea", "select", "p", "table", "hr", "label"]):
        if element.name == "input" and element.get("type") == "hidden":
            continue
        if not any(name.startswith(("govuk-", "portal-")) for name in element.get("class", [])):
            problems.append(f"unstyled {element.name}: {str(element)[:80]}")
    # The portal's layout (base.html), with the account's own navigation when signed in.
    layout = {
        "stylesheet": page.find("link", rel="stylesheet", href=re.compile(r"portal/css/portal")),
        "skip link": page.find("a", class_="govuk-skip-link"),
        "header": page.find("header", class_="portal-header"),
        "main": page.find("main", id="main-content", class_="govuk-main-wrapper"),
        "footer": page.find("footer"),
        "account navigation": page.find("nav", class_="portal-account-nav") if signed_in else True,
    }
    problems += [f"not in the portal's layout: no {part}" for part, found in layout.items() if not found]
    return problems


def wording(response):
    main = soup(response).find("main")
    return text_of(main.find("h1")), buttons(main)


@pytest.mark.parametrize("url", SIGNED_OUT)
def test_signed_out_screens(client, home_page, url):
    response = client.get(url)
    assert check_screen(response, signed_in=False) == []
    assert wording(response) == SIGNED_OUT[url]


def test_the_two_factor_step_of_signing_in(client, home_page):
    user, _secret = make_account()
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    response = client.get("/accounts/2fa/authenticate/")
    assert check_screen(response, signed_in=False) == []
    assert wording(response) == (
        "Enter the code from your authenticator app",
        ["Sign in", "Cancel", "Use a security key"],
    )
    assert soup(response).title.get_text().startswith("Enter the code from your authenticator app")


def test_a_wrong_code_at_the_two_factor_step_is_named_in_the_error_summary(client, home_page):
    user, _secret = make_account()
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert check_screen(response, signed_in=False) == []
    page = soup(response)
    assert page.title.get_text().startswith("Error: ")
    assert page.select_one(".govuk-error-summary a[href='#id_code']")


@pytest.mark.parametrize("url", SIGNED_IN)
def test_signed_in_screens(client, home_page, url):
    user, secret = make_account()
    RecoveryCodes.activate(user)
    sign_in(client, user, secret)  # just now: no screen asks to confirm it is you first
    response = client.get(url)
    assert check_screen(response, signed_in=True) == []
    assert wording(response) == SIGNED_IN[url]


def test_setting_up_the_authenticator_app(client, home_page):
    """The screen a newly invited person meets first, and again with a wrong code."""
    user, _ = make_account(mfa=False)
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    response = client.get("/accounts/2fa/totp/activate/")
    assert check_screen(response, signed_in=True) == []
    assert wording(response) == ("Set up two-factor authentication", ["Continue"])
    page = soup(response)
    assert page.find("label", attrs={"for": "id_code"}).get_text(strip=True) == "Code from your authenticator app"
    assert page.find("label", attrs={"for": "authenticator_secret"}).get_text(strip=True) == "Secret key"

    response = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    assert check_screen(response, signed_in=True) == []
    page = soup(response)
    assert page.title.get_text().startswith("Error: ")
    assert page.select_one(".govuk-error-summary a[href='#id_code']")


def test_the_two_factor_page_before_any_authenticator_is_set_up(client, home_page):
    user, _ = make_account(mfa=False)
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    response = client.get("/accounts/2fa/")
    assert check_screen(response, signed_in=True) == []
    assert wording(response) == ("Two-factor authentication", ["Set up authenticator app", "Add a security key"])


def test_the_recovery_codes_not_saved_screen(client, home_page):
    user, secret = make_account()
    RecoveryCodes.activate(user)
    sign_in(client, user, secret)
    client.get("/accounts/2fa/recovery-codes/")
    response = client.post("/accounts/2fa/recovery-codes/saved/", {})
    assert check_screen(response, signed_in=True) == []
    assert wording(response) == ("Recovery codes", ["Generate new recovery codes", "Continue"])


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
