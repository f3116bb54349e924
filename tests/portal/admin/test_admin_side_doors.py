"""Security matrix row C13: routes that come with Wagtail and duplicate a portal feature
are removed, redirected to the portal's own, or denied.

- Wagtail's account page (name, email, password) sends everyone to allauth's pages, which
  re-authenticate, confirm a new address by code and send a notice; nothing posted to it
  changes the account.
- Wagtail's password reset is gone: allauth's (rate limited, through the outbox) is the
  only one, and nothing posted to Wagtail's sends a mail.
- Deleting feedback through Wagtail's form-submissions view is an administrator's action,
  and audited.
"""

import pytest

from django.core import mail

from tests.accounts import make_account
from tests.factories import FeedbackFormPageFactory, feedback_answers, make_editor, with_authenticator

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(home_page):
    return with_authenticator(make_editor(email="ed@example.org", first_name="Ed", last_name="Itor"))


def test_the_admin_account_page_sends_people_to_the_portal_account_pages(client, editor):
    client.force_login(editor)
    response = client.get("/admin/account/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/"


def test_nothing_posted_to_the_admin_account_page_changes_the_account(client, editor):
    client.force_login(editor)
    response = client.post(
        "/admin/account/",
        {
            "name_email-first_name": "Mallory",
            "name_email-last_name": "Taken",
            "name_email-email": "mallory@evil.example",
            "password-old_password": "correct horse battery staple",
            "password-new_password1": "a new password nobody knows 1",
            "password-new_password2": "a new password nobody knows 1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/"
    editor.refresh_from_db()
    assert (editor.email, editor.first_name, editor.last_name) == ("ed@example.org", "Ed", "Itor")
    assert editor.check_password("correct horse battery staple")


@pytest.mark.parametrize(
    "url",
    [
        "/admin/password_reset/",
        "/admin/password_reset/done/",
        "/admin/password_reset/confirm/MQ/set-password/",
        "/admin/password_reset/complete/",
    ],
)
def test_wagtails_password_reset_is_gone(client, home_page, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/"


def test_a_reset_posted_to_wagtail_sends_nothing_and_discloses_nothing(client, home_page):
    make_account("known@example.org")
    answers = []
    for email in ("known@example.org", "unknown@example.org"):
        response = client.post("/admin/password_reset/", {"email": email})
        answers.append((response.status_code, response["Location"]))
    assert answers == [(302, "/accounts/password/reset/")] * 2
    assert mail.outbox == []
    from portal.models import OutboundEmail

    assert not OutboundEmail.objects.exists()


def test_the_admin_login_screen_offers_no_wagtail_reset_link(client, home_page, settings):
    from wagtail.admin.views.account import password_reset_enabled

    assert not password_reset_enabled()


@pytest.fixture
def feedback(home_page, client):
    from portal.roles import editors_setup
    from tests.feedback import post_feedback

    page = FeedbackFormPageFactory(parent=home_page)
    editors_setup()  # editors edit the public sections, the feedback form among them
    post_feedback(client, page, **feedback_answers())
    submission = page.get_submission_class().objects.get()
    return page, submission


def test_editors_cannot_delete_feedback_through_wagtails_form_views(client, editor, feedback):
    page, submission = feedback
    client.force_login(editor)
    url = f"/admin/forms/submissions/{page.pk}/delete/?selected-submissions={submission.pk}"
    for response in (client.get(url), client.post(url)):
        # Sent back to the feedback section, where editors triage feedback.
        assert (response.status_code, response["Location"]) == (302, "/admin/feedback/submissions/")
    assert type(submission).objects.filter(pk=submission.pk).exists()
    # Nor through the feedback section's own delete view.
    url = f"/admin/feedback/submissions/delete/{submission.pk}/"
    assert client.post(url).status_code in (302, 403)
    assert type(submission).objects.filter(pk=submission.pk).exists()


@pytest.mark.parametrize("route", ["wagtail", "feedback"])
def test_an_administrator_deletes_feedback_and_it_is_audited(client, admin_user, feedback, route, caplog):
    from wagtail.models import ModelLogEntry

    page, submission = feedback
    client.force_login(admin_user)
    if route == "wagtail":
        url = f"/admin/forms/submissions/{page.pk}/delete/?selected-submissions={submission.pk}"
    else:
        url = f"/admin/feedback/submissions/delete/{submission.pk}/"
    with caplog.at_level("INFO", logger="portal.security"):
        response = client.post(url)
    assert response.status_code == 302
    assert not type(submission).objects.filter(pk=submission.pk).exists()
    entry = ModelLogEntry.objects.get(action="portal.feedback_deleted")
    assert entry.user_id == admin_user.pk
    assert entry.data["submissions"] == [submission.pk]
    assert any("portal.feedback_deleted" in record.getMessage() for record in caplog.records)
