"""A professional sends feedback in Chromium and the coordinating organisation receives it."""

import datetime
import re

import time_machine
from playwright.sync_api import expect

from django.core import mail

from home.models import FeedbackSubmission
from tests.factories import FeedbackFormPageFactory


def test_a_professional_sends_feedback_and_the_coordinating_organisation_receives_it(page, portal, settings):
    form_page = FeedbackFormPageFactory(parent=portal.home)

    page.goto(form_page.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Send us feedback")
    expect(page.get_by_role("main")).to_contain_text("not for reporting a child at risk")
    page.get_by_label("A guidance page").check()
    page.get_by_label("Your role").fill("Designated safeguarding lead")
    page.get_by_label("Your region").select_option("Cumbria")
    page.get_by_label("Your message").fill("Please say sooner that children should not pay.")
    # The time trap refuses forms sent within three seconds of being shown; a person is
    # slower. The clock (the live server's too: one process) moves on instead of waiting.
    with time_machine.travel(datetime.timedelta(seconds=settings.FEEDBACK_MIN_SECONDS + 0.5), tick=True):
        page.get_by_role("button", name="Send feedback").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Feedback sent")
    reference = FeedbackSubmission.objects.get().reference
    expect(page.get_by_role("main")).to_contain_text(reference)
    assert re.fullmatch(r"FB-\d{4}-\d{6}", reference)

    [message] = mail.outbox
    assert message.to == [portal.settings.organisation_email]
    assert reference in message.subject
    assert "A guidance page" in message.body
