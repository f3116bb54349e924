"""The iCal feed of a group's meetings: a per-member secret address, never a session."""

import datetime

import pytest
from icalendar import Calendar

from django.urls import reverse

from groups.meetings.services import calendar_feed_for
from groups.membership.services import membership_leave, membership_suspend
from groups.models import CalendarFeed
from tests.factories import make_meeting, make_member
from tests.html import soup

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 5, 5, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def meeting(cumbria, member):
    return make_meeting(
        cumbria,
        start=START,
        end=START + datetime.timedelta(hours=2),
        title="Quarterly meeting",
        location="Penrith fire station",
        online_link="https://meet.example.org/q2",
        apologies="Secret apologies",
        agenda=[("Trends", "<p>confidentialnotesword</p>")],
        actions=[
            {"description": "confidentialactionword", "owner_user": member, "due_date": datetime.date(2026, 6, 1)}
        ],
    )


def feed_url(user, group="cumbria"):
    return reverse(
        "groups:meeting_calendar_feed", kwargs={"group_slug": group, "token": calendar_feed_for(user=user).token}
    )


def test_the_member_finds_their_feed_address(client, member, cumbria):
    client.force_login(member)
    response = client.get(reverse("groups:meeting_calendar", kwargs={"group_slug": "cumbria"}))
    assert response.status_code == 200
    shown = soup(response).find("input", id="feed-url")["value"]
    assert shown == f"http://testserver{feed_url(member)}"
    # The address can be shown again: it is derived, only a digest is stored.
    assert (
        client.get(reverse("groups:meeting_calendar", kwargs={"group_slug": "cumbria"})).content.decode().count(shown)
        == 1
    )
    feed = CalendarFeed.objects.get(user=member)
    assert feed.token not in (feed.key, feed.token_digest)


def test_the_feed_holds_times_place_and_link_but_never_notes_or_actions(client, meeting, member):
    response = client.get(feed_url(member))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert "Set-Cookie" not in response.headers and not response.cookies
    body = response.content.decode()
    for secret in ["confidentialnotesword", "confidentialactionword", "Secret apologies"]:
        assert secret not in body
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["summary"]) == "Quarterly meeting"
    assert event.decoded("dtstart") == START
    assert event.decoded("dtend") == START + datetime.timedelta(hours=2)
    assert str(event["location"]) == "Penrith fire station"
    assert str(event["url"]).endswith(meeting.url)
    assert "https://meet.example.org/q2" in str(event["description"])


def test_drafts_and_other_groups_meetings_are_left_out(client, cumbria, yorkshire, member, meeting):
    make_meeting(cumbria, title="Draft meeting", publish=False)
    make_meeting(yorkshire, title="Yorkshire meeting")
    body = client.get(feed_url(member)).content.decode()
    assert "Quarterly meeting" in body
    assert "Draft meeting" not in body and "Yorkshire meeting" not in body


def test_resetting_the_token_breaks_the_old_address(client, member, meeting):
    old = feed_url(member)
    assert client.get(old).status_code == 200
    client.force_login(member)
    response = client.post(reverse("groups:meeting_calendar_reset", kwargs={"group_slug": "cumbria"}))
    assert response.status_code == 302
    client.logout()
    assert client.get(old).status_code == 404
    new = feed_url(member)
    assert new != old
    assert client.get(new).status_code == 200


@pytest.mark.parametrize("end", [membership_leave, membership_suspend])
def test_the_feed_stops_when_the_membership_ends(client, member, meeting, end):
    url = feed_url(member)
    end(membership=member.memberships.get())
    assert client.get(url).status_code == 404


def test_the_feed_stops_when_the_account_is_deactivated(client, member, meeting):
    url = feed_url(member)
    member.is_active = False
    member.save()
    assert client.get(url).status_code == 404


def test_a_token_works_only_for_its_owners_groups(client, cumbria, yorkshire, member, meeting):
    assert client.get(feed_url(member, group="yorkshire")).status_code == 404
    outsider = make_member(yorkshire)
    assert client.get(feed_url(outsider, group="cumbria")).status_code == 404


@pytest.mark.parametrize("token", ["", "x", "0" * 64, "a" * 500, "..%2F..%2Fetc"])
def test_made_up_tokens_are_not_found(client, member, meeting, token):
    response = client.get(f"/members/cumbria/meetings/calendar/{token}.ics")
    assert response.status_code == 404


def test_a_session_never_opens_the_feed(client, member, meeting):
    """Signed in as a member, a wrong token is still a 404: only the token counts."""
    client.force_login(member)
    assert client.get("/members/cumbria/meetings/calendar/not-a-token.ics").status_code == 404


def test_the_feed_needs_no_mfa_and_no_session(client, cumbria, meeting):
    """A signed-in account without MFA is not sent to set it up from the feed (the token
    alone authenticates), though every other members' page still sends it."""
    no_mfa = make_member(cumbria, mfa=False)
    url = feed_url(no_mfa)
    client.force_login(no_mfa)
    assert client.get(url).status_code == 200
    assert client.get("/members/cumbria/meetings/").status_code == 302


@pytest.mark.parametrize("name", ["meeting_calendar", "meeting_calendar_reset"])
def test_the_feed_page_and_reset_are_for_members_only(client, yorkshire, member, meeting, name):
    path = reverse(f"groups:{name}", kwargs={"group_slug": "cumbria"})
    response = client.post(path) if name.endswith("reset") else client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    outsider = make_member(yorkshire)
    client.force_login(outsider)
    response = client.post(path) if name.endswith("reset") else client.get(path)
    assert response.status_code == 404
    assert not CalendarFeed.objects.filter(user=outsider).exists()


def test_reset_needs_post(client, member):
    client.force_login(member)
    assert client.get(reverse("groups:meeting_calendar_reset", kwargs={"group_slug": "cumbria"})).status_code == 405
