"""Security matrix rows F05 and F06: honeypot, signed time trap and per-address rate limit."""

import time

import pytest
import time_machine

from home.antispam import HONEYPOT_FIELD, TICKET_FIELD, ticket_issue
from home.models import FeedbackSubmission
from portal.models import OutboundEmail
from tests.factories import feedback_answers, feedback_ticket
from tests.feedback import post_feedback
from tests.html import main_text, soup

pytestmark = pytest.mark.django_db
MESSAGE = "The guidance on reporting should mention Report Remove earlier."


def test_a_filled_honeypot_gets_a_confirmation_and_nothing_is_stored(client, feedback_page, caplog, mailoutbox):
    with caplog.at_level("INFO", logger="portal.feedback"):
        response = post_feedback(client, feedback_page, **{HONEYPOT_FIELD: "http://spam.example"})

    assert response.status_code == 302
    confirmation = client.get(response["Location"])
    assert "Your reference number" in main_text(confirmation)
    assert FeedbackSubmission.objects.count() == 0
    assert OutboundEmail.objects.count() == 0
    assert mailoutbox == []
    assert any("reason=honeypot" in record.getMessage() for record in caplog.records)


def test_the_honeypot_is_hidden_from_people(client, feedback_page):
    page = soup(client.get(feedback_page.url))
    trap = page.find("input", attrs={"name": HONEYPOT_FIELD})
    assert trap["tabindex"] == "-1"
    assert trap.find_parent(attrs={"aria-hidden": "true"}) is not None


def rendered_ticket(client, page):
    return soup(client.get(page.url)).find("input", attrs={"name": TICKET_FIELD})["value"]


def test_sending_within_three_seconds_is_refused_politely_keeping_the_answers(client, feedback_page):
    with time_machine.travel(time.time(), tick=False) as traveller:
        ticket = rendered_ticket(client, feedback_page)
        traveller.shift(2)
        response = post_feedback(client, feedback_page, ticket=ticket)

        assert response.status_code == 200
        assert "Please check your answers" in main_text(response)
        assert MESSAGE in response.content.decode()
        assert FeedbackSubmission.objects.count() == 0

        traveller.shift(2)
        assert post_feedback(client, feedback_page, ticket=ticket).status_code == 302
    assert FeedbackSubmission.objects.count() == 1


@pytest.mark.parametrize("problem", ["tampered", "expired", "missing"])
def test_a_bad_ticket_is_refused_politely_with_a_new_one(client, feedback_page, settings, problem):
    ticket = {
        "tampered": feedback_ticket()[:-3] + "abc",
        "expired": feedback_ticket(seconds_ago=settings.FEEDBACK_FORM_MAX_AGE_SECONDS + 10),
        "missing": "",
    }[problem]
    data = {**feedback_answers(), TICKET_FIELD: ticket}

    response = client.post(feedback_page.url, data)

    assert response.status_code == 200
    assert "Please check your answers" in main_text(response)
    assert MESSAGE in response.content.decode()
    new_ticket = soup(response).find("input", attrs={"name": TICKET_FIELD})["value"]
    assert new_ticket and new_ticket != ticket
    assert FeedbackSubmission.objects.count() == 0


def test_a_normal_pace_passes(client, feedback_page):
    with time_machine.travel(time.time(), tick=False) as traveller:
        ticket = rendered_ticket(client, feedback_page)
        traveller.shift(45)
        assert post_feedback(client, feedback_page, ticket=ticket).status_code == 302
    assert FeedbackSubmission.objects.count() == 1


def test_more_than_five_posts_in_ten_minutes_get_a_friendly_429_and_the_earlier_are_kept(
    client, feedback_page, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [post_feedback(client, feedback_page).status_code for _ in range(6)]

    assert statuses == [302] * 5 + [429]
    refused = post_feedback(client, feedback_page)
    assert refused.status_code == 429
    assert "too many times" in main_text(refused)
    assert "999" in main_text(refused)
    assert FeedbackSubmission.objects.count() == 5
    assert len(mailoutbox) == 5


def test_the_limit_is_per_address(client, feedback_page, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for _n in range(5):
        assert post_feedback(client, feedback_page, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 302
    assert post_feedback(client, feedback_page, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 429
    assert post_feedback(client, feedback_page, HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 302


def test_the_window_ends_after_ten_minutes(client, feedback_page):
    with time_machine.travel(time.time(), tick=False) as traveller:
        ticket_issue()  # time starts here
        for _ in range(5):
            post_feedback(client, feedback_page)
        assert post_feedback(client, feedback_page).status_code == 429
        traveller.shift(601)
        assert post_feedback(client, feedback_page).status_code == 302
