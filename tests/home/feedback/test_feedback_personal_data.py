"""The personal-data screen (portal.pii) on feedback: a message that seems to identify a child
is refused with a clear request to remove the details or use the right route; nothing is stored."""

import pytest

from home.models import FeedbackSubmission
from portal.models import OutboundEmail
from tests.factories import feedback_ticket
from tests.feedback import post_feedback
from tests.html import main_text, soup

pytestmark = pytest.mark.django_db
PERSONAL = "Amelia-Rose Smith, born 03/04/2012, was contacted; her mum is on 07700 900123."


@pytest.mark.parametrize("field", ["your_message", "your_role"])
def test_personal_data_in_free_text_is_refused_and_nothing_is_stored(client, feedback_page, field):
    response = post_feedback(client, feedback_page, **{field: PERSONAL})

    assert response.status_code == 200
    page = soup(response)
    summary = page.find(class_="govuk-error-summary").get_text(" ")
    assert "remove them" in summary
    assert "999" in summary
    assert "07700 900123" not in summary and "Amelia" not in summary  # the error never repeats it
    assert page.find("a", href=f"#id_{field}") is not None
    assert not FeedbackSubmission.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_the_senders_own_name_and_email_are_theirs_to_give(client, feedback_page):
    response = post_feedback(
        client,
        feedback_page,
        your_name="Sam Taylor",
        your_email_address="sam.taylor@school.example.org",
        you_may_contact_me_about_my_feedback="on",
    )
    assert response.status_code == 302
    assert FeedbackSubmission.objects.get().reply_email == "sam.taylor@school.example.org"


def test_page_feedback_is_screened_too(client, guidance_page, feedback_page):
    response = client.post(
        f"/page-feedback/{guidance_page.pk}/",
        {"feedback_ticket": feedback_ticket(), "page_useful": "No", "page_problem": PERSONAL},
    )
    assert response.status_code == 200
    assert "remove them" in main_text(response)
    assert not FeedbackSubmission.objects.exists()
