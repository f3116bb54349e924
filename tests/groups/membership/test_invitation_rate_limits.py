"""Invitations are rate limited per coordinator and per invited address (allauth's rate
limiter, as sign-ins and feedback are), with a polite error that keeps what was typed."""

import datetime

import pytest
import time_machine

from django.utils import timezone

from groups.models import Invitation
from tests.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "invitation": "3/h/user",
        "invitation_address": "2/d/key",
    }


def invite(client, group, email, organisation):
    return client.post(
        f"/members/{group.slug}/invitations/new/", {"email": email, "organisation": organisation.pk, "role": "member"}
    )


def test_a_coordinator_may_send_only_so_many_an_hour(client, personas, cumbria, police):
    client.force_login(personas.coordinator)
    for n in range(3):
        assert invite(client, cumbria, f"person{n}@cumbria.police.uk", police).status_code == 302
    response = invite(client, cumbria, "Person3@Cumbria.police.uk", police)
    assert response.status_code == 429
    html = response.content.decode()
    assert "You have sent a lot of invitations in a short time" in html
    assert 'value="Person3@Cumbria.police.uk"' in html  # what was typed is kept
    assert f'<option value="{police.pk}" selected>' in html
    assert Invitation.objects.count() == 3

    # Another coordinator is not held up.
    other = make_member(cumbria, role="coordinator")
    client.force_login(other)
    assert invite(client, cumbria, "person3@cumbria.police.uk", police).status_code == 302

    # An hour later, the first may invite again.
    client.force_login(personas.coordinator)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1, seconds=1)):
        assert invite(client, cumbria, "person4@cumbria.police.uk", police).status_code == 302


def test_an_address_gets_only_so_many_a_day_whoever_sends_them(client, personas, cumbria, police):
    address = "alex@cumbria.police.uk"
    client.force_login(personas.coordinator)
    assert invite(client, cumbria, address, police).status_code == 302
    second = make_member(cumbria, role="coordinator")
    client.force_login(second)
    assert invite(client, cumbria, address.upper(), police).status_code == 302
    response = invite(client, cumbria, address, police)
    assert response.status_code == 429
    assert "This address has been sent several invitations today" in response.content.decode()

    # Sending a pending one again counts too.
    pending = Invitation.objects.pending().get()
    response = client.post(f"/members/{cumbria.slug}/invitations/{pending.pk}/resend/", follow=True)
    assert "This address has been sent several invitations today" in response.content.decode()
    assert Invitation.objects.count() == 2
    assert Invitation.objects.pending().get() == pending

    with time_machine.travel(timezone.now() + datetime.timedelta(days=1, seconds=1)):
        assert invite(client, cumbria, address, police).status_code == 302
