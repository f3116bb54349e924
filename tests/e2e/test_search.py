"""A professional searches for guidance, sees why each result matched, and opens one."""

import re

from playwright.sync_api import expect


def test_searches_from_the_home_page_and_follows_a_result(page, portal):
    page.goto(portal.home.url)
    page.get_by_label("Search the guidance", exact=True).fill("blackmailed")
    page.get_by_role("search").get_by_role("button", name="Search").click()

    expect(page).to_have_url(re.compile(r"/search/\?query=blackmailed$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.get_by_role("main").get_by_role("status")).to_have_text("1 result for “blackmailed”")
    result = page.locator(".portal-result")
    expect(result).to_have_count(1)
    expect(result.locator("mark")).to_have_text("blackmailed")

    result.get_by_role("link", name="Responding to sextortion").click()

    expect(page).to_have_url(re.compile(r"/guidance/responding-to-sextortion/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Responding to sextortion")


def test_finds_guidance_and_library_entries_and_highlights_the_words(page, portal):
    page.goto("/search/")
    search_box = page.get_by_label("Search the guidance and resources")
    search_box.fill("sextortion")
    search_box.press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?query=sextortion$"))
    expect(search_box).to_have_value("sextortion")
    results = page.locator(".portal-results")
    guidance_link = results.get_by_role("link", name="Responding to sextortion")
    expect(guidance_link).to_be_visible()
    expect(guidance_link.locator("mark")).to_have_text("sextortion")
    leaflet_link = results.get_by_role("link", name="Talking to your child about sextortion")
    expect(leaflet_link).to_have_attribute("href", portal.resources.leaflet.url)
    expect(leaflet_link.locator("mark")).to_have_text("sextortion")
    expect(results.get_by_role("link", name="Feeling good poster")).to_have_count(0)

    guidance_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Responding to sextortion")


def test_says_so_when_nothing_matches(page, portal):
    page.goto("/search/")
    page.get_by_label("Search the guidance and resources").fill("zebra crossing")
    page.get_by_role("search").get_by_role("button", name="Search").click()

    expect(page.get_by_role("main").get_by_role("status")).to_contain_text("No results for “zebra crossing”.")
    expect(page.locator(".portal-result")).to_have_count(0)
    expect(page.get_by_role("main").get_by_role("link", name="guidance from the home page")).to_be_visible()
