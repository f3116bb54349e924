"""A professional finds a piece of guidance, reads it, and follows its contents list."""

import re

from playwright.sync_api import expect


def test_reads_a_guidance_page_and_follows_the_contents_list(page, portal):
    page.goto("/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Guidance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Guidance")
    page.get_by_role("link", name="Responding to sextortion").click()

    expect(page).to_have_url(re.compile(r"/guidance/responding-to-sextortion/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Responding to sextortion")
    expect(page.get_by_text(portal.guidance.summary)).to_be_visible()
    meta = page.locator(".portal-meta")
    expect(meta.get_by_text("Last reviewed")).to_be_visible()
    expect(meta.get_by_text("Next review due")).to_be_visible()
    expect(meta).to_contain_text(f"{portal.guidance.last_reviewed:%-d %B %Y}")
    expect(meta).to_contain_text(f"{portal.guidance.next_review_due:%-d %B %Y}")
    expect(meta).to_contain_text("Prevention team")

    contents = page.get_by_role("navigation", name="On this page")
    expect(contents.get_by_role("link")).to_have_text(
        ["Why children do not tell", "Signs to look out for", "What to do", "Where to get help"]
    )
    heading = page.get_by_role("heading", name="Where to get help", level=2)
    expect(heading).not_to_be_in_viewport()

    contents.get_by_role("link", name="Where to get help").click()

    expect(page).to_have_url(re.compile(r"/guidance/responding-to-sextortion/#where-to-get-help$"))
    expect(heading).to_be_in_viewport()
    expect(page.locator(":target")).to_have_attribute("id", "where-to-get-help")
    # The section's content follows its heading: the support services chosen for it.
    expect(page.get_by_role("link", name="CEOP Safety Centre")).to_be_visible()


def test_breadcrumbs_lead_back_to_the_guidance_list(page, portal):
    page.goto(portal.guidance.url)
    breadcrumbs = page.get_by_role("navigation", name="Breadcrumb")
    expect(breadcrumbs.get_by_role("link")).to_have_text(["Home", "Guidance"])
    breadcrumbs.get_by_role("link", name="Guidance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Guidance")
    expect(page.get_by_role("link", name="Supporting parents and carers")).to_be_visible()
