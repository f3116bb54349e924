"""An invited professional accepts their invitation with their name and job title, sets
up MFA and reaches their group, where the header and the People page show their name."""

import re

from playwright.sync_api import expect

from groups.membership.services import invitation_create
from tests.accounts import totp_code
from tests.factories import (
    MembersAreaIndexPageFactory,
    OrganisationFactory,
    WorkingGroupPageFactory,
    make_member,
)

PASSWORD = "quiet harbour lantern 42"


def test_accepts_an_invitation_and_sets_up_two_factor_authentication(page, portal):
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
    summary.get_by_role("link", name="Enter your job title").click()
    expect(page.get_by_label("Job title")).to_be_focused()
    page.get_by_label("Job title").fill("Detective Constable")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    # Sent to set up an authenticator app before anything else.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
    secret = page.get_by_label("Secret key").input_value()
    assert secret
    page.get_by_label("Code from your authenticator app").fill(totp_code(secret))
    page.get_by_role("button", name="Continue").click()

    # allauth shows the new recovery codes next; it may first ask for the password again,
    # depending on the re-authentication rules in portal.accounts and the settings.
    expect(page).to_have_url(re.compile(r"/accounts/(reauthenticate|2fa/recovery-codes)/"))
    if "/accounts/reauthenticate/" in page.url:
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery codes")
    expect(page.get_by_role("main")).to_contain_text("10 out of 10 recovery codes")

    # Continue goes on to the members' area once they say the codes are saved.
    page.get_by_label("I have saved my recovery codes").check()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/members/$"))
    expect(page.get_by_role("main").get_by_role("link", name="Cumbria working group")).to_be_visible()

    # They are known by their name, to themselves and to the group.
    account = page.get_by_role("navigation", name="Account", exact=True)
    expect(account).to_contain_text("Signed in as Alex Smith")
    page.goto(f"/members/{cumbria.slug}/people/")
    row = page.get_by_role("row", name=re.compile(r"Alex Smith"))
    expect(row).to_contain_text("Detective Constable")
    expect(row).to_contain_text("Cumbria Constabulary")
    expect(page.get_by_role("main")).not_to_contain_text("alex.smith")
