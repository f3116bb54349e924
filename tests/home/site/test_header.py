"""The header says who is signed in and leads to their groups, their account, the admin
(for those who use it) and out; signed out, it offers "Sign in"."""

import pytest

from tests.accounts import make_account, sign_in
from tests.factories import make_editor, make_member, with_authenticator
from tests.html import soup

pytestmark = pytest.mark.django_db


def account_bar(response):
    return soup(response).find("nav", attrs={"aria-label": "Account"})


def links(element):
    return {" ".join(link.get_text().split()): link["href"] for link in element.find_all("a")}


def menu_links(response):
    return links(soup(response).find("ul", id="navigation"))


def test_signed_out_the_header_offers_sign_in_and_nothing_else(client, guidance_page):
    response = client.get(guidance_page.url)
    assert links(account_bar(response)) == {"Sign in": "/accounts/login/"}
    assert "Signed in as" not in response.content.decode()


def test_a_member_sees_their_name_their_groups_their_account_and_sign_out(client, cumbria, yorkshire, police):
    user, secret = make_account("ana.reyes@cumbria.police.uk", first_name="Ana", last_name="Reyes")
    make_member(cumbria, organisation=police, user=user)
    sign_in(client, user, secret)

    response = client.get("/")
    bar = account_bar(response)
    assert " ".join(bar.get_text().split()).startswith("Signed in as Ana Reyes")
    assert links(bar) == {"Your account": "/accounts/", "Sign out": "/accounts/logout/"}
    menu = menu_links(response)
    assert menu[cumbria.title] == cumbria.url
    assert yorkshire.title not in menu  # not their group


@pytest.mark.parametrize(
    ("role", "sees_admin"),
    [("member", False), ("coordinator", True), ("editor", True), ("administrator", True)],
)
def test_admin_is_linked_for_those_who_use_it(client, cumbria, role, sees_admin):
    if role == "editor":
        user = with_authenticator(make_editor())
    elif role == "administrator":
        user = with_authenticator(make_member(cumbria, is_superuser=True, is_staff=True))
    else:
        user = with_authenticator(make_member(cumbria, role=role))
    client.force_login(user)

    assert ("Admin" in links(account_bar(client.get("/")))) is sees_admin


def test_your_account_leads_to_each_account_page(client, cumbria):
    user = with_authenticator(make_member(cumbria, first_name="Ana", last_name="Reyes"))
    client.force_login(user)

    response = client.get("/accounts/")
    assert response.status_code == 200
    page_links = links(soup(response).find("main"))
    for url in ("/accounts/password/change/", "/accounts/2fa/", "/accounts/sessions/", "/accounts/email/"):
        assert url in page_links.values()
    assert "Ana Reyes" in soup(response).find("main").get_text()


def test_your_account_needs_a_sign_in(client, home_page):
    response = client.get("/accounts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_sign_out_is_a_confirmation_with_one_button_that_posts(client, cumbria):
    client.force_login(with_authenticator(make_member(cumbria)))

    page = soup(client.get("/accounts/logout/"))
    form = page.find("main").find("form")
    assert form["method"].lower() == "post"
    assert form.find("button", string=lambda text: text and text.strip() == "Sign out")
    assert client.get(cumbria.url).status_code == 200  # still signed in after looking

    client.post("/accounts/logout/")
    assert client.get(cumbria.url).status_code != 200


def test_continuing_from_the_recovery_codes_needs_them_saved(client, home_page):
    from tests.accounts import make_account, sign_in

    user, secret = make_account()
    sign_in(client, user, secret)
    client.post("/accounts/2fa/recovery-codes/generate/")
    page = soup(client.get("/accounts/2fa/recovery-codes/"))
    assert page.find("h1").get_text(strip=True) == "Recovery codes"
    form = page.find("form", action="/accounts/2fa/recovery-codes/saved/")  # checked there too
    assert form["method"] == "post"
    checkbox = form.find("input", type="checkbox")
    assert checkbox.has_attr("required")
    assert form.find("label", attrs={"for": checkbox["id"]}).get_text(strip=True) == "I have saved my recovery codes"
    assert not form.has_attr("novalidate")
