"""Security matrix rows I03 and I06: header injection in every field, escaping in the admin
and in emails, and oversized or over-many fields answered 400/413, never 500."""

import pytest

from home.models import FeedbackSubmission
from portal.models import OutboundEmail
from tests.factories import feedback_answers, feedback_ticket, make_editor
from tests.feedback import post_feedback

pytestmark = pytest.mark.django_db
INJECTION = "hello\r\nBcc: victim@evil.example\r\nSubject: spam"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
FIELDS = [*feedback_answers(), "you_may_contact_me_about_my_feedback"]


@pytest.mark.parametrize("field", FIELDS)
def test_header_injection_in_any_field_never_reaches_a_header(
    client, feedback_page, field, mailoutbox, django_capture_on_commit_callbacks
):
    feedback_page.include_answers_in_email = True
    feedback_page.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_feedback(client, feedback_page, **{field: INJECTION})

    assert response.status_code in (200, 302)
    for message in mailoutbox:
        headers = message.message()
        assert headers["Bcc"] is None
        assert message.recipients() == ["prevention@example.org"]
        assert "\n" not in message.subject and "\r" not in message.subject
        assert "spam" not in headers["Subject"]
    if response.status_code == 200:  # refused: a choice or an email address must be valid
        assert not FeedbackSubmission.objects.exists()


def test_answers_are_escaped_in_the_html_email_and_the_admin(client, feedback_page, django_capture_on_commit_callbacks):
    feedback_page.include_answers_in_email = True
    feedback_page.save()
    post_feedback(client, feedback_page, your_message=XSS, your_role=XSS)
    email = OutboundEmail.objects.get()
    assert "<script>" not in email.body_html
    assert "&lt;script&gt;" in email.body_html
    assert XSS in email.body_text  # plain text is not HTML

    submission = FeedbackSubmission.objects.get()
    client.force_login(make_editor())
    for url in (f"/admin/feedback/submissions/edit/{submission.pk}/", "/admin/feedback/submissions/"):
        body = client.get(url).content.decode()
        assert '<script>alert("x")' not in body
        assert "<img src=x" not in body


def test_an_oversized_message_is_refused_with_a_clear_error(client, feedback_page, settings):
    response = post_feedback(client, feedback_page, your_message="a" * (settings.FEEDBACK_TEXT_MAX_LENGTH + 1))

    assert response.status_code == 200
    assert "Ensure this value has at most" in response.content.decode()
    assert not FeedbackSubmission.objects.exists()


@pytest.mark.parametrize("field", ["your_role", "your_name"])
def test_every_text_answer_has_a_size_limit(client, feedback_page, field):
    response = post_feedback(client, feedback_page, **{field: "a" * 256})
    assert response.status_code == 200
    assert not FeedbackSubmission.objects.exists()


def test_ten_thousand_fields_get_a_400(client, feedback_page):
    data = {**feedback_answers(), "feedback_ticket": feedback_ticket()}
    data.update({f"extra{n}": "x" for n in range(10_000)})

    response = client.post(feedback_page.url, data)

    assert response.status_code == 400
    assert not FeedbackSubmission.objects.exists()


def test_a_twenty_megabyte_body_gets_a_400_or_413(client, feedback_page):
    body = "your_message=" + "a" * (20 * 1024 * 1024)

    response = client.generic("POST", feedback_page.url, body, content_type="application/x-www-form-urlencoded")

    assert response.status_code in (400, 413)
    assert not FeedbackSubmission.objects.exists()


def test_files_are_ignored(client, feedback_page):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {**feedback_answers(), "feedback_ticket": feedback_ticket()}
    data["attachment"] = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff", content_type="image/jpeg")

    assert client.post(feedback_page.url, data).status_code == 302
    assert "attachment" not in FeedbackSubmission.objects.get().form_data
