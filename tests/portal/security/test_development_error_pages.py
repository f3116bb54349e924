"""With DEBUG on, as under `make run`, errors show the portal's own pages, not Django's
technical pages (which list every URL pattern and show settings and source), unless a
developer asks for those with DJANGO_DEBUG_PAGES=1 (settings.DEBUG_PAGES)."""

import logging

import pytest

from django.urls import path

import portal.urls


def boom(request):
    raise RuntimeError("boom: SECRET_KEY and DATABASES must never reach the visitor")


# This module doubles as a URLconf (with @pytest.mark.urls(__name__)): a view that always
# fails, in front of the project's own routes and error handlers.
urlpatterns = [path("boom/", boom), *portal.urls.urlpatterns]
handler400 = portal.urls.handler400
handler403 = portal.urls.handler403
handler404 = portal.urls.handler404
handler500 = portal.urls.handler500

pytestmark = pytest.mark.urls(__name__)

NOT_FOUND = [
    # Wagtail's page view raises Http404 for a path under the site with no page.
    pytest.param("/no-such-page/", id="no-such-page"),
    # No URL pattern matches at all: Django answers before any view runs.
    pytest.param("/no-such-file.php", id="no-pattern-matches"),
    pytest.param("/members/no-such-group/no-such-thing/", id="members-area"),
]
TECHNICAL = ("Using the URLconf", "Traceback", "DEBUG = True", "SECRET_KEY", "DATABASES", "RuntimeError")


@pytest.fixture
def development(settings):
    settings.DEBUG = True
    settings.DEBUG_PAGES = False
    return settings


@pytest.fixture
def debug_pages(settings):
    settings.DEBUG = True
    settings.DEBUG_PAGES = True
    return settings


@pytest.mark.parametrize("url", NOT_FOUND)
def test_a_missing_page_shows_the_portals_not_found_page(client, home_page, development, url):
    response = client.get(url)

    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "search the guidance" in html
    for leak in TECHNICAL:
        assert leak not in html
    assert "urlpatterns" not in html.lower()
    # It passed through the other middleware like any page (django-csp leaves 404 and 500
    # without a policy whenever DEBUG is on, for Django's technical pages).
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_a_failure_shows_the_portals_error_page_and_logs_the_traceback(client, db, development, caplog):
    # With a database, as every request has one: the site frame (home.frame) is read first.
    client.raise_request_exception = False

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/boom/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html
    for leak in (*TECHNICAL, "boom", str(development.BASE_DIR)):
        assert leak not in html
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.ERROR
    assert record.exc_info[0] is RuntimeError


def test_a_missing_page_without_a_trailing_slash_is_still_redirected(client, home_page, development):
    response = client.get("/no-such-page")

    assert response.status_code == 301
    assert response["Location"] == "/no-such-page/"


@pytest.mark.parametrize("url", NOT_FOUND)
def test_debug_pages_show_djangos_technical_not_found_page(client, home_page, debug_pages, url):
    response = client.get(url)

    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found at" in html
    assert "DEBUG = True" in html


def test_debug_pages_show_djangos_technical_error_page(client, debug_pages):
    client.raise_request_exception = False

    response = client.get("/boom/")

    assert response.status_code == 500
    assert "RuntimeError" in response.content.decode()


@pytest.mark.parametrize("url", [*NOT_FOUND, "/boom/"])
def test_with_debug_off_the_setting_changes_nothing(client, home_page, settings, url):
    """Production: Django's own handlers answer, with the portal's pages."""
    settings.DEBUG = False
    settings.DEBUG_PAGES = True
    client.raise_request_exception = False

    response = client.get(url)

    html = response.content.decode()
    assert "Traceback" not in html
    assert "Page not found at" not in html
    assert ("Page not found" if url != "/boom/" else "Sorry, there is a problem with the service") in html
