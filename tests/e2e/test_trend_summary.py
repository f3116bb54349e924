"""A member opens their group's trend summary: the charts, tables and notes pass axe; the
public copy does too, and its CSV link downloads the figures."""

import re

from playwright.sync_api import expect

from tests.accounts import make_account
from tests.e2e.steps import expect_no_violations, sign_in
from tests.factories import (
    MembersAreaIndexPageFactory,
    OrganisationFactory,
    TrendReturnFactory,
    WorkingGroupPageFactory,
    make_member,
    make_trend_summary,
    trend_counts,
)


def test_a_member_reads_a_trend_summary_and_the_public_copy(page, portal):
    members_area = MembersAreaIndexPageFactory(parent=portal.home)
    cumbria = WorkingGroupPageFactory(parent=members_area, region="cumbria", title="Cumbria working group")
    for total, given in ((20, {}), (20, {}), (4, {"gender_boys": 4})):
        TrendReturnFactory(
            working_group=cumbria, organisation=OrganisationFactory(), total=total, counts=trend_counts(total, **given)
        )
    summary = make_trend_summary(
        cumbria, narrative="<p>More approaches through gaming platforms.</p>", publish_publicly=True
    )
    user, secret = make_account("sam.jones@example.org")
    make_member(cumbria, user=user)
    sign_in(page, user, secret)
    expect(page).to_have_url(re.compile(r"/members/"))

    page.goto("/members/cumbria/summaries/")
    expect_no_violations(page)
    page.get_by_role("link", name=summary.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(summary.title)
    expect(page.get_by_role("img", name=re.compile("^Gender"))).to_be_visible()
    expect(page.get_by_role("table", name="Gender")).to_contain_text("[c]")
    expect_no_violations(page)

    page.get_by_role("link", name="public copy").click()
    expect(page).to_have_url(re.compile(r"/trends/cumbria/\d{4}-q\d/$"))
    expect_no_violations(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these figures (CSV)").click()
    assert download.value.suggested_filename.startswith("trend-summary-cumbria-")
