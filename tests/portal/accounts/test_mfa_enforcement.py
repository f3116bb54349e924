"""Every signed-in account must set up MFA before reaching anything but its account pages."""

import pytest

from tests.accounts import make_account, sign_in

pytestmark = pytest.mark.django_db

SETUP_URL = "/accounts/2fa/totp/activate/"


@pytest.fixture
def account_without_mfa(client, home_page):
    user, _ = make_account(mfa=False, is_staff=True, is_superuser=True)
    sign_in(client, user, None)
    return user


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/search/?query=x",
        "/admin/",
        "/admin/pages/",
        "/admin/snippets/resources/supportservice/",
        "/admin/reports/guidance-review/",
        "/documents/1/x.pdf",
        "/no-such-page/",
        "/sitemap.xml",
    ],
)
def test_account_without_mfa_is_sent_to_set_it_up(client, account_without_mfa, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP_URL)


@pytest.mark.parametrize(
    "url", ["/accounts/2fa/", SETUP_URL, "/accounts/password/change/", "/accounts/email/", "/accounts/sessions/"]
)
def test_account_pages_stay_reachable(client, account_without_mfa, url):
    assert client.get(url).status_code == 200


def test_quick_exit_still_works(client, account_without_mfa):
    response = client.get("/exit/")
    assert response.status_code == 302
    assert response["Location"].startswith("https://")


def test_setup_remembers_where_the_person_was_going(client, account_without_mfa):
    response = client.get("/admin/pages/")
    assert response["Location"] == f"{SETUP_URL}?next=%2Fadmin%2Fpages%2F"


def test_once_set_up_the_person_continues_to_where_they_were_going(client, account_without_mfa):
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    from tests.accounts import totp_code

    client.get("/admin/pages/")
    client.get(SETUP_URL)  # allauth keeps the new secret in the session while it is shown
    secret = client.session[SECRET_SESSION_KEY]
    activated = client.post(f"{SETUP_URL}?next=%2Fadmin%2Fpages%2F", {"code": totp_code(secret)})
    assert activated["Location"] == "/accounts/2fa/recovery-codes/"

    response = client.post("/accounts/2fa/recovery-codes/saved/", {"codes_saved": "yes"})
    assert response["Location"] == "/admin/pages/"


def test_account_with_mfa_goes_straight_through(client, home_page):
    user, secret = make_account(is_staff=True, is_superuser=True)
    sign_in(client, user, secret)
    assert client.get("/admin/").status_code == 200


def test_createsuperuser_administrator_must_set_up_mfa_at_first_sign_in(client, home_page, django_user_model):
    from allauth.account.models import EmailAddress

    from tests.accounts import PASSWORD

    admin = django_user_model.objects.create_superuser("root", "root@example.org", PASSWORD)
    EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
    sign_in(client, admin, None)
    assert client.get("/admin/")["Location"].startswith(SETUP_URL)


def test_createsuperuser_administrator_confirms_the_address_first(client, home_page, django_user_model, mailoutbox):
    from django.core.management import call_command

    from tests.accounts import PASSWORD

    call_command("createsuperuser", interactive=False, username="first", email="first@example.org", verbosity=0)
    admin = django_user_model.objects.get(username="first")
    admin.set_password(PASSWORD)
    admin.save()

    response = client.post("/accounts/login/", {"login": "first@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", ["member", "coordinator", "editor", "administrator"])
@pytest.mark.parametrize("url", ["/members/", "/members/cumbria/", "/admin/", "/"])
def test_every_role_must_set_up_mfa_first(client, home_page, role, url):
    from tests.factories import MembersAreaIndexPageFactory, WorkingGroupPageFactory, make_editor, make_member

    group = WorkingGroupPageFactory(parent=MembersAreaIndexPageFactory(parent=home_page), region="cumbria")
    if role in ("member", "coordinator"):
        user = make_member(group, role=role, mfa=False)
    elif role == "editor":
        user = make_editor(mfa=False)
    else:
        user, _ = make_account("root@example.org", mfa=False, is_staff=True, is_superuser=True)
    client.force_login(user)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(SETUP_URL)
