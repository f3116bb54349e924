"""A coordinator's day in the browser, on a phone and on a desktop: sign in from the
public site and land on the group they run, told once that they are signed in; invite a
new member through the group's invitation form and see the confirmation once, on the list
of invitations waiting for a reply; find the admin from the header, where the invitation
waits on the dashboard, and their account from the admin; sign out. Nothing scrolls
sideways, and each message shows once, on the page that follows what caused it."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts import make_account
from tests.e2e.steps import (
    DAY_WIDTHS,
    account_bar,
    expect_message,
    expect_no_message,
    fits,
    open_account_from_admin,
    sign_in,
    sign_out,
)
from tests.factories import MembersAreaIndexPageFactory, OrganisationFactory, WorkingGroupPageFactory, make_member

INVITED = "jo.baker@cumbria.gov.uk"


@pytest.mark.parametrize("width", DAY_WIDTHS)
def test_a_coordinator_lands_on_their_group_invites_a_member_and_signs_out(page, portal, width):
    page.set_viewport_size({"width": width, "height": 900})
    area = MembersAreaIndexPageFactory(parent=portal.home)
    cumbria = WorkingGroupPageFactory(parent=area, region="cumbria", title="Cumbria working group")
    police = OrganisationFactory(name="Cumbria Constabulary", email_domains="cumbria.police.uk")
    council = OrganisationFactory(name="Cumbria County Council", email_domains="cumbria.gov.uk")
    make_member(cumbria, organisation=council)
    user, secret = make_account("priya.shah@cumbria.police.uk", first_name="Priya", last_name="Shah")
    make_member(cumbria, organisation=police, user=user, role="coordinator")

    page.goto(portal.home.url)
    account = account_bar(page)
    account.get_by_role("link", name="Sign in").click()
    sign_in(page, user, secret)

    # Landed on the group they run, told once that they are signed in.
    expect(page).to_have_url(re.compile(rf"{re.escape(cumbria.url)}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cumbria working group")
    expect_message(page, "Successfully signed in as Priya Shah.")
    expect(account).to_contain_text("Signed in as Priya Shah")
    fits(page)

    # The main task: invite someone through the group's invitation form.
    page.get_by_role("link", name="See who is in the group").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    expect_no_message(page)
    fits(page)
    page.get_by_role("link", name="Invite someone").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite someone")
    fits(page)
    page.get_by_label("Email address").fill(INVITED)
    page.get_by_label("Organisation").select_option(label="Cumbria County Council")
    page.get_by_label("Role").select_option(label="Member")
    page.get_by_role("button", name="Send invitation").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Invitations")
    expect_message(page, f"Invitation sent to {INVITED}.")
    expect(page.get_by_role("row", name=re.compile(re.escape(INVITED)))).to_contain_text("Cumbria County Council")
    fits(page)

    # The admin, from the header: the invitation waits there too, and the message does not.
    account.get_by_role("link", name="Admin").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    invitations = page.get_by_role("region", name="Pending invitations")
    expect(invitations.get_by_role("link", name=INVITED)).to_be_visible()
    expect(page.get_by_text(f"Invitation sent to {INVITED}.")).to_have_count(0)
    fits(page)

    # Their account, from the admin's own account menu, and back into the portal's frame.
    open_account_from_admin(page, width, "Priya")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Priya Shah")
    expect(account.get_by_role("link", name="Admin")).to_be_visible()
    expect_no_message(page)
    fits(page)

    sign_out(page)
