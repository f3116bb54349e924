"""allauth's own email (password reset, security notices) goes through the outbox."""

import pytest

from portal.models import OutboundEmail
from tests.accounts import make_account

pytestmark = pytest.mark.django_db


def test_password_reset_is_stored_in_the_outbox_then_sent(
    client, home_page, mailoutbox, django_capture_on_commit_callbacks
):
    make_account("known@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": "known@example.org"})

    assert response.status_code == 302
    email = OutboundEmail.objects.get()
    assert email.to == ["known@example.org"]
    assert email.status == OutboundEmail.Status.SENT
    assert len(mailoutbox) == 1
    assert mailoutbox[0].extra_headers["Message-ID"] == email.message_id


def test_reset_for_known_and_unknown_addresses_looks_the_same(client, home_page):
    """Security matrix row A04: same status, redirect and number of emails."""
    make_account("known@example.org")
    known = client.post("/accounts/password/reset/", {"email": "known@example.org"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert OutboundEmail.objects.filter(to=["known@example.org"]).count() == 1
    assert OutboundEmail.objects.filter(to=["nobody@example.org"]).count() == 1
