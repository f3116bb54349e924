"""Only editors and administrators see feedback: every admin URL of the Feedback section and
of Wagtail's forms, for every persona (anonymous, member, coordinator, editor, administrator)."""

import pytest

from home.models import FeedbackSubmission
from portal.roles import editors_setup
from tests.factories import make_editor
from tests.feedback import post_feedback

pytestmark = pytest.mark.django_db
SECRET = "quokkaberyl"
CAN_SEE = {"editor", "administrator"}


@pytest.fixture
def submission(client, feedback_page):
    """A submission carrying SECRET, with the Editors' page permissions set up."""
    post_feedback(client, feedback_page, your_message=f"Feedback {SECRET}")
    client.cookies.clear()
    editors_setup()  # the Editors' page permissions on the public sections, the form among them
    return FeedbackSubmission.objects.get()


def urls(page, submission):
    return [
        "/admin/feedback/submissions/",
        "/admin/feedback/submissions/results/",
        f"/admin/feedback/submissions/edit/{submission.pk}/",
        "/admin/feedback/submissions/?export=csv",
        "/admin/feedback/submissions/?export=xlsx",
        "/admin/forms/",
        f"/admin/forms/submissions/{page.pk}/",
        f"/admin/forms/submissions/{page.pk}/delete/?selected-submissions={submission.pk}",
    ]


@pytest.mark.parametrize("persona", ["anonymous", "member", "coordinator", "editor", "administrator"])
def test_feedback_admin_urls(client, feedback_page, submission, personas, persona):
    page = feedback_page
    user = personas[persona]
    if user is not None:
        client.force_login(user)
    for url in urls(page, submission):
        response = client.get(url)
        body = response.content.decode(errors="replace")
        if persona in CAN_SEE:
            assert response.status_code in (200, 302), (url, response.status_code)
            if response.status_code == 302:
                assert response["Location"].startswith("/admin/feedback/submissions/"), url
        elif url == "/admin/forms/" and response.status_code == 200:
            assert page.title not in body  # a coordinator may open the admin's empty list of forms
        else:
            assert response.status_code in (302, 403, 404), (url, response.status_code)
            if response.status_code == 302:
                # Sign in, or Wagtail's admin home (which sends people without admin access away).
                assert response["Location"].startswith("/accounts/") or response["Location"] == "/admin/", url
            assert SECRET not in body, url


def test_editors_read_the_submission_and_triage_it(
    client, submission, personas, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(personas["editor"])
    edit_url = f"/admin/feedback/submissions/edit/{submission.pk}/"
    assert SECRET in client.get(edit_url).content.decode()

    response = client.post(
        edit_url, {"status": "in_progress", "assignee": personas["editor"].pk, "internal_notes": "Checking."}
    )

    assert response.status_code == 302
    submission.refresh_from_db()
    assert (submission.status, submission.assignee, submission.internal_notes) == (
        "in_progress",
        personas["editor"],
        "Checking.",
    )


def test_coordinators_cannot_be_assigned_feedback(client, submission, personas):
    client.force_login(personas["editor"])
    response = client.post(
        f"/admin/feedback/submissions/edit/{submission.pk}/",
        {"status": "new", "assignee": personas["coordinator"].pk, "internal_notes": ""},
    )
    assert response.status_code == 200
    submission.refresh_from_db()
    assert submission.assignee is None


def test_an_acknowledgement_goes_once_and_only_with_consent(
    client, feedback_page, mailoutbox, django_capture_on_commit_callbacks
):
    editor = make_editor()
    with django_capture_on_commit_callbacks(execute=True):
        post_feedback(client, feedback_page, your_email_address="sender@example.org")  # no consent
        post_feedback(
            client,
            feedback_page,
            your_email_address="asks@example.org",
            you_may_contact_me_about_my_feedback="on",
        )
    without, with_consent = FeedbackSubmission.objects.order_by("pk")
    assert (without.reply_email, with_consent.reply_email) == ("", "asks@example.org")
    client.force_login(editor)
    mailoutbox.clear()

    def acknowledge(submission):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                f"/admin/feedback/submissions/edit/{submission.pk}/",
                {"status": "new", "assignee": "", "internal_notes": "", "acknowledge": "on"},
            )

    acknowledge(with_consent)
    with_consent.refresh_from_db()
    assert with_consent.status == "acknowledged"
    acknowledge(with_consent)
    acknowledge(without)

    assert [message.to for message in mailoutbox] == [["asks@example.org"]]
    assert with_consent.reference in mailoutbox[0].subject
