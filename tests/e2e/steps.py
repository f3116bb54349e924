"""Steps the browser tests share: signing in and out as a person would, the checks every
page of a day must pass (it fits the window; a message shows once, where it belongs), and
the axe check."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.accounts import PASSWORD, totp_code

axe = Axe()

# The widths a day is walked at: a phone and a desktop.
PHONE = 390
DESKTOP = 1280
DAY_WIDTHS = [PHONE, DESKTOP]

# GOV.UK Frontend's service navigation folds behind "Menu" below its tablet breakpoint.
TABLET_WIDTH = 641


def exit_button(page):
    """The quick exit button every public page has."""
    return page.get_by_role("button", name="Emergency Exit this page")


def members_pages(members_site):
    """The members' pages of the `members_site` fixture's group that every member sees, by
    name. Addresses written out rather than reversed: they are what a person bookmarks."""
    site = members_site
    base = f"/members/{site.group.slug}"
    return {
        "dashboard": "/members/",
        "group page": site.group.url,
        "meetings": f"{base}/meetings/",
        "meeting calendar": f"{base}/meetings/calendar/",
        "meeting page": site.meeting.url,
        "action page": f"{base}/actions/{site.action.pk}/",
        "updates feed": f"{base}/updates/",
        "update page": f"{base}/updates/{site.update.pk}/",
        "new update": f"{base}/updates/new/",
        "documents": f"{base}/documents/",
        "people": f"{base}/people/",
        "returns": f"{base}/returns/",
        "return form": f"{base}/returns/new/",
        "summaries": f"{base}/summaries/",
        "summary page": site.summary.url,
        "notifications": "/members/notifications/",
        "your account": "/accounts/",
        "two-factor authentication": "/accounts/2fa/",
        "change password": "/accounts/password/change/",
        "sessions": "/accounts/sessions/",
        "email addresses": "/accounts/email/",
        "sign out": "/accounts/logout/",
    }


def coordinators_pages(members_site):
    """The members' pages of the `members_site` fixture's group that only its coordinators
    see, by name (another member's membership, the pending invitation)."""
    site = members_site
    membership, invitation = site.member.memberships.get(), site.invitation
    base = f"/members/{site.group.slug}"
    return {
        "update, editing": f"{base}/updates/{site.update.pk}/edit/",
        "update, deleting": f"{base}/updates/{site.update.pk}/delete/",
        "returns tracking": f"{base}/returns/tracking/",
        "returns import": f"{base}/returns/import/",
        "return page": f"{base}/returns/{site.own_return.pk}/",
        "membership": f"{base}/people/{membership.pk}/",
        "invitations": f"{base}/invitations/",
        "new invitation": f"{base}/invitations/new/",
        "invitation, cancelling": f"{base}/invitations/{invitation.pk}/cancel/",
        "membership, removing": f"{base}/people/{membership.pk}/remove/",
        "recovery codes": "/accounts/2fa/recovery-codes/",
    }


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


def fits(page):
    """The page does not scroll sideways: the document is no wider than the window.

    Checked once the page has loaded: right after a click the next document may not have
    its root element yet."""
    page.wait_for_load_state()
    page.wait_for_function("() => document.readyState === 'complete' && document.documentElement !== null")
    width, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{page.url} is {width} px wide in a {inner} px window"


def banner(page):
    """The portal's notification banner, where every message is shown."""
    return page.locator(".govuk-notification-banner")


def account_bar(page):
    """The header's account links: who is signed in, "Your account", "Admin", "Sign out"."""
    return page.get_by_role("navigation", name="Account", exact=True)


def expect_message(page, text):
    """`text` is shown once, in the portal's banner, on this page (the one that followed
    the action that said it)."""
    expect(banner(page)).to_have_count(1)
    expect(banner(page)).to_contain_text(text)
    expect(page.get_by_text(text)).to_have_count(1)


def expect_no_message(page):
    """No message on this page: each was shown on the page before, and only there."""
    expect(banner(page)).to_have_count(0)


def open_menu_if_folded(page, width):
    """Open the folded menu on a phone. Decided by the width, not by looking: the button
    is unhidden by the page's script, which may not have run yet when a check looks."""
    if width < TABLET_WIDTH:
        toggle = page.get_by_role("button", name="Menu")
        expect(toggle).to_be_visible()
        toggle.click()


def sign_out(page):
    """Sign out from the header with one click and a confirmation; "You have signed out"
    shows on the next page and nowhere after it. Each page fits the window."""
    account = account_bar(page)
    account.get_by_role("link", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign out")
    expect_no_message(page)
    fits(page)
    page.get_by_role("main").get_by_role("button", name="Sign out").click()
    expect_message(page, "You have signed out")
    expect(account.get_by_role("link", name="Sign in")).to_be_visible()
    fits(page)
    account.get_by_role("link", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect_no_message(page)
    fits(page)


# Below this width the Wagtail admin folds its sidebar away behind a toggle.
ADMIN_SIDEBAR_WIDTH = 800


def open_admin_sidebar_if_folded(page, width):
    """Open the Wagtail admin's sidebar (its menu and account menu) where it is folded."""
    if width < ADMIN_SIDEBAR_WIDTH:
        page.locator('button[aria-label="Toggle sidebar"][aria-expanded="false"]').first.click()


def open_account_from_admin(page, width, first_name):
    """Go to "Your account" from the Wagtail admin's own account menu, in its sidebar.
    The admin names the person by their first name."""
    open_admin_sidebar_if_folded(page, width)
    footer = page.locator(".sidebar-footer")
    footer.get_by_role("button", name=first_name, exact=True).click()
    footer.get_by_role("link", name="Account").click()
    expect(page).to_have_url(re.compile(r"/accounts/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")


# Wagtail's date and date-time picker (jQuery xdsoft), while it is shown.
DATE_PICKER_OPEN = ".xdsoft_datetimepicker:visible"


def fill_date(page, field, value):
    """Type `value` into one of Wagtail's date or date-time fields and close its picker.

    The picker opens 100 ms after the field takes focus and closes when it loses it. Moving
    on at once (pressing Tab) lets it open after the field has lost focus, and then nothing
    closes it until a click elsewhere: it stays over the form. So the field loses focus
    only once its picker is shown, and the picker is seen to close."""
    field.fill(value)
    expect(page.locator(DATE_PICKER_OPEN)).to_have_count(1)
    field.blur()
    expect(page.locator(DATE_PICKER_OPEN)).to_have_count(0)


def publish_from_the_footer(page):
    """Publish from the Wagtail page editor's footer menu: "More actions", then "Publish".

    A date field's picker left open would lie over the footer: fill dates with
    `fill_date`, which closes it, and this checks none is open. At a phone's width the
    admin now and then shuts the menu again as it opens (its footer is redrawn or
    scrolled sideways under the click, in Wagtail's own scripts), so the menu is opened
    once more when Publish has not appeared; if it never does, the test fails."""
    more_actions = page.get_by_role("button", name="More actions")
    publish = page.get_by_role("button", name="Publish", exact=True)
    expect(page.locator(DATE_PICKER_OPEN)).to_have_count(0)
    for _ in range(3):
        # Marked up by the admin's script once it has set the menu up.
        expect(more_actions).to_have_attribute("aria-expanded", "false")
        more_actions.click()
        try:
            expect(publish).to_be_visible(timeout=2_000)
        except AssertionError:
            continue
        # Publishing is a form's submission: as long as a page load may take.
        publish.click(timeout=30_000)
        return
    pytest.fail("Publish never appeared in the page editor's footer menu")
