"""Security headers on every kind of response, and error pages that give nothing away."""

import pytest

from django.urls import path

import portal.urls
from tests.accounts import make_account

ONE_YEAR = 31_536_000


def boom(request):
    raise RuntimeError("boom: SECRET_KEY and DATABASES must never reach the visitor")


# This module doubles as a URLconf (with @pytest.mark.urls(__name__)) that adds a view
# which always fails, in front of the project's own routes and error handlers.
urlpatterns = [path("boom/", boom), *portal.urls.urlpatterns]
handler400 = portal.urls.handler400
handler403 = portal.urls.handler403
handler404 = portal.urls.handler404
handler500 = portal.urls.handler500


def csp_directives(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.mark.parametrize(
    ("url", "status"),
    [
        pytest.param("/", 200, id="public-page"),
        pytest.param("/search/?query=x", 200, id="search"),
        pytest.param("/no-such-page/", 404, id="not-found"),
        pytest.param("/health/live/", 200, id="health"),
    ],
)
def test_every_response_carries_the_security_headers(client, home_page, url, status):
    response = client.get(url)

    assert response.status_code == status
    csp = csp_directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_secure_requests_get_hsts_as_production_sets_it(client, home_page, settings):
    settings.SECURE_HSTS_SECONDS = 63072000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True

    response = client.get("/", secure=True)

    hsts = dict(part.strip().partition("=")[::2] for part in response["Strict-Transport-Security"].split(";"))
    assert int(hsts["max-age"]) >= ONE_YEAR
    assert "includeSubDomains" in hsts


def test_admin_csp_allows_inline_script_but_nothing_else_is_loosened(admin_client, home_page):
    """The Wagtail admin needs inline scripts and styles: the one documented exception."""
    response = admin_client.get("/admin/")

    assert response.status_code == 200
    csp = csp_directives(response)
    assert "'unsafe-inline'" in csp["script-src"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["default-src"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"


def test_signed_in_pages_are_kept_out_of_every_cache(client, home_page):
    client.force_login(make_account()[0])

    response = client.get("/")

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_anonymous_public_pages_may_be_cached(client, home_page):
    response = client.get("/")
    assert "no-store" not in response.get("Cache-Control", "")
    assert "max-age=" in response["Cache-Control"]


def test_not_found_page_uses_the_custom_template(client, home_page, settings):
    """Security matrix row H04."""
    settings.DEBUG = False

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "Traceback" not in html


@pytest.mark.urls(__name__)
def test_server_error_page_gives_nothing_away(client, settings):
    """Security matrix row H04: no traceback, source paths or setting names.

    No database access is allowed here, as when the database is down.
    """
    settings.DEBUG = False
    client.raise_request_exception = False

    response = client.get("/boom/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html
    # str(settings.BASE_DIR): no path of the server, wherever the project is checked out.
    for leak in ("Traceback", "boom", "RuntimeError", str(settings.BASE_DIR), ".py", "SECRET_KEY", "DATABASES"):
        assert leak not in html


def test_unknown_host_gets_the_custom_bad_request_page(client, home_page, settings):
    settings.DEBUG = False

    response = client.get("/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    html = response.content.decode()
    assert "Sorry, there is a problem with the request" in html
    assert "evil.example" not in html
    assert "Traceback" not in html


def test_trace_is_not_allowed(client, home_page):
    """Security matrix row H05."""
    response = client.generic("TRACE", "/")

    assert response.status_code == 405


@pytest.mark.parametrize("url", ["/.git/config", "/media/", "/.env", "/db.sqlite3"])
def test_nothing_outside_the_site_is_served(client, home_page, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/health/live/", "/health/ready/"])
def test_health_endpoints_answer_ok(client, db, url):
    response = client.get(url)

    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/password/reset/", "/accounts/signup/"])
def test_account_pages_are_never_stored(client, home_page, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
