"""A member posts an update in the browser: script typed into it never runs (row I01),
the feed, its topic filter and the form's errors pass axe, and all of it works without
JavaScript."""

import pytest
from playwright.sync_api import expect

from tests.accounts import make_account
from tests.e2e.steps import expect_no_violations, sign_in
from tests.factories import (
    MembersAreaIndexPageFactory,
    OrganisationFactory,
    WorkingGroupPageFactory,
    make_member,
    make_update,
)

PAYLOAD = "<script>alert('title')</script><img src=x onerror=alert(1)>"


@pytest.fixture
def group(portal):
    area = MembersAreaIndexPageFactory(parent=portal.home)
    return WorkingGroupPageFactory(parent=area, region="cumbria", title="Cumbria working group")


@pytest.fixture
def member_account(group):
    """(user, authenticator secret): a member of the group from Cumbria Constabulary."""
    police = OrganisationFactory(name="Cumbria Constabulary", email_domains="cumbria.police.uk")
    user, secret = make_account("ana.reyes@cumbria.police.uk", first_name="Ana", last_name="Reyes")
    make_member(group, organisation=police, user=user)
    return user, secret


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_a_member_posts_an_update_and_no_script_runs(browser, live_server, portal, group, member_account, javascript):
    from tests.e2e.conftest import _close_page, _open_page

    context, page = _open_page(browser, live_server, java_script_enabled=javascript)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        sign_in(page, *member_account)
        page.goto(group.url)
        page.get_by_role("link", name="Updates").click()
        page.get_by_role("link", name="Post an update").click()
        page.get_by_label("Title").fill(PAYLOAD)
        page.get_by_label("Update", exact=True).fill(
            "Seen twice this week:\n- fake modelling offers\n- <svg onload=alert(2)>\n\nSee https://www.ceop.police.uk/"
        )
        page.get_by_label("Tactics").check()
        page.get_by_role("button", name="Post update").click()

        expect(page.get_by_role("heading", level=1)).to_contain_text(PAYLOAD)
        expect(page.get_by_role("main")).to_contain_text("Ana Reyes, Cumbria Constabulary")
        expect(page.get_by_role("listitem").filter(has_text="<svg onload=alert(2)>")).to_be_visible()
        link = page.get_by_role("link", name="https://www.ceop.police.uk/")
        expect(link).to_have_attribute("rel", "nofollow noopener noreferrer")
        page.get_by_role("link", name="All updates").click()
        expect(page.get_by_role("link", name=PAYLOAD, exact=True)).to_be_visible()
        assert dialogs == []
    finally:
        _close_page(context, page)


def test_the_feed_and_its_errors_pass_axe(page, group, member_account):
    for n in range(22):
        make_update(group, author=member_account[0], title=f"Update {n}", tags=["platforms"] if n % 2 else ["events"])
    sign_in(page, *member_account)

    page.goto(f"{group.url}updates/")
    expect(page.get_by_role("navigation", name="Updates pages")).to_contain_text("Page 1 of 2")
    expect_no_violations(page)

    page.get_by_label("Topic", exact=True).select_option("Events")
    page.get_by_role("button", name="Show updates").click()
    expect(page.get_by_role("heading", level=2, name="11 updates about events")).to_be_visible()
    expect_no_violations(page)

    page.log.allow_console_error(r"status of 400 \(Bad Request\)")
    page.goto(f"{group.url}updates/?tag=gossip")
    expect(page.get_by_role("alert")).to_contain_text("Choose one of: Platforms, Tactics, Resources, Events, Other")
    expect_no_violations(page)

    page.goto(f"{group.url}updates/new/")
    page.get_by_label("Title").fill("T" * 151)
    page.get_by_role("button", name="Post update").click()
    expect(page.get_by_role("alert")).to_contain_text("Title must be 150 characters or fewer (it has 151)")
    expect(page.get_by_label("Title")).to_have_value("T" * 151)
    expect_no_violations(page)
