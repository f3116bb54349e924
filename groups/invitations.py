"""Invitation tokens: made, hashed and looked up here, and nowhere else.

A token is `secrets.token_urlsafe(32)` (256 random bits). Only its SHA-256 is stored, so
looking one up is an exact match on the hash: no timing oracle on the secret itself, and
nothing in the database that could be replayed.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.urls import reverse

from .models import Invitation

INVITATION_VALID_FOR = timedelta(days=14)
# token_urlsafe(32) is 43 characters; anything much longer is not one of ours.
MAX_TOKEN_LENGTH = 100


def token_new():
    """A fresh raw token and the hash to store for it."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for_token(token):
    """The invitation a raw token belongs to (in any state), or None."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return (
        Invitation.objects.select_related("working_group", "organisation", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )


def invitation_accept_url(token):
    """The absolute link for the email, from the canonical base URL, never the request's Host."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("invitation_accept", kwargs={"token": token})
