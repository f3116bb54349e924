"""'Is this page useful? / Report a problem with this page' at the end of every guidance page."""

import pytest

from django.test import Client

from home.antispam import HONEYPOT_FIELD, TICKET_FIELD
from home.models import FeedbackSubmission
from portal.models import OutboundEmail
from tests.factories import feedback_ticket
from tests.html import main_text, soup

pytestmark = pytest.mark.django_db


def test_every_guidance_page_ends_with_the_question_and_a_problem_link(client, guidance_page, feedback_page):
    page = soup(client.get(guidance_page.url))
    section = page.find("section", attrs={"aria-labelledby": "page-feedback-heading"})
    assert "Is this page useful?" in section.get_text()
    form = section.find("form")
    assert (form["method"], form["action"]) == ("post", f"/page-feedback/{guidance_page.pk}/useful/")
    assert [button["value"] for button in form.find_all("button")] == ["yes", "no"]
    assert form.find("input", attrs={"name": HONEYPOT_FIELD})
    assert not form.find("input", attrs={"name": "csrfmiddlewaretoken"})  # the page stays cacheable
    assert section.find("a", string="Report a problem with this page")["href"].startswith(
        f"/page-feedback/{guidance_page.pk}/"
    )


def test_the_guidance_page_stays_cacheable(client, guidance_page, feedback_page):
    response = client.get(guidance_page.url)
    assert "csrftoken" not in response.cookies
    assert "private" not in response.get("Cache-Control", "")


def post(client, guidance_page, **data):
    return client.post(f"/page-feedback/{guidance_page.pk}/", {TICKET_FIELD: feedback_ticket(), **data})


def test_no_with_a_problem_is_stored_with_the_page_and_emailed(client, guidance_page, feedback_page):
    form = client.get(f"/page-feedback/{guidance_page.pk}/?useful=no")
    assert soup(form).find("input", attrs={"name": "page_useful", "value": "No"}).has_attr("checked")

    response = post(client, guidance_page, page_useful="No", page_problem="The CEOP link is broken.")

    assert response.status_code == 302
    submission = FeedbackSubmission.objects.get()
    assert submission.source_page_id == guidance_page.pk
    assert submission.page_id == feedback_page.pk
    assert submission.topic == "Page feedback"
    assert submission.form_data == {"page_useful": "No", "page_problem": "The CEOP link is broken."}
    confirmation = client.get(response["Location"])
    assert submission.reference in main_text(confirmation)
    email = OutboundEmail.objects.get()
    assert guidance_page.title in email.body_text
    assert "CEOP link" not in email.body_text


def test_a_plain_yes_is_counted_without_an_email(client, guidance_page, feedback_page):
    assert post(client, guidance_page, page_useful="Yes").status_code == 302
    assert FeedbackSubmission.objects.count() == 1
    assert not OutboundEmail.objects.exists()


def test_an_answer_is_required(client, guidance_page, feedback_page):
    response = post(client, guidance_page, page_problem="Something")
    assert response.status_code == 200
    assert "Select yes if this page is useful" in main_text(response)
    assert "Something" in response.content.decode()
    assert not FeedbackSubmission.objects.exists()


def test_page_feedback_has_the_same_guards(client, guidance_page, feedback_page):
    response = client.post(
        f"/page-feedback/{guidance_page.pk}/",
        {TICKET_FIELD: feedback_ticket(seconds_ago=1), "page_useful": "No"},
    )
    assert response.status_code == 200
    assert "Please check your answers" in main_text(response)
    response = post(client, guidance_page, page_useful="No", your_website="spam")
    assert response.status_code == 302
    assert not FeedbackSubmission.objects.exists()


