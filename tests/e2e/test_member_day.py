"""A member's day in the browser, on a phone and on a desktop: sign in from the public
site, land in the members' area with the sign-in message there (and only there), post an
update to their group through its form and find it in the feed, find their account in
the header and sign out with one click and a confirmation. Nothing scrolls sideways, and
each message shows once, on the page that follows what caused it."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts import make_account
from tests.e2e.steps import (
    DAY_WIDTHS,
    account_bar,
    banner,
    expect_message,
    expect_no_message,
    fits,
    open_menu_if_folded,
    sign_in,
    sign_out,
)
from tests.factories import MembersAreaIndexPageFactory, OrganisationFactory, WorkingGroupPageFactory, make_member


@pytest.mark.parametrize("width", DAY_WIDTHS)
def test_a_member_signs_in_posts_an_update_and_signs_out(page, portal, width):
    page.set_viewport_size({"width": width, "height": 900})
    area = MembersAreaIndexPageFactory(parent=portal.home)
    cumbria = WorkingGroupPageFactory(parent=area, region="cumbria", title="Cumbria working group")
    user, secret = make_account("ana.reyes@cumbria.police.uk", first_name="Ana", last_name="Reyes")
    make_member(cumbria, organisation=OrganisationFactory(name="Cumbria Constabulary"), user=user)

    page.goto(portal.home.url)
    account = account_bar(page)
    account.get_by_role("link", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    fits(page)
    sign_in(page, user, secret)

    # Landed in the members' area, told once that they are signed in.
    expect(page).to_have_url(re.compile(r"/members/$"))
    expect_message(page, "Successfully signed in as Ana Reyes.")
    fits(page)
    expect(account).to_contain_text("Signed in as Ana Reyes")
    expect(account.get_by_role("link", name="Admin")).to_have_count(0)

    # Their group, from the header's menu (folded behind "Menu" on a phone).
    open_menu_if_folded(page, width)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Cumbria working group").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cumbria working group")
    expect_no_message(page)
    fits(page)

    # The main task: post an update through the group's form.
    page.get_by_role("link", name="Updates").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Updates")
    fits(page)
    page.get_by_role("link", name="Post an update").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Post an update")
    fits(page)
    page.get_by_label("Title").fill("Fake modelling offers on a game chat")
    page.get_by_label("Update", exact=True).fill("Three schools report the same approach this month.")
    page.get_by_label("Tactics").check()
    page.get_by_role("button", name="Post update").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Fake modelling offers on a game chat")
    expect_message(page, "Your update has been posted.")
    expect(page.get_by_role("main")).to_contain_text("Ana Reyes, Cumbria Constabulary")
    fits(page)

    page.get_by_role("link", name="All updates").click()
    expect(page.get_by_role("link", name="Fake modelling offers on a game chat", exact=True)).to_be_visible()
    expect_no_message(page)
    fits(page)

    # Their account, from the header.
    account.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.get_by_role("main")).to_contain_text("Ana Reyes")
    expect(page.get_by_role("main").get_by_role("link", name="Change your password")).to_be_visible()
    expect_no_message(page)
    fits(page)

    sign_out(page)


def test_signing_out_works_without_javascript_on_a_small_phone(no_js_page, portal):
    page = no_js_page
    page.set_viewport_size({"width": 320, "height": 700})
    area = MembersAreaIndexPageFactory(parent=portal.home)
    cumbria = WorkingGroupPageFactory(parent=area, region="cumbria", title="Cumbria working group")
    user, secret = make_account("sam.jones@example.org", first_name="Sam", last_name="Jones")
    make_member(cumbria, user=user)
    sign_in(page, user, secret)

    account = account_bar(page)
    expect(account).to_contain_text("Signed in as Sam Jones")
    fits(page)
    account.get_by_role("link", name="Sign out").click()
    page.get_by_role("main").get_by_role("button", name="Sign out").click()
    expect(banner(page)).to_contain_text("You have signed out")
    fits(page)
