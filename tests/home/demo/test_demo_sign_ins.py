"""`make sign-ins` (manage.py demo_sign_ins) shows the demo sign-ins again without
deleting the database: new passwords, the same authenticator secrets, for the demo's own
accounts only, and only on a development machine (DEBUG on)."""

import re
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator

from django.core.management import CommandError, call_command

from home.demo.loader import CONTENT_DIR, load_toml
from home.demo.sign_ins import demo_sign_in_specs, demo_sign_ins_reset, is_example_address, sign_ins_reminder
from tests.accounts import PASSWORD, make_account

pytestmark = pytest.mark.django_db

LINE = re.compile(r"^  (\w+) +email: (\S+) +password: (\S+)  authenticator secret \(TOTP\): (\S+)$", re.M)


@pytest.fixture
def demo_accounts():
    """The demo's sign-ins as the loader makes them (made here, not by loading the demo)."""
    return {spec["email"]: make_account(spec["email"]) for spec in demo_sign_in_specs()}


@pytest.fixture
def real_account():
    user, _ = make_account("alex@police.uk")
    return user, user.password


def sign_ins(**kwargs):
    out = StringIO()
    call_command("demo_sign_ins", stdout=out, **kwargs)
    return {email: (role, password, secret) for role, email, password, secret in LINE.findall(out.getvalue())}


def test_shows_each_demo_sign_in_with_a_new_password_and_its_authenticator_secret(
    settings, demo_accounts, real_account
):
    settings.DEBUG = True

    shown = sign_ins()

    assert set(shown) == set(demo_accounts)
    for email, (user, secret) in demo_accounts.items():
        _, password, shown_secret = shown[email]
        user.refresh_from_db()
        assert user.check_password(password)
        assert not user.check_password(PASSWORD)
        assert shown_secret == secret
    assert [role for role, _, _ in shown.values()] == ["administrator", "editor", "coordinator", "member", "steward"]
    # The real account is untouched.
    user, password_hash = real_account
    user.refresh_from_db()
    assert user.password == password_hash


def test_a_shown_sign_in_works(client, settings, demo_accounts):
    settings.DEBUG = True
    user, secret = demo_accounts["member@example.org"]
    _, password, shown_secret = sign_ins()["member@example.org"]

    response = client.post("/accounts/login/", {"login": user.email, "password": password})

    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert shown_secret == secret


def test_a_demo_account_without_an_authenticator_gets_one(settings, db):
    settings.DEBUG = True
    user, _ = make_account("member@example.org", mfa=False)

    _, _, secret = sign_ins()["member@example.org"]

    assert Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    assert len(secret) == 32


def test_refused_with_debug_off_and_nothing_changes(settings, demo_accounts):
    settings.DEBUG = False
    before = {email: user.password for email, (user, _) in demo_accounts.items()}

    with pytest.raises(CommandError, match="DEBUG is off"):
        sign_ins()

    for email, (user, _) in demo_accounts.items():
        user.refresh_from_db()
        assert user.password == before[email]


def test_refused_when_the_list_names_a_real_address(settings, tmp_path, db):
    """Should people.toml ever name a real address, that account is never touched."""
    settings.DEBUG = True
    user, _ = make_account("director@childrens-charity.org.uk")
    password_hash = user.password
    people = load_toml(CONTENT_DIR / "people.toml")
    (tmp_path / "people.toml").write_text(
        "".join(f'[[people]]\nrole = "{p["role"]}"\nemail = "{p["email"]}"\n\n' for p in people["people"])
        + '[[people]]\nrole = "administrator"\nemail = "director@childrens-charity.org.uk"\n'
    )

    with pytest.raises(Exception, match="Not a demo address"):
        demo_sign_ins_reset(content_dir=tmp_path)

    user.refresh_from_db()
    assert user.password == password_hash


def test_says_so_when_there_are_no_demo_accounts(settings, real_account):
    settings.DEBUG = True

    with pytest.raises(CommandError, match="no demo accounts"):
        sign_ins()


@pytest.mark.parametrize(
    ("email", "example"),
    [
        ("admin@example.org", True),
        ("someone@cumbria.police.example.org", True),
        ("x@EXAMPLE.COM", True),
        ("x@example.org.uk", False),
        ("x@notexample.org", False),
        ("x@police.uk", False),
    ],
)
def test_only_addresses_at_example_domains_are_the_demos(email, example):
    assert is_example_address(email) is example


def test_every_demo_sign_in_is_at_an_example_domain():
    assert all(is_example_address(spec["email"]) for spec in demo_sign_in_specs())


def test_a_run_that_made_no_sign_ins_says_how_to_see_them_again():
    assert sign_ins_reminder().splitlines() == [
        "Demo sign-ins: admin@example.org (administrator), editor@example.org (editor), "
        "coordinator@example.org (coordinator), member@example.org (member), "
        "steward@safer-online-ne.example.org (steward).",
        "Their passwords were shown when they were made; `make sign-ins` shows them again, with new passwords.",
    ]
