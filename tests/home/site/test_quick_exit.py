"""Quick exit is on every public page, and /exit/ really leaves: session ended, site data cleared."""

import pytest

from home.models import PortalSettings
from tests.factories import GuidancePageFactory, ResourceIndexPageFactory, StandardPageFactory, UserFactory
from tests.html import soup

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_urls(home_page, guidance_index):
    guidance = GuidancePageFactory(parent=guidance_index, slug="guide")
    standard = StandardPageFactory(parent=home_page, slug="about")
    resources = ResourceIndexPageFactory(parent=home_page, slug="resources")
    return ["/", guidance_index.url, guidance.url, standard.url, resources.url, "/search/", "/search/?query=x"]


def test_every_public_page_has_quick_exit(client, public_urls):
    for url in public_urls:
        page = soup(client.get(url))
        button = page.find("a", class_="portal-exit__button")
        assert button is not None, url
        assert button["href"] == "/exit/"
        assert "Exit this page" in button.get_text()
        skip_link = page.find("a", class_="portal-exit-skiplink")
        assert skip_link is not None and skip_link["href"] == "/exit/", url


def test_error_pages_have_quick_exit(client, home_page):
    page = soup(client.get("/no-such-page/"))
    assert page.find("a", class_="portal-exit__button")["href"] == "/exit/"


def test_exit_redirects_to_the_configured_destination(client, home_page):
    settings = PortalSettings.for_site(home_page.get_site())
    settings.quick_exit_url = "https://www.example.org/weather"
    settings.save()

    response = client.get("/exit/")

    assert response.status_code == 302
    assert response["Location"] == "https://www.example.org/weather"


def test_exit_ends_the_session_and_clears_site_data(client, home_page):
    client.force_login(UserFactory())
    session_key = client.session.session_key

    response = client.get("/exit/")

    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert client.session.session_key != session_key
    assert "_auth_user_id" not in client.session


def test_exit_works_even_without_a_site(client, db):
    from wagtail.models import Site

    Site.objects.all().delete()
    response = client.get("/exit/")
    assert response.status_code == 302
    assert response["Location"].startswith("https://")


def test_quick_exit_destination_must_be_https(home_page):
    from django.core.exceptions import ValidationError

    settings = PortalSettings.for_site(home_page.get_site())
    settings.quick_exit_url = "http://example.org/"
    with pytest.raises(ValidationError):
        settings.full_clean()
