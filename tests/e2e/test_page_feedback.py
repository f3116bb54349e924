"""'Is this page useful? Yes' at the end of a guidance page is counted at once and thanked,
with JavaScript and without."""

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
        feedback.get_by_role("button", name="Yes this page is useful").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your feedback")
        expect(page.get_by_label("What was wrong or missing? (optional)")).to_have_count(0)
        [submission] = FeedbackSubmission.objects.all()
        assert (submission.source_page_id, submission.form_data["page_useful"]) == (portal.guidance.pk, "Yes")

        page.get_by_role("link", name=f"Back to {portal.guidance.title}").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(portal.guidance.title)
    finally:
        _close_page(context, page)
