"""Editors' admin screens for guidance, the library, the review report and site settings."""

import pytest

from tests.factories import SupportServiceFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/snippets/resources/supportservice/",
        "/admin/snippets/resources/supportservice/add/",
        "/admin/snippets/resources/resource/",
        "/admin/snippets/resources/topic/",
        "/admin/snippets/resources/audience/",
        "/admin/reports/guidance-review/",
    ],
)
def test_admin_screens_render(admin_client, home_page, url):
    assert admin_client.get(url).status_code == 200


def test_page_editors_render(admin_client, guidance_page, home_page):
    for page in (guidance_page, home_page):
        assert admin_client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200


def test_settings_editor_renders(admin_client, home_page):
    response = admin_client.get(f"/admin/settings/home/portalsettings/{home_page.get_site().pk}/")
    assert response.status_code == 200
    assert "Quick exit destination" in response.content.decode()


def test_support_service_needs_a_web_address_or_phone(admin_client, home_page):
    response = admin_client.post(
        "/admin/snippets/resources/supportservice/add/", {"name": "Nowhere", "description": "x"}
    )
    assert response.status_code == 200
    assert "Give a web address, a phone number, or both." in response.content.decode()


def test_support_service_is_created_from_the_admin(admin_client, home_page):
    response = admin_client.post(
        "/admin/snippets/resources/supportservice/add/",
        {"name": "Childline", "url": "https://www.childline.org.uk/", "phone": "0800 1111"},
    )
    assert response.status_code == 302
    assert SupportServiceFactory._meta.model.objects.filter(name="Childline").exists()


def test_admin_is_closed_to_visitors(client, home_page):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
