"""Someone who must hide what they are reading leaves at once, and Back does not return."""

from playwright.sync_api import expect

from tests.e2e.steps import exit_button


def expect_left_for_the_exit_destination(page, portal):
    expect(page).to_have_url(portal.exit_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Weather")


def test_leaves_with_the_mouse_and_back_does_not_return(page, portal):
    page.goto(portal.guidance.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Responding to sextortion")

    with page.expect_response(lambda response: response.url.endswith("/exit/")) as exit_response:
        exit_button(page).click()

    expect_left_for_the_exit_destination(page, portal)
    headers = exit_response.value.all_headers()
    assert exit_response.value.status == 302
    assert headers["location"] == portal.exit_url
    assert headers["clear-site-data"] == '"cache", "cookies", "storage"'
    assert "no-store" in headers["cache-control"]

    # location.replace(): the guidance page is no longer in the history.
    page.go_back()
    assert not page.url.startswith(portal.live_server_url)
    expect(page.get_by_role("heading", name="Responding to sextortion")).to_have_count(0)


def test_leaves_when_shift_is_pressed_three_times(page, portal):
    page.goto(portal.library.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Support and resources")

    for _ in range(3):
        page.keyboard.press("Shift")

    expect_left_for_the_exit_destination(page, portal)
    page.go_back()
    assert not page.url.startswith(portal.live_server_url)


def test_shift_twice_then_waiting_does_not_leave(page, portal):
    page.clock.install()
    page.goto(portal.guidance.url)
    status = page.locator(".portal-exit [role=status]")

    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    expect(status).to_have_text("Shift, press 1 more time to exit.")

    # The presses count for five seconds only.
    page.clock.run_for(5_100)
    expect(status).to_have_text("Exit this page expired.")
    page.keyboard.press("Shift")
    expect(status).to_have_text("Shift, press 2 more times to exit.")

    assert page.url == portal.live_server_url + portal.guidance.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Responding to sextortion")


def test_another_key_between_shifts_starts_the_count_again(page, portal):
    page.goto(portal.guidance.url)
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.press("a")
    page.keyboard.press("Shift")
    expect(page.locator(".portal-exit [role=status]")).to_have_text("Shift, press 2 more times to exit.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Responding to sextortion")


def test_leaves_from_the_keyboard(page, portal):
    """Exit is among the first few things Tab reaches, straight after "Skip to main content"."""
    page.goto(portal.home.url)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_attribute("href", "/exit/")
    expect(focused).to_contain_text("Exit this page")

    page.keyboard.press("Enter")

    expect_left_for_the_exit_destination(page, portal)


def test_leaves_with_javascript_off(no_js_page, portal):
    page = no_js_page
    page.goto(portal.guidance.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Responding to sextortion")

    with page.expect_response(lambda response: response.url.endswith("/exit/")) as exit_response:
        exit_button(page).click()

    expect_left_for_the_exit_destination(page, portal)
    assert exit_response.value.all_headers()["clear-site-data"] == '"cache", "cookies", "storage"'


def test_quick_exit_is_on_every_page_type(page, portal):
    page.log.allow_console_error(r"status of 404 \(Not Found\) \(.*/no-such-page/\)$")
    for url in (
        portal.home.url,
        portal.guidance_index.url,
        portal.guidance.url,
        portal.library.url,
        portal.accessibility.url,
        "/search/?query=sextortion",
        "/no-such-page/",
    ):
        response = page.goto(url)
        assert response is not None
        expect(exit_button(page)).to_be_visible()
        expect(exit_button(page)).to_have_attribute("href", "/exit/")
