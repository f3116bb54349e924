"""After signing in, each role lands where its work is, unless they asked for a page."""

import pytest

from tests.accounts import PASSWORD, make_account, totp_code
from tests.factories import make_member

pytestmark = pytest.mark.django_db

EDITORS = "Editors"


def landing(client, user, secret, *, next_url=None):
    data = {"login": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    client.post("/accounts/login/", data)
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    return response["Location"]


def account(role, cumbria, yorkshire):
    from django.contrib.auth.models import Group

    user, secret = make_account(f"{role.replace(' ', '-')}@example.org", is_superuser=role == "administrator")
    if role in ("member", "coordinator"):
        make_member(cumbria, user=user, role=role)
    if role == "coordinator of two":
        make_member(cumbria, user=user, role="coordinator")
        make_member(yorkshire, user=user, role="coordinator")
    if role == "editor":
        user.groups.add(Group.objects.get(name=EDITORS))
    return user, secret


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("member", "/members/"),
        ("coordinator", "cumbria"),
        ("coordinator of two", "/members/"),
        ("editor", "/admin/"),
        ("administrator", "/admin/"),
        ("nobody", "/members/"),
    ],
)
def test_each_role_lands_where_its_work_is(client, cumbria, yorkshire, role, expected):
    user, secret = account(role, cumbria, yorkshire)
    if expected == "cumbria":
        expected = cumbria.url
    assert landing(client, user, secret) == expected


@pytest.mark.parametrize("role", ["member", "editor", "administrator"])
def test_a_requested_page_wins(client, cumbria, yorkshire, role, guidance_page):
    user, secret = account(role, cumbria, yorkshire)
    assert landing(client, user, secret, next_url=guidance_page.url) == guidance_page.url
