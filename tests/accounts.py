"""Accounts for tests: a verified email login, optionally with an authenticator app."""

import time

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"
TOTP_PERIOD = 30


def totp_code(secret, *, at=None):
    """The six-digit code an authenticator app shows for `secret` now (or at a given time)."""
    counter = int((time.time() if at is None else at) // TOTP_PERIOD)
    return format_hotp_value(hotp_value(secret, counter))


def make_account(email="sam@example.org", *, mfa=True, **user_fields):
    """A user who signs in with `email` and PASSWORD; returns (user, TOTP secret or None)."""
    user = UserFactory(username=email.split("@")[0], email=email, password=PASSWORD, **user_fields)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    secret = None
    if mfa:
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
    return user, secret


def sign_in(client, user, secret):
    """Sign in through both steps, as a person would."""
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    if secret:
        code = totp_code(secret)
        response = client.post("/accounts/2fa/authenticate/", {"code": code})
        if response.status_code != 302 and totp_code(secret) != code:
            # The 30-second window turned between making the code and checking it, as it
            # would for a person typing at the last second: they type the new code.
            response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
        assert response.status_code == 302
    return response
