"""Search puts the guidance itself above the pages that only introduce or list it: the
backend's relevance favours short texts such as the home page's and the index's."""

import pytest

from tests.factories import GuidanceIndexPageFactory, GuidancePageFactory, StandardPageFactory, make_site
from tests.html import soup

pytestmark = pytest.mark.django_db

LONG_TEXT = "<p>Children and young people may feel too ashamed or frightened to tell anyone.</p>" * 30


def result_titles(client, query):
    return [
        " ".join(link.get_text().split())
        for link in soup(client.get("/search/", {"query": query})).select("main li.portal-result a")
    ]


@pytest.fixture
def site():
    home = make_site()
    home.title = "Online sexually coerced extortion of children"
    home.save_revision().publish()
    index = GuidanceIndexPageFactory(
        parent=home, slug="guidance", introduction="Guidance on online sexually coerced extortion of children."
    )
    for title in ("Understanding coerced extortion", "Sexual coercion and extortion: what to do"):
        GuidancePageFactory(
            parent=index,
            title=title,
            summary="How it happens and what professionals can do.",
            body=[("rich_text", f"<p>Sexually coerced extortion is a crime.</p>{LONG_TEXT}")],
        )
    StandardPageFactory(
        parent=home, slug="about", title="About the working group", introduction="Agencies working on online extortion."
    )
    StandardPageFactory(
        parent=home, slug="privacy", title="Privacy notice", introduction="How we use your personal information."
    )
    GuidancePageFactory(parent=index, title="Staying safe online", summary="Privacy settings on social media.")
    return home


def test_the_guidance_pages_come_before_home_about_and_the_index(client, site):
    titles = result_titles(client, "extortion")
    assert set(titles[:2]) == {"Understanding coerced extortion", "Sexual coercion and extortion: what to do"}
    assert titles.index("About the working group") < titles.index("Guidance")  # listings last
    assert titles[-1] == "Guidance"


def test_a_page_named_by_the_query_comes_first(client, site):
    assert result_titles(client, "privacy")[:2] == ["Privacy notice", "Staying safe online"]
