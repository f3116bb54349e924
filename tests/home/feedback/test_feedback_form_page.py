"""The feedback form as a sender sees it: the questions, and plainly not for reporting a child at risk."""

import pytest

from tests.html import main_text, soup

pytestmark = pytest.mark.django_db


def test_the_form_says_it_is_not_for_reporting_a_child_at_risk(client, feedback_page):
    text = main_text(client.get(feedback_page.url))

    assert "not for reporting a child at risk" in text
    for route in ("999", "101", "children's services", "CEOP", "NSPCC", "0808 800 5000", "Childline", "0800 1111"):
        assert route in text
    assert "Never attach, send or describe images of a child" in text


def test_every_question_has_a_label_and_nothing_can_be_uploaded(client, feedback_page):
    page = soup(client.get(feedback_page.url))
    form = page.find("main").find("form")
    assert form.find("input", attrs={"type": "file"}) is None
    assert form.get("enctype") is None
    for field in form.find_all(["input", "textarea", "select"]):
        if field.get("type") in ("hidden",) or field.find_parent(attrs={"aria-hidden": "true"}):
            continue
        assert form.find("label", attrs={"for": field["id"]}) is not None, field


def test_the_form_is_never_cached(client, feedback_page):
    response = client.get(feedback_page.url)
    assert "no-store" in response["Cache-Control"]


def test_errors_are_summarised_and_linked_to_their_fields(client, feedback_page):
    from tests.feedback import post_feedback

    response = post_feedback(client, feedback_page, what_is_your_feedback_about=None, your_message="")
    page = soup(response)
    summary = page.find(class_="govuk-error-summary")
    links = [a["href"] for a in summary.find_all("a")]
    assert "#id_what_is_your_feedback_about_0" in links
    assert "#id_your_message" in links
    assert page.find(id="id_what_is_your_feedback_about_0") is not None
    assert page.title.get_text().startswith("Error:")
