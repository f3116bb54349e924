"""Reading a guidance page: contents list, notes, review dates, change log, and its cost."""

import datetime
import uuid

import pytest
from wagtail_footnotes.models import Footnote

from resources.models import GuidanceChange
from tests.factories import (
    GuidancePageFactory,
    ResourceFactory,
    SupportServiceFactory,
    audience,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def test_contents_list_links_to_every_section(client, guidance_index):
    page = GuidancePageFactory(
        parent=guidance_index,
        body=[
            ("section", {"heading": "What is it?", "content": [("rich_text", "<p>a</p>")]}),
            ("section", {"heading": "What can you do?", "content": [("rich_text", "<p>b</p>")]}),
            ("section", {"heading": "What can you do?", "content": [("rich_text", "<p>c</p>")]}),
        ],
    )
    html = client.get(page.url).content.decode()

    assert "On this page" in html
    for anchor in ("what-is-it", "what-can-you-do", "what-can-you-do-2"):
        assert f'href="#{anchor}"' in html
        assert f'id="{anchor}"' in html


def test_footnote_references_render_as_numbered_notes(client, guidance_index):
    note_id = str(uuid.uuid4())
    page = GuidancePageFactory.build(
        title="With notes",
        slug="with-notes",
        body=[("rich_text", f'<p>Boys are most often targeted.<footnote id="{note_id}">1</footnote></p>')],
    )
    page.footnotes = [Footnote(uuid=note_id, text="<p>Internet Watch Foundation, Hotline report.</p>")]
    guidance_index.add_child(instance=page)

    html = client.get(page.url).content.decode()

    assert 'href="#footnote-1"' in html
    assert "[1]" in html
    assert '<h2 class="govuk-heading-m" id="footnotes-heading">Notes</h2>' in html
    assert "Internet Watch Foundation, Hotline report." in html
    assert 'href="#footnote-source-1-1"' in html


def test_reader_sees_owner_review_dates_and_change_log(client, guidance_index):
    page = GuidancePageFactory(
        parent=guidance_index,
        content_owner="Prevention team",
        last_reviewed=datetime.date(2026, 3, 1),
        next_review_due=datetime.date(2099, 3, 1),
    )
    GuidanceChange.objects.create(page=page, date=datetime.date(2026, 3, 1), summary="Added reporting routes.")

    html = client.get(page.url).content.decode()

    assert "Prevention team" in html
    assert "1 March 2026" in html
    assert "1 March 2099" in html
    assert "Added reporting routes." in html
    assert "Review overdue" not in html


def test_overdue_review_is_shown_to_readers(client, guidance_index):
    page = GuidancePageFactory(
        parent=guidance_index,
        last_reviewed=TODAY - datetime.timedelta(days=400),
        next_review_due=TODAY - datetime.timedelta(days=1),
    )
    assert "Review overdue" in client.get(page.url).content.decode()


def test_review_report_lists_only_overdue_guidance(admin_client, guidance_index):
    GuidancePageFactory(
        parent=guidance_index,
        title="Stale guidance",
        last_reviewed=TODAY - datetime.timedelta(days=400),
        next_review_due=TODAY - datetime.timedelta(days=5),
    )
    GuidancePageFactory(parent=guidance_index, title="Fresh guidance")

    html = admin_client.get("/admin/reports/guidance-review/").content.decode()

    assert "Stale guidance" in html
    assert "Fresh guidance" not in html


def test_review_report_is_refused_to_visitors(client):
    response = client.get("/admin/reports/guidance-review/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def _rich_guidance(parent, services):
    return GuidancePageFactory(
        parent=parent,
        body=[
            ("rich_text", "<p>Intro.</p>"),
            (
                "section",
                {
                    "heading": "Support",
                    "content": [
                        ("support_services", {"heading": "Help", "services": services}),
                        ("callout", {"kind": "warning", "heading": "", "text": "<p>Careful.</p>"}),
                        ("indicators", {"heading": "Signs", "introduction": "", "items": ["Withdrawn"]}),
                        ("steps", {"heading": "", "steps": [{"title": "Stay calm", "text": "<p>x</p>"}]}),
                        ("quote", {"quote": "Tell someone.", "attribution": ""}),
                    ],
                },
            ),
        ],
    )


def _count_queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_queries_per_guidance_page_do_not_grow_with_content(client, guidance_index, django_assert_max_num_queries):
    """More pages, services and resources in the site must not mean more queries per page."""
    small = _rich_guidance(guidance_index, [SupportServiceFactory()])
    small_count = _count_queries(client, small.url, django_assert_max_num_queries, 30)

    services = SupportServiceFactory.create_batch(15)
    for service in services:
        service.audiences.add(audience("professionals"))
    ResourceFactory.create_batch(15)
    GuidancePageFactory.create_batch(15, parent=guidance_index)
    large = _rich_guidance(guidance_index, services)
    client.cookies.clear()
    large_count = _count_queries(client, large.url, django_assert_max_num_queries, 30)

    assert large_count <= small_count


def test_document_downloads_show_title_type_and_size(client, guidance_index):
    from django.core.files.base import ContentFile

    from wagtail.documents.models import Document

    document = Document.objects.create(
        title="Safety plan template",
        file=ContentFile(b"%PDF-1.4 " + b"x" * 2039, name="safety-plan.pdf"),
        file_size=2048,  # the admin's upload form records it
    )
    page = GuidancePageFactory(
        parent=guidance_index,
        body=[("documents", {"heading": "Downloads", "documents": [document]})],
    )

    html = client.get(page.url).content.decode()

    assert f'href="{document.url}"' in html
    assert "Safety plan template" in html
    assert "(PDF, 2.0\xa0KB)" in html


def test_resource_can_link_to_a_document(home_page):
    from django.core.files.base import ContentFile

    from wagtail.documents.models import Document

    document = Document.objects.create(title="Leaflet", file=ContentFile(b"%PDF-1.4", name="leaflet.pdf"))
    resource = ResourceFactory(url="", document=document)
    assert resource.link == document.url
