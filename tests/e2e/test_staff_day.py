"""An editor's day in the browser, on a phone and on a desktop: sign in from the public
site, land on the admin dashboard (titled with the site's name, with the panels of their
work), find their account page from the admin, and sign out. Nothing scrolls sideways."""

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
from tests.e2e.steps import sign_in
from tests.e2e.test_signed_in_day import banner, fits

PHONE = 390


@pytest.mark.parametrize("width", [PHONE, 1280])
def test_an_editor_lands_on_the_dashboard_finds_their_account_and_signs_out(page, portal, width):
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
    account = page.get_by_role("navigation", name="Account", exact=True)
    account.get_by_role("link", name="Sign in").click()
    sign_in(page, user, secret)

    # The admin's dashboard, named for the site, with the editor's panels.
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Working Group Portal")
    expect(page.get_by_role("heading", name="Guidance due for review")).to_be_visible()
    expect(page.get_by_role("link", name="Supporting parents and carers")).to_be_visible()
    expect(page.get_by_role("heading", name="New feedback")).to_be_visible()
    expect(page.get_by_text("No feedback is waiting for triage.")).to_be_visible()
    expect(page.get_by_role("heading", name="Trend returns outstanding")).to_have_count(0)
    fits(page)

    # Their account, from the admin's own account menu (folded away on a phone).
    if width == PHONE:
        page.locator('button[aria-label="Toggle sidebar"][aria-expanded="false"]').first.click()
    footer = page.locator(".sidebar-footer")
    footer.get_by_role("button", name="Helen", exact=True).click()  # the admin shows the first name
    footer.get_by_role("link", name="Account").click()
    expect(page).to_have_url(re.compile(r"/accounts/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Helen Marsh")
    expect(main).to_contain_text("Guidance and Content Editor")
    expect(account).to_contain_text("Signed in as Helen Marsh")
    expect(account.get_by_role("link", name="Admin")).to_be_visible()
    fits(page)

    account.get_by_role("link", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign out")
    page.get_by_role("main").get_by_role("button", name="Sign out").click()
    expect(banner(page)).to_contain_text("You have signed out")
    expect(account.get_by_role("link", name="Sign in")).to_be_visible()
    fits(page)
