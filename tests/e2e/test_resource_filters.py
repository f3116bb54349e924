"""Someone narrows the library of support services and resources to what fits them."""

import re

import pytest
from playwright.sync_api import expect

EVERY_ITEM = [
    "CEOP Safety Centre",
    "Childline",
    "Briefing for school staff",
    "Feeling good poster",
    "Talking to your child about sextortion",
]


def expect_items(page, names):
    """Exactly these library entries are listed, and no others."""
    main = page.get_by_role("main")
    for name in EVERY_ITEM:
        link = main.get_by_role("link", name=name, exact=True)
        if name in names:
            expect(link).to_be_visible()
        else:
            expect(link).to_have_count(0)


@pytest.fixture(params=["page", "no_js_page"], ids=["javascript on", "javascript off"])
def any_page(request):
    """The filters are a plain GET form: each test runs with JavaScript on and off."""
    return request.getfixturevalue(request.param)


def test_filters_by_audience_then_clears_the_filters(any_page, portal):
    page = any_page
    page.goto(portal.library.url)
    status = page.get_by_role("main").get_by_role("status")
    expect(status).to_have_text("Showing 2 support services and 3 resources.")
    expect_items(page, EVERY_ITEM)

    page.get_by_label("Audience").select_option(label="Parents and carers")
    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(r"\?audience=parents-and-carers&topic=$"))
    expect(status).to_have_text("Showing 1 support service and 1 resource that match your filters.")
    expect_items(page, ["CEOP Safety Centre", "Talking to your child about sextortion"])
    expect(page.get_by_label("Audience")).to_have_value("parents-and-carers")

    page.get_by_role("link", name="Clear filters").click()

    expect(status).to_have_text("Showing 2 support services and 3 resources.")
    expect_items(page, EVERY_ITEM)
    expect(page.get_by_label("Audience")).to_have_value("")


def test_filters_by_audience_and_topic(any_page, portal):
    page = any_page
    page.goto(portal.library.url)

    page.get_by_label("Audience").select_option(label="Professionals")
    page.get_by_label("Topic").select_option(label="Reporting")
    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(r"\?audience=professionals&topic=reporting$"))
    expect_items(page, ["CEOP Safety Centre", "Briefing for school staff"])
    expect(page.get_by_label("Topic")).to_have_value("reporting")

    page.get_by_label("Audience").select_option(label="Children and young people")
    page.get_by_role("button", name="Apply filters").click()

    expect(page.get_by_role("main").get_by_role("status")).to_have_text(
        "Showing 0 support services and 0 resources that match your filters."
    )
    expect(page.get_by_text("No support services match these filters.")).to_be_visible()
    expect(page.get_by_text("No resources match these filters.")).to_be_visible()
    expect_items(page, [])


def test_an_unknown_filter_shows_everything_and_says_why(page, portal):
    page.goto(f"{portal.library.url}?audience=nobody")

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem with the filter")
    expect(summary.get_by_role("link")).to_have_text(
        "Audience: that choice is not available. Showing everything instead."
    )
    expect_items(page, EVERY_ITEM)
