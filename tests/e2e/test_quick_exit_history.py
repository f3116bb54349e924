"""After quick exit, Back does not bring back any portal page read before it.

What holds, in Chromium: for a visitor who is not signed in, links and GET forms within
the portal replace the tab's current history entry, so the portal holds one entry
however many pages were read, and quick exit (location.replace) replaces that one: Back
goes to where the visitor was before the portal (here the blank tab).

Not tested here: the reload of a portal page restored from the back-forward cache
(pageshow with event.persisted), because Playwright starts Chromium with that cache
turned off. Not possible at all: removing entries from the browser's History page, or
anything from before the visitor arrived; and without JavaScript (or before the
script has run) links and the exit link add entries like any link.
"""

import re

from playwright.sync_api import expect

from tests.e2e.steps import exit_button


def enhanced(page):
    """Wait for the portal's script (a module, run after parsing): until it has run, links
    and the exit button are plain links, which add history entries like any link."""
    page.locator(".portal-exit [role=status]").wait_for(state="attached")
    return page


def test_back_after_exit_shows_no_portal_page_read_before_it(page, portal):
    page.goto(portal.home.url)
    enhanced(page)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Guidance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Guidance")
    enhanced(page).get_by_role("link", name="Responding to sextortion").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Responding to sextortion")
    enhanced(page).get_by_role("link", name="Why children do not tell").click()  # "On this page"
    expect(page).to_have_url(re.compile("#"))
    assert page.evaluate("history.length") == 2  # the blank tab and the portal's one entry

    exit_button(page).click()
    expect(page).to_have_url(portal.exit_url)

    page.go_back()
    assert not page.url.startswith(portal.live_server_url), f"Back showed {page.url}"
    assert page.url == "about:blank"


def test_a_search_replaces_the_entry_too(page, portal):
    page.goto(portal.home.url)
    enhanced(page)
    search = page.get_by_role("search")
    search.get_by_role("searchbox").fill("sextortion")
    search.get_by_role("button").click()
    expect(page).to_have_url(f"{portal.live_server_url}/search/?query=sextortion")
    assert page.evaluate("history.length") == 2

    enhanced(page)
    exit_button(page).click()
    expect(page).to_have_url(portal.exit_url)
    page.go_back()
    assert page.url == "about:blank"
