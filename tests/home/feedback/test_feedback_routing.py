"""Routing: topic → recipients; a request to join a region's group → its coordinators, with
the coordinating organisation in copy. Recipients never come from the request."""

import pytest

from home.models import FeedbackRoute, FeedbackSubmission, PortalSettings
from portal.models import OutboundEmail
from tests.factories import make_editor, make_member
from tests.feedback import post_feedback

pytestmark = pytest.mark.django_db
ORGANISATION = "prevention@example.org"


def recipients():
    return sorted(address for email in OutboundEmail.objects.all() for address in email.to)


def test_without_a_rule_feedback_goes_to_the_coordinating_organisation(client, feedback_page, home_page):
    settings = PortalSettings.for_site(home_page.get_site())
    settings.organisation_email = "feedback@charity.example.org"
    settings.save()

    post_feedback(client, feedback_page)

    assert recipients() == ["feedback@charity.example.org"]


def test_the_form_page_addresses_replace_the_default(client, feedback_page):
    feedback_page.to_address = "one@example.org, two@example.org"
    feedback_page.save()

    post_feedback(client, feedback_page)

    assert recipients() == ["one@example.org", "two@example.org"]
    assert [email.to for email in OutboundEmail.objects.all()] == [["one@example.org"], ["two@example.org"]]


def test_a_topic_rule_sends_to_its_recipients(client, feedback_page):
    FeedbackRoute.objects.create(topic="a local service", recipients="services@example.org\nlibrary@example.org")

    post_feedback(client, feedback_page, what_is_your_feedback_about="A local service")

    assert recipients() == ["library@example.org", "services@example.org"]


def test_a_join_request_goes_to_the_regions_coordinators_with_the_organisation_in_copy(
    client, feedback_page, cumbria, yorkshire
):
    FeedbackRoute.objects.create(topic="Joining the working group", to_group_coordinators=True)
    make_member(cumbria, role="coordinator", email="lead@cumbria.example.org", username="lead")
    make_member(cumbria, role="coordinator", email="deputy@cumbria.example.org", username="deputy")
    make_member(cumbria, role="member", email="member@cumbria.example.org", username="member")
    make_member(cumbria, role="coordinator", status="invited", email="new@cumbria.example.org", username="new")
    make_member(yorkshire, role="coordinator", email="lead@yorkshire.example.org", username="yorks")

    post_feedback(client, feedback_page, what_is_your_feedback_about="Joining the working group", your_region="Cumbria")

    assert recipients() == ["deputy@cumbria.example.org", "lead@cumbria.example.org", ORGANISATION]
    copy = OutboundEmail.objects.get(to=[ORGANISATION])
    assert "A copy for the coordinating organisation" in copy.body_text
    assert "/admin/feedback/submissions/" in copy.body_text
    to_coordinator = OutboundEmail.objects.get(to=["lead@cumbria.example.org"])
    assert "/admin/" not in to_coordinator.body_text


def test_a_join_request_for_a_region_without_coordinators_goes_to_the_organisation(client, feedback_page, cumbria):
    FeedbackRoute.objects.create(topic="Joining the working group", to_group_coordinators=True)

    post_feedback(client, feedback_page, what_is_your_feedback_about="Joining the working group", your_region="Cumbria")

    assert recipients() == [ORGANISATION]


def test_answers_are_left_out_of_emails_unless_an_administrator_turns_them_on(client, feedback_page):
    post_feedback(client, feedback_page, your_message="Please add the Report Remove link.")
    email = OutboundEmail.objects.get()
    submission = FeedbackSubmission.objects.get()
    assert "Report Remove" not in email.body_text + email.body_html
    assert submission.reference in email.body_text and "A guidance page" in email.body_text
    assert email.subject == f"Feedback {submission.reference}: A guidance page"

    feedback_page.include_answers_in_email = True
    feedback_page.save()
    post_feedback(client, feedback_page, your_message="Please add the Report Remove link.")
    assert "Please add the Report Remove link." in OutboundEmail.objects.last().body_text


@pytest.mark.parametrize("field", ["to", "to_address", "recipients", "cc", "bcc", "email"])
def test_recipients_in_the_request_are_ignored(client, feedback_page, field):
    post_feedback(client, feedback_page, **{field: "attacker@evil.example"})

    assert recipients() == [ORGANISATION]


def test_only_administrators_see_the_recipients_panel(client, feedback_page, admin_user):
    url = f"/admin/pages/{feedback_page.pk}/edit/"
    client.force_login(make_editor())
    as_editor = client.get(url).content.decode()
    client.force_login(admin_user)
    as_admin = client.get(url).content.decode()

    assert 'name="to_address"' not in as_editor
    assert 'name="include_answers_in_email"' not in as_editor
    assert 'name="to_address"' in as_admin
    assert 'name="include_answers_in_email"' in as_admin


def test_an_editor_posting_recipients_to_the_admin_changes_nothing(client, feedback_page):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

    editor = make_editor()
    client.force_login(editor)
    fields = list(feedback_page.form_fields.all())
    data = nested_form_data(
        {
            "title": feedback_page.title,
            "slug": feedback_page.slug,
            "intro": rich_text("<p>Tell us.</p>"),
            "thank_you_text": rich_text(""),
            "to_address": "attacker@evil.example",
            "include_answers_in_email": "on",
            "form_fields": inline_formset(
                [
                    {
                        "id": f.pk,
                        "label": f.label,
                        "help_text": "",
                        "required": f.required,
                        "field_type": f.field_type,
                        "choices": f.choices,
                        "default_value": "",
                        "purpose": f.purpose,
                    }
                    for f in fields
                ],
                initial=len(fields),
            ),
        }
    )

    response = client.post(f"/admin/pages/{feedback_page.pk}/edit/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    feedback_page.refresh_from_db()
    assert feedback_page.to_address == ""
    assert feedback_page.include_answers_in_email is False


def test_routing_rules_are_for_administrators_only(client, admin_user):
    editor = make_editor()
    client.force_login(editor)
    assert client.get("/admin/feedback/routing/").status_code in (302, 403)
    client.force_login(admin_user)
    assert client.get("/admin/feedback/routing/").status_code == 200


def test_a_fresh_site_has_no_organisation_address():
    """No real organisation's address is built in: an administrator sets it (the demo sets an
    example address)."""
    assert PortalSettings().organisation_email == ""


def test_without_an_organisation_address_feedback_is_stored_and_no_email_is_queued(client, feedback_page, home_page):
    settings = PortalSettings.for_site(home_page.get_site())
    settings.organisation_email = ""
    settings.save()

    post_feedback(client, feedback_page)

    assert FeedbackSubmission.objects.count() == 1
    assert OutboundEmail.objects.count() == 0
