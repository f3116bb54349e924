"""Each page type lives only where it belongs, can be created in the admin, and renders."""

import datetime

import pytest

from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from groups.models import MeetingPage, MembersAreaIndexPage, WorkingGroupPage
from home.models import HomePage, StandardPage
from resources.models import GuidanceIndexPage, GuidancePage, ResourceIndexPage
from tests.factories import ResourceIndexPageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db

ALL_TYPES = [
    HomePage,
    StandardPage,
    GuidanceIndexPage,
    GuidancePage,
    ResourceIndexPage,
    MembersAreaIndexPage,
    WorkingGroupPage,
    MeetingPage,
]

# parent type -> the child types allowed under it (every other type is refused)
ALLOWED_CHILDREN = {
    Page: {HomePage},
    HomePage: {StandardPage, GuidanceIndexPage, ResourceIndexPage, MembersAreaIndexPage},
    StandardPage: {StandardPage},
    GuidanceIndexPage: {GuidancePage},
    GuidancePage: set(),
    ResourceIndexPage: set(),
    MembersAreaIndexPage: {WorkingGroupPage},
    WorkingGroupPage: {MeetingPage},
    MeetingPage: set(),
}


@pytest.mark.parametrize("parent", ALLOWED_CHILDREN, ids=lambda model: model.__name__)
@pytest.mark.parametrize("child", ALL_TYPES, ids=lambda model: model.__name__)
def test_page_type_allowed_only_under_its_parents(parent, child):
    allowed = child in ALLOWED_CHILDREN[parent]
    assert (child in parent.allowed_subpage_models()) is allowed
    assert (parent in child.allowed_parent_page_models()) is allowed


@pytest.mark.parametrize("model", [HomePage, GuidanceIndexPage, ResourceIndexPage])
def test_singleton_page_types_are_limited_to_one(model):
    assert model.max_count == 1


def test_editor_creates_guidance_page_in_the_admin(admin_client, guidance_index):
    data = nested_form_data(
        {
            "title": "Responding to a disclosure",
            "slug": "responding",
            "summary": "What to do first.",
            "body": streamfield(
                [
                    ("rich_text", rich_text("<p>Stay calm.</p>")),
                    (
                        "callout",
                        {"kind": "remember", "heading": "Remember", "text": rich_text("<p>It is not their fault.</p>")},
                    ),
                ]
            ),
            "footnotes": inline_formset([]),
            "changes": inline_formset([{"date": "2026-10-01", "summary": "First version."}]),
            "content_owner": "Prevention team",
            "last_reviewed": "2026-10-01",
            "next_review_due": "2027-10-01",
            "action-publish": "publish",
        }
    )
    response = admin_client.post(f"/admin/pages/add/resources/guidancepage/{guidance_index.pk}/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    page = GuidancePage.objects.get(slug="responding")
    assert page.live
    assert page.changes.get().summary == "First version."


def test_guidance_review_must_come_after_last_review(admin_client, guidance_index):
    data = nested_form_data(
        {
            "title": "Stale",
            "slug": "stale",
            "summary": "x",
            "body": streamfield([("rich_text", rich_text("<p>x</p>"))]),
            "footnotes": inline_formset([]),
            "changes": inline_formset([]),
            "content_owner": "Prevention team",
            "last_reviewed": "2026-10-01",
            "next_review_due": "2026-09-01",
        }
    )
    response = admin_client.post(f"/admin/pages/add/resources/guidancepage/{guidance_index.pk}/", data)

    assert response.status_code == 200
    assert "The next review must come after the last review." in response.content.decode()
    assert not GuidancePage.objects.filter(slug="stale").exists()


def test_home_page_renders_its_panels(client, home_page):
    html = client.get("/").content.decode()
    assert "Guidance for professionals on online sexually coerced extortion." in html
    assert "If a child tells you" in html
    assert "Stay calm, listen, reassure them it is not their fault." in html


def test_standard_page_renders_sections_and_contents(client, home_page):
    page = StandardPageFactory(
        parent=home_page,
        slug="about",
        title="About us",
        body=[("section", {"heading": "Who we are", "content": [("rich_text", "<p>A working group.</p>")]})],
    )
    html = client.get(page.url).content.decode()
    assert '<h1 class="govuk-heading-xl">About us</h1>' in html
    assert 'href="#who-we-are"' in html
    assert 'id="who-we-are"' in html
    assert "A working group." in html


def test_guidance_index_lists_live_guidance_only(client, guidance_page, guidance_index):
    draft = GuidancePage(
        title="Unpublished draft",
        slug="draft",
        summary="Not yet.",
        content_owner="x",
        last_reviewed=datetime.date(2026, 1, 1),
        next_review_due=datetime.date(2027, 1, 1),
        live=False,
    )
    guidance_index.add_child(instance=draft)

    html = client.get(guidance_index.url).content.decode()
    assert "What to do" in html
    assert "Unpublished draft" not in html


def test_resource_index_renders(client, home_page):
    page = ResourceIndexPageFactory(parent=home_page, slug="resources", introduction="Help that exists.")
    response = client.get(page.url)
    assert response.status_code == 200
    assert "Help that exists." in response.content.decode()
