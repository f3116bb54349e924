"""A member signs in, makes a mistake in their organisation's trend return, follows the
error summary to the field, corrects it and submits; axe finds no problems on the way."""

import re

from playwright.sync_api import expect

from groups.trends.quarters import reporting_quarter
from tests.accounts import make_account
from tests.e2e.steps import expect_no_violations, sign_in
from tests.factories import MembersAreaIndexPageFactory, OrganisationFactory, WorkingGroupPageFactory, make_member


def test_a_member_corrects_and_submits_a_trend_return(page, portal):
    members_area = MembersAreaIndexPageFactory(parent=portal.home)
    cumbria = WorkingGroupPageFactory(parent=members_area, region="cumbria", title="Cumbria working group")
    police = OrganisationFactory(name="Cumbria Constabulary", email_domains="cumbria.police.uk")
    user, secret = make_account("alex.smith@cumbria.police.uk")
    make_member(cumbria, user=user, organisation=police)
    sign_in(page, user, secret)
    expect(page).to_have_url(re.compile(r"/members/"))

    page.goto("/members/cumbria/returns/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Trend returns")
    expect_no_violations(page)
    page.get_by_role("link", name=f"Submit the return for {reporting_quarter().label}").click()

    page.get_by_label("Children and young people identified").fill("3")
    age = page.get_by_role("group", name="Age band")
    age.get_by_label("13 to 15").fill("2")
    for breakdown, category in [
        ("Gender", "Girls and young women"),
        ("Where first contact happened", "Gaming platform"),
        ("What was demanded", "Money"),
        ("Whether money was paid", "No"),
        ("Ransom band", "£50 to £499"),
    ]:
        page.get_by_role("group", name=breakdown).get_by_label(category, exact=True).fill("3")
    page.get_by_role("button", name="Submit the return").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Age bands add up to 2, but you said 3 children were identified")
    expect(page.get_by_label("Children and young people identified")).to_have_value("3")
    expect_no_violations(page)
    summary.get_by_role("link", name=re.compile("Age bands add up to 2")).click()
    # GOV.UK Frontend's error summary moves the focus to the first field of the breakdown.
    expect(page.get_by_role("group", name="Age band").get_by_label("Under 11")).to_be_focused()

    page.get_by_role("group", name="Age band").get_by_label("16 to 17").fill("1")
    page.get_by_role("button", name="Submit the return").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trend return")
    expect(page.get_by_role("main")).to_contain_text("version 1")
    expect_no_violations(page)
