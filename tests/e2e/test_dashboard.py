"""A member of two groups signs in, reads their dashboard (overdue action first, status in
words), marks an action done from it, opens a group's overview and finds a word from the
meeting notes with the site search. axe finds no problems on any of those pages."""

import datetime
import re

from playwright.sync_api import expect

from tests.e2e.steps import expect_no_violations, sign_in
from tests.factories import (
    MembersAreaIndexPageFactory,
    OrganisationFactory,
    WorkingGroupPageFactory,
    make_meeting,
    make_member,
    make_update,
)

TOKEN = "wombatnebula"


def test_a_member_reads_the_dashboard_closes_an_action_and_searches_the_notes(page, portal):
    from django.utils import timezone

    from tests.accounts import make_account

    area = MembersAreaIndexPageFactory(parent=portal.home)
    cumbria = WorkingGroupPageFactory(parent=area, region="cumbria", title="Cumbria working group")
    yorkshire = WorkingGroupPageFactory(parent=area, region="yorkshire", title="Yorkshire working group")
    police = OrganisationFactory(name="Cumbria Constabulary", email_domains="cumbria.police.uk")
    user, secret = make_account("ana.reyes@cumbria.police.uk", first_name="Ana", last_name="Reyes")
    make_member(cumbria, organisation=police, user=user)
    make_member(yorkshire, organisation=police, user=user)
    today = timezone.localdate()
    make_meeting(
        cumbria,
        start=timezone.now() - datetime.timedelta(days=20),
        agenda=[("Trends", f"<p>Reports of {TOKEN} accounts.</p>")],
        actions=[
            {"description": "Share the school leaflet", "owner_user": user, "due_date": today + datetime.timedelta(20)},
            {
                "description": "Brief the safeguarding leads",
                "owner_user": user,
                "due_date": today - datetime.timedelta(2),
            },
        ],
    )
    make_meeting(cumbria, start=timezone.now() + datetime.timedelta(days=9), title="Spring meeting")
    make_update(cumbria, title="New approach on a game chat")

    sign_in(page, user, secret)
    page.goto("/members/")
    cumbria_section = page.get_by_role("region", name="Cumbria working group")
    expect(cumbria_section.get_by_role("link", name="Spring meeting")).to_be_visible()
    rows = cumbria_section.get_by_role("table").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Brief the safeguarding leads")
    expect(rows.first).to_contain_text("Overdue")
    expect(rows.last).to_contain_text("On track")
    expect(cumbria_section.get_by_role("link", name="New approach on a game chat")).to_be_visible()
    expect(page.get_by_role("region", name="Yorkshire working group")).to_contain_text("No meeting is planned yet.")
    expect_no_violations(page)

    rows.first.get_by_role("link", name=re.compile("Update status")).click()
    page.get_by_label("Done").check()
    page.get_by_role("button", name="Save the update").click()
    page.goto("/members/")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Share the school leaflet")

    cumbria_section.get_by_role("heading", level=2).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cumbria working group")
    expect(page.get_by_role("main")).to_contain_text("2 members.")  # Ana and the update's author
    expect_no_violations(page)

    page.goto("/search/")
    search_box = page.get_by_label("Search the guidance, resources and your working groups")
    search_box.fill(TOKEN)
    search_box.press("Enter")
    own = page.get_by_role("region", name="From your working groups")
    expect(own.locator("li")).to_have_count(1)
    expect(own.locator("li mark")).to_have_text(TOKEN)
    expect_no_violations(page)
    own.get_by_role("link").first.click()
    expect(page.get_by_role("main")).to_contain_text(f"Reports of {TOKEN} accounts.")
