"""The demo's sign-ins on the console: printed when they are made, again when `make run`
is ready, and on request (`make sign-ins`) without deleting the database.

Passwords are stored only as hashes, so they cannot be shown again: on request the demo
accounts get new random passwords, printed with their authenticator (TOTP) secrets,
which are kept as they are (someone may have added them to an app already). Only ever
the demo's own accounts (those people.toml lists, at a domain reserved for examples, so
no real person can hold one), and only with DEBUG on, on a developer's machine.
"""

import secrets

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from .loader import CONTENT_DIR, DemoLogin, load_toml

SIGN_IN_URL = "http://127.0.0.1:8000/accounts/login/"
AGAIN = "To see them again: make sign-ins (manage.py demo_sign_ins; it gives the demo accounts new passwords)."
# RFC 2606: reserved for examples, so no one can receive mail at an address there.
EXAMPLE_DOMAINS = ("example.org", "example.com", "example.net")


class DemoSignInsRefused(Exception):
    """Asked for sign-ins that are not the demo's, or on a site that is not a development one."""


def is_example_address(email):
    domain = email.rpartition("@")[2].lower()
    return any(domain == d or domain.endswith(f".{d}") for d in EXAMPLE_DOMAINS)


def demo_sign_in_specs(*, content_dir=CONTENT_DIR):
    """The demo's sign-ins as people.toml lists them: [{"role", "email", ...}]."""
    return load_toml(content_dir / "people.toml")["people"]


def sign_ins_text(logins, *, title, sign_in_url=SIGN_IN_URL):
    """The block the console shows: one line per role, then how to use them."""
    lines = [title]
    for login in logins:
        lines.append(
            f"  {login.role:<13} email: {login.email:<24} password: {login.password}  "
            f"authenticator secret (TOTP): {login.totp_secret}"
        )
    lines.append(f"Add a secret to an authenticator app, then sign in at {sign_in_url}.")
    lines.append(AGAIN)
    return "\n".join(lines)


def sign_ins_reminder(*, content_dir=CONTENT_DIR):
    """For a run that made no sign-ins: who they are and how to see them again."""
    accounts = ", ".join(f"{spec['email']} ({spec['role']})" for spec in demo_sign_in_specs(content_dir=content_dir))
    return (
        f"Demo sign-ins: {accounts}.\n"
        "Their passwords were shown when they were made; `make sign-ins` shows them again, with new passwords."
    )


def _totp_secret(user):
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is not None:
        return decrypt(authenticator.data["secret"])
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def demo_sign_ins_reset(*, content_dir=CONTENT_DIR):
    """Give each demo account a new random password; return the sign-ins to print.

    Refuses (DemoSignInsRefused) with DEBUG off, or when people.toml names an address
    that is not at an example domain: it never touches anyone's real account. Changing
    the password signs the demo account out of its other sessions."""
    if not settings.DEBUG:
        raise DemoSignInsRefused(
            "The demo sign-ins are for a development machine: DEBUG is off here, so nothing was changed."
        )
    specs = demo_sign_in_specs(content_dir=content_dir)
    not_examples = [spec["email"] for spec in specs if not is_example_address(spec["email"])]
    if not_examples:
        domains = ", ".join(EXAMPLE_DOMAINS)
        raise DemoSignInsRefused(
            f"Not a demo address (only {domains} are): {', '.join(not_examples)}. Nothing was changed."
        )
    User = get_user_model()
    logins = []
    with transaction.atomic():
        for spec in specs:
            user = User.objects.filter(email__iexact=spec["email"]).first()
            if user is None:
                continue
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.save(update_fields=["password"])
            secret = _totp_secret(user)
            logins.append(DemoLogin(role=spec["role"], email=user.email, password=password, totp_secret=secret))
    return logins