@pytest.mark.parametrize("which", ["unknown", "private", "not guidance"])
def test_only_public_guidance_pages_take_page_feedback(client, guidance_page, feedback_page, cumbria, which):
    page_id = {"unknown": 999_999, "private": cumbria.pk, "not guidance": feedback_page.pk}[which]
    assert client.get(f"/page-feedback/{page_id}/").status_code == 404
    assert client.post(f"/page-feedback/{page_id}/", {"page_useful": "No"}).status_code == 404
    assert client.post(f"/page-feedback/{page_id}/useful/", {"useful": "yes"}).status_code == 404


def answer(client, guidance_page, useful, **headers):
    return client.post(f"/page-feedback/{guidance_page.pk}/useful/", {"useful": useful}, headers=headers)


def test_yes_is_counted_at_once_and_thanked(client, guidance_page, feedback_page):
    response = answer(client, guidance_page, "yes")

    assert response.status_code == 303
    submission = FeedbackSubmission.objects.get()
    assert submission.source_page_id == guidance_page.pk
    assert (submission.form_data["page_useful"], submission.form_data.get("page_problem")) == ("Yes", "")
    assert not OutboundEmail.objects.exists()
    thanks = client.get(response["Location"])
    text = main_text(thanks)
    assert "Thank you for your feedback" in text
    assert "What was wrong or missing?" not in text
    assert submission.reference not in text  # nothing to follow up
    assert FeedbackSubmission.objects.count() == 1  # seeing the thanks again counts nothing


def test_yes_needs_no_csrf_token_from_the_cached_page_but_must_come_from_this_site(guidance_page, feedback_page):
    strict = Client(enforce_csrf_checks=True)
    assert answer(strict, guidance_page, "yes", sec_fetch_site="same-origin").status_code == 303
    assert answer(strict, guidance_page, "yes", origin="http://testserver").status_code == 303
    assert FeedbackSubmission.objects.count() == 2

    for headers in (
        {"sec_fetch_site": "cross-site"},
        {"sec_fetch_site": "same-site"},
        {"origin": "https://evil.example"},
    ):
        response = answer(strict, guidance_page, "yes", **headers)
        assert (response.status_code, response["Location"]) == (303, f"/page-feedback/{guidance_page.pk}/?useful=yes")
    assert FeedbackSubmission.objects.count() == 2


def test_a_get_with_yes_records_nothing_and_asks_to_confirm(client, guidance_page, feedback_page):
    """Crawlers and link prefetchers follow GETs: an old "?useful=yes" link only asks."""
    response = client.get(f"/page-feedback/{guidance_page.pk}/", {"useful": "yes"})

    assert response.status_code == 200
    assert not FeedbackSubmission.objects.exists()
    form = soup(response).find("main").find("form")
    assert (form["method"], form["action"]) == ("post", f"/page-feedback/{guidance_page.pk}/useful/")
    assert form.find("button", attrs={"name": "useful", "value": "yes"}).get_text() == "Yes, this page is useful"
    assert client.get(f"/page-feedback/{guidance_page.pk}/useful/?useful=yes").status_code == 405
    assert not FeedbackSubmission.objects.exists()


def test_no_still_asks_what_was_wrong_before_anything_is_stored(client, guidance_page, feedback_page):
    response = answer(client, guidance_page, "no")
    assert (response.status_code, response["Location"]) == (303, f"/page-feedback/{guidance_page.pk}/?useful=no")
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert "What was wrong or missing?" in main_text(response)
    assert not FeedbackSubmission.objects.exists()


def test_yes_with_the_honeypot_filled_looks_thanked_and_stores_nothing(client, guidance_page, feedback_page):
    response = client.post(f"/page-feedback/{guidance_page.pk}/useful/", {"useful": "yes", HONEYPOT_FIELD: "x"})
    assert response.status_code == 303
    assert "Thank you for your feedback" in main_text(client.get(response["Location"]))
    assert not FeedbackSubmission.objects.exists()


def test_yes_is_rate_limited_like_every_feedback(client, guidance_page, feedback_page):
    statuses = [answer(client, guidance_page, "yes").status_code for _ in range(6)]
    assert statuses == [303] * 5 + [429]
    assert FeedbackSubmission.objects.count() == 5
