"""Steps the browser tests share: signing in as a person would, and the axe check."""

import re
import time
from contextlib import contextmanager

import time_machine
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.accounts import PASSWORD, TOTP_PERIOD, totp_code

axe = Axe()
_last_window = 0


def expect_no_violations(page):
    """axe-core finds no accessibility problems on the page as it is now."""
    results = axe.run(page)
    assert results.violations_count == 0, f"axe found problems on {page.url}:\n{results.generate_report()}"


@contextmanager
def at_the_start_of_a_totp_window():
    """Move the clock to the start of a TOTP window not used before in this run.

    A code typed near the end of its 30 seconds would be refused, and allauth refuses a
    code used twice. Rather than wait for the next window, the clock moves to the start of
    a fresh one (the live server runs in this process, so it moves for the server too) and
    runs on from there; afterwards it is back to the real time.
    """
    global _last_window
    window = max(int(time.time() // TOTP_PERIOD) + 1, _last_window + 1)
    _last_window = window
    with time_machine.travel(window * TOTP_PERIOD + 0.5, tick=True):
        yield


def sign_in(page, user, secret):
    """Sign in through both steps, as a person would: password, then authenticator code."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    with at_the_start_of_a_totp_window():
        page.locator("input[name=code]").fill(totp_code(secret))
        page.get_by_role("button", name="Sign in").click()
        expect(page).not_to_have_url(re.compile(r"/accounts/"))
