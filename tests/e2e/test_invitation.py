"""A newly invited professional's first day in the browser, on a phone and on a desktop:
they accept their invitation with their name and job title (forgetting the job title at
first), set up MFA, confirm they saved their recovery codes and land in the group they
were invited to, where the header and the People page show their name; they find their
account page, showing their name, and sign out. Nothing scrolls sideways, and each message
shows once, on the page that follows what caused it."""

import re

import pytest
from playwright.sync_api import expect

from groups.membership.services import invitation_create
from tests.accounts import totp_code
from tests.e2e.steps import (
    DAY_WIDTHS,
    account_bar,
    expect_message,
    expect_no_message,
    fits,
    open_menu_if_folded,
    sign_out,
)
from tests.factories import (
    MembersAreaIndexPageFactory,
    OrganisationFactory,
    WorkingGroupPageFactory,
    make_member,
)

PASSWORD = "quiet harbour lantern 42"


@pytest.mark.parametrize("width", DAY_WIDTHS)
def test_accepts_an_invitation_sets_up_two_factor_authentication_and_signs_out(page, portal, width):
    page.set_viewport_size({"width": width, "height": 900})
    members_area = MembersAreaIndexPageFactory(parent=portal.home)
    cumbria = WorkingGroupPageFactory(parent=members_area, region="cumbria", title="Cumbria working group")
    police = OrganisationFactory(name="Cumbria Constabulary", email_domains="cumbria.police.uk")
    coordinator = make_member(cumbria, role="coordinator", username="coordinator")
    _, token = invitation_create(
        working_group=cumbria,
        email="alex.smith@cumbria.police.uk",
        organisation=police,
        role="member",
        invited_by=coordinator,
    )

    page.goto(f"/invitation/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Join the Cumbria working group")
    expect(page.get_by_role("main")).to_contain_text("alex.smith@cumbria.police.uk")
    fits(page)
    # The job title is forgotten at first: the error names it, and nothing else typed is lost.
    page.get_by_label("First name").fill("Alex")
    page.get_by_label("Last name").fill("Smith")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter your job title")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_label("First name")).to_have_value("Alex")
    expect(page.get_by_label("Last name")).to_have_value("Smith")
    fits(page)
    summary.get_by_role("link", name="Enter your job title").click()
    expect(page.get_by_label("Job title")).to_be_focused()
    page.get_by_label("Job title").fill("Detective Constable")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    # Signed in, by their name, and sent to set up an authenticator app before anything else.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
    expect_message(page, "Successfully signed in as Alex Smith.")
    fits(page)
    secret = page.get_by_label("Secret key").input_value()
    assert secret
    page.get_by_label("Code from your authenticator app").fill(totp_code(secret))
    page.get_by_role("button", name="Continue").click()

    # Their recovery codes, shown once: they say they saved them and go on.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery codes")
    expect(page.get_by_role("main")).to_contain_text("10 out of 10 recovery codes")
    expect_message(page, "Authenticator app activated.")
    fits(page)
    page.get_by_label("I have saved my recovery codes").check()
    page.get_by_role("button", name="Continue").click()

    # They land in the group they were invited to, known by their name.
    expect(page).to_have_url(re.compile(rf"{re.escape(cumbria.url)}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cumbria working group")
    expect_no_message(page)
    account = account_bar(page)
    expect(account).to_contain_text("Signed in as Alex Smith")
    fits(page)
    open_menu_if_folded(page, width)
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Cumbria working group")).to_be_visible()

    page.get_by_role("link", name="See who is in the group").click()
    row = page.get_by_role("row", name=re.compile(r"Alex Smith"))
    expect(row).to_contain_text("Detective Constable")
    expect(row).to_contain_text("Cumbria Constabulary")
    expect(page.get_by_role("main")).not_to_contain_text("alex.smith")
    fits(page)

    # Their account, from the header, with the name and job title they gave.
    account.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Alex Smith")
    expect(main).to_contain_text("Detective Constable")
    expect_no_message(page)
    fits(page)

    sign_out(page)
