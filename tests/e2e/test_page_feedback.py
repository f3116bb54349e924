"""'Is this page useful?' at the end of a guidance page: Yes is posted, counted at once and
thanked, No leads to the short form, with JavaScript and without; following a link with
"useful=yes" (as a crawler or a prefetcher would) counts nothing until confirmed."""

import re

import pytest
from playwright.sync_api import expect

from home.models import FeedbackSubmission
from tests.factories import FeedbackFormPageFactory


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_yes_is_counted_at_once_and_thanked(browser, live_server, portal, javascript):
    from tests.e2e.conftest import _close_page, _open_page

    FeedbackFormPageFactory(parent=portal.home)
    context, page = _open_page(browser, live_server, java_script_enabled=javascript)
    try:
        page.goto(portal.guidance.url)
        feedback = page.get_by_role("region", name="Is this page useful?")
        with page.expect_request(lambda request: "/useful/" in request.url) as sent:
            feedback.get_by_role("button", name="Yes this page is useful").click()
        assert sent.value.method == "POST"

        expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your feedback")
        expect(page.get_by_label("What was wrong or missing? (optional)")).to_have_count(0)
        [submission] = FeedbackSubmission.objects.all()
        assert (submission.source_page_id, submission.form_data["page_useful"]) == (portal.guidance.pk, "Yes")

        page.get_by_role("link", name=f"Back to {portal.guidance.title}").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(portal.guidance.title)

        page.get_by_role("region", name="Is this page useful?").get_by_role(
            "button", name="No this page is not useful"
        ).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Tell us about this page")
        expect(page.get_by_label("What was wrong or missing? (optional)")).to_be_visible()
        assert FeedbackSubmission.objects.count() == 1
    finally:
        _close_page(context, page)


def test_a_link_with_yes_counts_nothing_until_confirmed(browser, live_server, portal):
    from tests.e2e.conftest import _close_page, _open_page

    FeedbackFormPageFactory(parent=portal.home)
    context, page = _open_page(browser, live_server)
    try:
        page.goto(f"/page-feedback/{portal.guidance.pk}/?useful=yes")
        expect(page.get_by_role("heading", level=1)).to_have_text("Is this page useful?")
        assert not FeedbackSubmission.objects.exists()

        page.get_by_role("button", name="Yes, this page is useful").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your feedback")
        expect(page).to_have_url(re.compile(r"/page-feedback/\d+/\?sent="))
        assert FeedbackSubmission.objects.count() == 1
    finally:
        _close_page(context, page)
