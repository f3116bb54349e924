"""axe-core finds no accessibility problems on any kind of public page."""

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import expect_no_violations

PUBLIC_PAGES = {
    "home page": "{home}",
    "guidance index": "{guidance_index}",
    "guidance page": "{guidance}",
    "resource index": "{library}",
    "resource index, filtered": "{library}?audience=professionals&topic=reporting",
    "resource index, nothing matches": "{library}?audience=children-and-young-people&topic=reporting",
    "resource index, unknown filter": "{library}?audience=nobody",
    "standard page": "{standard}",
    "search": "/search/",
    "search with results": "/search/?query=sextortion",
    "search with no results": "/search/?query=zebra+crossing",
}


@pytest.mark.parametrize("url", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_public_page_has_no_violations(page, portal, url):
    response = page.goto(
        url.format(
            home=portal.home.url,
            guidance_index=portal.guidance_index.url,
            guidance=portal.guidance.url,
            library=portal.library.url,
            standard=portal.accessibility.url,
        )
    )
    assert response.status == 200
    expect_no_violations(page)


def test_page_not_found_has_no_violations(page, portal):
    page.log.allow_console_error(r"status of 404 \(Not Found\) \(.*/no-such-page/\)$")
    response = page.goto("/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect_no_violations(page)


def test_alert_banner_has_no_violations(page, portal):
    from home.models import PortalSettings

    settings = PortalSettings.objects.get(pk=portal.settings.pk)  # not the shared object
    settings.alert_enabled = True
    settings.alert_title = "Service update"
    settings.alert_message = '<p>The guidance on <a href="/guidance/">reporting</a> has changed.</p>'
    settings.save()
    page.goto(portal.home.url)
    expect(page.get_by_role("region", name="Service update")).to_be_visible()
    expect_no_violations(page)


def test_quick_exit_in_progress_has_no_violations(page, portal):
    page.goto(portal.guidance.url)
    page.keyboard.press("Shift")
    expect(page.locator(".govuk-exit-this-page__indicator--visible")).to_be_visible()
    expect_no_violations(page)


ACCOUNT_PAGES = {
    "sign in": "/accounts/login/",
    "accounts are by invitation": "/accounts/signup/",
    "password reset": "/accounts/password/reset/",
    "unknown invitation": "/invitation/not-a-real-token/",
}


@pytest.mark.parametrize("url", ACCOUNT_PAGES.values(), ids=ACCOUNT_PAGES.keys())
def test_account_page_has_no_violations(page, portal, url):
    if "invitation" in url:
        page.log.allow_console_error(r"status of 404 \(Not Found\)")
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect_no_violations(page)


def test_sign_in_errors_have_no_violations(page, portal):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("nobody@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    expect_no_violations(page)
