"""The frame around every page: navigation, breadcrumbs, alert banner, footer, robots and sitemap."""

import pytest

from home.models import PortalSettings
from tests.factories import GuidancePageFactory, StandardPageFactory
from tests.html import soup

pytestmark = pytest.mark.django_db


def _settings(home_page):
    return PortalSettings.for_site(home_page.get_site())


def test_navigation_lists_live_pages_marked_for_menus(client, home_page):
    StandardPageFactory(parent=home_page, title="In the menu", slug="in", show_in_menus=True)
    StandardPageFactory(parent=home_page, title="Not in the menu", slug="out", show_in_menus=False)
    StandardPageFactory(parent=home_page, title="Draft in menu", slug="draft", show_in_menus=True, live=False)

    nav = soup(client.get("/")).find("nav", attrs={"aria-label": "Menu"}).get_text()

    assert "In the menu" in nav
    assert "Not in the menu" not in nav
    assert "Draft in menu" not in nav


def test_current_section_is_marked_in_the_navigation(client, guidance_index, guidance_page):
    guidance_index.show_in_menus = True
    guidance_index.save()
    link = soup(client.get(guidance_page.url)).find("a", attrs={"aria-current": "page"})
    assert link.get_text(strip=True) == guidance_index.title


def test_the_trends_release_calendar_is_in_the_navigation_and_the_footer(client, home_page):
    page = soup(client.get("/"))
    nav = page.find("nav", attrs={"aria-label": "Menu"})
    assert nav.find("a", href="/trends/").get_text(strip=True) == "Trends"
    assert page.find("footer").find("a", href="/trends/").get_text(strip=True) == (
        "Trends in online sexually coerced extortion"
    )
    current = soup(client.get("/trends/")).find("nav", attrs={"aria-label": "Menu"}).find("a", href="/trends/")
    assert current["aria-current"] == "page"


def test_breadcrumbs_show_the_way_home(client, guidance_index, guidance_page):
    crumbs = soup(client.get(guidance_page.url)).find("nav", attrs={"aria-label": "Breadcrumb"})
    items = [li.get_text(strip=True) for li in crumbs.find_all("li")]
    assert items == ["Home", guidance_index.title, guidance_page.title]


def test_alert_banner_shows_only_when_switched_on(client, home_page):
    assert "govuk-notification-banner" not in client.get("/").content.decode()

    portal = _settings(home_page)
    portal.alert_enabled = True
    portal.alert_title = "Service update"
    portal.alert_message = "<p>Meeting moved to Thursday.</p>"
    portal.save()

    html = client.get("/").content.decode()
    assert "Service update" in html
    assert "Meeting moved to Thursday." in html


def test_alert_banner_needs_a_message(home_page):
    from django.core.exceptions import ValidationError

    portal = _settings(home_page)
    portal.alert_enabled = True
    portal.alert_message = ""
    with pytest.raises(ValidationError):
        portal.full_clean()


def test_footer_shows_the_coordinating_organisation_and_page_links(client, home_page):
    privacy = StandardPageFactory(parent=home_page, title="Privacy notice", slug="privacy")
    portal = _settings(home_page)
    portal.organisation_name = "The Children's Society"
    portal.organisation_email = "prevention@example.org"
    portal.organisation_phone = "0300 000 0000"
    portal.privacy_page = privacy
    portal.save()

    footer = soup(client.get("/")).find("footer")

    assert "The Children's Society" in footer.get_text()
    assert footer.find("a", href="mailto:prevention@example.org")
    assert "0300 000 0000" in footer.get_text()
    assert footer.find("a", href=privacy.url).get_text() == "Privacy notice"


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_private_areas(client, home_page):
    response = client.get("/robots.txt")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_sitemap_lists_live_public_pages(client, guidance_index):
    page = GuidancePageFactory(parent=guidance_index, slug="listed")
    StandardPageFactory(parent=guidance_index.get_parent(), slug="unlisted-draft", live=False)
    body = client.get("/sitemap.xml").content.decode()
    assert page.url in body
    assert "unlisted-draft" not in body


def test_print_stylesheet_is_linked(client, home_page):
    link = soup(client.get("/")).find("link", attrs={"media": "print"})
    assert link["href"].endswith("print.css")
