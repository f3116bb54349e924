"""'Continue' from the recovery codes, which are shown once, needs the box "I have saved my
recovery codes" ticked: the browser asks for it and the server checks it."""

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

from django.test import Client

from tests.accounts import make_account, sign_in
from tests.factories import make_member
from tests.html import main_text, soup

pytestmark = pytest.mark.django_db

SAVED_URL = "/accounts/2fa/recovery-codes/saved/"


@pytest.fixture
def member(cumbria):
    user, secret = make_account()
    make_member(cumbria, user=user)
    RecoveryCodes.activate(user)
    return user, secret


def test_the_codes_page_continues_through_a_required_checkbox(client, member):
    sign_in(client, *member)
    page = soup(client.get("/accounts/2fa/recovery-codes/"))
    form = page.find("form", attrs={"action": SAVED_URL})
    assert form["method"] == "post"
    checkbox = form.find("input", attrs={"name": "codes_saved"})
    assert checkbox.has_attr("required")
    assert form.find("label", attrs={"for": checkbox["id"]}).get_text() == "I have saved my recovery codes"


def test_continuing_without_the_box_ticked_is_refused_and_new_codes_are_offered(client, member):
    sign_in(client, *member)
    client.get("/accounts/2fa/recovery-codes/")
    response = client.post(SAVED_URL, {})
    assert response.status_code == 200
    page = soup(response)
    assert page.title.get_text().startswith("Error: ")
    summary = page.find(class_="govuk-error-summary")
    assert summary.find("a", href="#id_codes_saved").get_text() == "Confirm that you have saved your recovery codes"
    assert "cannot be shown again" in main_text(response)
    assert page.find("a", string="Generate new recovery codes")["href"] == "/accounts/2fa/recovery-codes/generate/"


def test_continuing_with_the_box_ticked_goes_where_the_member_works(client, member, cumbria):
    sign_in(client, *member)
    client.get("/accounts/2fa/recovery-codes/")
    response = client.post(SAVED_URL, {"codes_saved": "yes"})
    assert response.status_code == 302
    assert response["Location"] == "/members/"


def test_continuing_never_leaves_the_site(client, member):
    from portal.middleware import MFA_SETUP_NEXT_SESSION_KEY

    sign_in(client, *member)
    session = client.session
    session[MFA_SETUP_NEXT_SESSION_KEY] = "https://evil.example/members/"
    session.save()
    response = client.post(SAVED_URL, {"codes_saved": "yes"})
    assert response["Location"] == "/members/"


def test_continue_is_for_signed_in_people_by_post_with_a_csrf_token(client, member):
    assert client.post(SAVED_URL, {"codes_saved": "yes"})["Location"].startswith("/accounts/login/")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member[0])
    assert strict.get(SAVED_URL).status_code == 405
    assert strict.post(SAVED_URL, {"codes_saved": "yes"}).status_code == 403
