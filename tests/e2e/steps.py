"""Steps the browser tests share: signing in as a person would, and the axe check."""

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.accounts import PASSWORD, totp_code

axe = Axe()


def expect_no_violations(page):
    """axe-core finds no accessibility problems on the page as it is now, once it has
    loaded: right after a click the URL may already be the next page's while its document
    is still arriving, and axe would check that half-built page."""
    page.wait_for_load_state()
    results = axe.run(page)
    assert results.violations_count == 0, f"axe found problems on {page.url}:\n{results.generate_report()}"


def sign_in(page, user, secret):
    """Sign in through both steps, as a person would: password, then authenticator code."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    # A code typed at the very end of its 30 seconds still counts: see `_totp_tolerance`.
    page.locator("input[name=code]").fill(totp_code(secret))
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/"))
