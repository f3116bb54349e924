"""An editor's day in the browser, on a phone and on a desktop: sign in from the public
site and land on the admin dashboard (titled with the site's name, with the panels of
their work); open the guidance due for review from its panel, record the review in the
page editor and publish it, see the admin's confirmation once and the panel emptied;
find their account page from the admin and sign out. Nothing scrolls sideways, and each
message shows once, on the page that follows what caused it."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from django.contrib.auth.models import Group
from django.utils import timezone

from portal.models import Profile
from portal.roles import EDITORS_GROUP_NAME, editors_setup
from resources.models import GuidancePage
from tests.accounts import make_account
from tests.e2e.steps import (
    DAY_WIDTHS,
    account_bar,
    expect_no_message,
    fill_date,
    fits,
    open_account_from_admin,
    open_admin_sidebar_if_folded,
    publish_from_the_footer,
    sign_in,
    sign_out,
)


def admin_messages(page):
    """The Wagtail admin's own messages (it does not use the portal's banner)."""
    return page.locator(".messages li")


@pytest.mark.parametrize("width", DAY_WIDTHS)
def test_an_editor_reviews_guidance_from_the_dashboard_and_signs_out(page, portal, width):
    page.set_viewport_size({"width": width, "height": 900})
    editors_setup()
    today = timezone.localdate()
    GuidancePage.objects.filter(pk=portal.parents_guidance.pk).update(
        last_reviewed=today - datetime.timedelta(days=400), next_review_due=today - datetime.timedelta(days=5)
    )
    user, secret = make_account("helen.marsh@example.org", first_name="Helen", last_name="Marsh")
    user.groups.add(Group.objects.get(name=EDITORS_GROUP_NAME))
    Profile.objects.create(user=user, job_title="Guidance and Content Editor")

    page.goto(portal.home.url)
    account = account_bar(page)
    account.get_by_role("link", name="Sign in").click()
    sign_in(page, user, secret)

    # The admin's dashboard, named for the site, with the editor's panels; the sign-in
    # message is shown there, in the admin's own messages, once.
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Working Group Portal")
    expect(admin_messages(page)).to_have_count(1)
    expect(admin_messages(page)).to_contain_text("Successfully signed in as Helen Marsh.")
    due = page.get_by_role("region", name="Guidance due for review")
    expect(due).to_contain_text("1 guidance page is past its review date.")
    expect(page.get_by_role("heading", name="New feedback")).to_be_visible()
    expect(page.get_by_text("No feedback is waiting for triage.")).to_be_visible()
    expect(page.get_by_role("heading", name="Trend returns outstanding")).to_have_count(0)
    fits(page)

    # The main task: review the guidance that is due, from the panel, and publish it.
    # The page editor is the heaviest page of the day: as long as a page load may take.
    due.get_by_role("link", name="Supporting parents and carers").click(timeout=30_000)
    expect(page).to_have_url(re.compile(rf"/admin/pages/{portal.parents_guidance.pk}/edit/$"))
    expect(admin_messages(page)).to_have_count(0)
    fits(page)
    # The admin's script marks its tabs up once it is ready: clicked earlier, on a busy
    # machine, the click would open nothing.
    promote = page.get_by_role("tab", name="Promote")
    expect(promote).to_have_attribute("aria-controls", "tab-promote")
    promote.click()
    next_review = today + datetime.timedelta(days=365)
    fill_date(page, page.get_by_label("Last reviewed"), today.isoformat())
    fill_date(page, page.get_by_label("Next review due"), next_review.isoformat())
    fits(page)
    publish_from_the_footer(page)

    expect(admin_messages(page)).to_have_count(1)
    expect(admin_messages(page)).to_contain_text("'Supporting parents and carers' has been published.")
    reviewed = GuidancePage.objects.get(pk=portal.parents_guidance.pk)
    assert (reviewed.last_reviewed, reviewed.next_review_due) == (today, next_review)

    fits(page)
    open_admin_sidebar_if_folded(page, width)
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("region", name="Guidance due for review")).to_contain_text(
        "No guidance is past its review date."
    )
    expect(admin_messages(page)).to_have_count(0)
    fits(page)

    # Their account, from the admin's own account menu, and back into the portal's frame.
    open_account_from_admin(page, width, "Helen")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Helen Marsh")
    expect(main).to_contain_text("Guidance and Content Editor")
    expect(account).to_contain_text("Signed in as Helen Marsh")
    expect(account.get_by_role("link", name="Admin")).to_be_visible()
    expect_no_message(page)
    fits(page)

    sign_out(page)
