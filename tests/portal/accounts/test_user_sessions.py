"""Security matrix row S02: a person can see their signed-in sessions and end any of them."""

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.usersessions.models import UserSession

from django.test import Client

from tests.accounts import PASSWORD, make_account, sign_in

pytestmark = pytest.mark.django_db


def test_ending_another_session_signs_it_out(client, home_page):
    user, secret = make_account(is_staff=True, is_superuser=True)
    recovery_code = RecoveryCodes.activate(user).get_unused_codes()[0]
    laptop, phone = Client(), Client()
    sign_in(laptop, user, secret)
    laptop.get("/admin/")
    # A code is good once, so the second device signs in with a recovery code.
    phone.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    phone.post("/accounts/2fa/authenticate/", {"code": recovery_code})
    assert phone.get("/admin/").status_code == 200
    assert UserSession.objects.filter(user=user).count() == 2

    page = laptop.get("/accounts/sessions/")
    assert page.status_code == 200
    response = laptop.post("/accounts/sessions/", {"action": "logout"})

    assert response.status_code == 302
    assert phone.get("/admin/").status_code == 302
    assert laptop.get("/admin/").status_code == 200
