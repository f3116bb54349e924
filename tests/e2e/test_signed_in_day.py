"""A member's day in the browser, on a phone and on a desktop: sign in, land in the
members' area with the sign-in message there (and only there), find who they are, their
group and their account in the header, sign out with one click and a confirmation, and
see "You have signed out" on the very next page. Nothing scrolls sideways."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts import make_account
from tests.e2e.test_trend_return import sign_in
from tests.factories import MembersAreaIndexPageFactory, OrganisationFactory, WorkingGroupPageFactory, make_member


def fits(page):
    width, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{page.url} is {width} px wide in a {inner} px window"


def banner(page):
    return page.locator(".govuk-notification-banner")


# GOV.UK Frontend's service navigation folds behind "Menu" below its tablet breakpoint.
TABLET_WIDTH = 641


def open_menu_if_folded(page, width):
    """Open the folded menu on a phone. Decided by the width, not by looking: the button
    is unhidden by the page's script, which may not have run yet when a check looks."""
    if width < TABLET_WIDTH:
        toggle = page.get_by_role("button", name="Menu")
        expect(toggle).to_be_visible()
        toggle.click()


@pytest.mark.parametrize("width", [390, 1280])
def test_a_member_signs_in_finds_their_way_around_and_signs_out(page, portal, width):
    page.set_viewport_size({"width": width, "height": 900})
    area = MembersAreaIndexPageFactory(parent=portal.home)
    cumbria = WorkingGroupPageFactory(parent=area, region="cumbria", title="Cumbria working group")
    user, secret = make_account("ana.reyes@cumbria.police.uk", first_name="Ana", last_name="Reyes")
    make_member(cumbria, organisation=OrganisationFactory(name="Cumbria Constabulary"), user=user)

    page.goto(portal.home.url)
    account = page.get_by_role("navigation", name="Account", exact=True)
    account.get_by_role("link", name="Sign in").click()
    sign_in(page, user, secret)

    expect(page).to_have_url(re.compile(r"/members/$"))
    expect(banner(page)).to_contain_text("Successfully signed in as")
    fits(page)
    expect(account).to_contain_text("Signed in as Ana Reyes")
    expect(account.get_by_role("link", name="Admin")).to_have_count(0)

    open_menu_if_folded(page, width)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Cumbria working group").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cumbria working group")
    expect(banner(page)).to_have_count(0)  # the message was shown once, on the landing page
    fits(page)

    account.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.get_by_role("main").get_by_role("link", name="Change your password")).to_be_visible()
    fits(page)

    account.get_by_role("link", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign out")
    fits(page)
    page.get_by_role("main").get_by_role("button", name="Sign out").click()

    expect(banner(page)).to_contain_text("You have signed out")
    expect(account.get_by_role("link", name="Sign in")).to_be_visible()
    fits(page)
    page.goto("/accounts/login/")
    expect(banner(page)).to_have_count(0)


def test_signing_out_works_without_javascript_on_a_small_phone(no_js_page, portal):
    page = no_js_page
    page.set_viewport_size({"width": 320, "height": 700})
    area = MembersAreaIndexPageFactory(parent=portal.home)
    cumbria = WorkingGroupPageFactory(parent=area, region="cumbria", title="Cumbria working group")
    user, secret = make_account("sam.jones@example.org", first_name="Sam", last_name="Jones")
    make_member(cumbria, user=user)
    sign_in(page, user, secret)

    account = page.get_by_role("navigation", name="Account", exact=True)
    expect(account).to_contain_text("Signed in as Sam Jones")
    fits(page)
    account.get_by_role("link", name="Sign out").click()
    page.get_by_role("main").get_by_role("button", name="Sign out").click()
    expect(banner(page)).to_contain_text("You have signed out")
    fits(page)
