"""The resource library lists services and resources and filters them without JavaScript."""

import pytest

from tests.factories import ResourceFactory, ResourceIndexPageFactory, SupportServiceFactory, TopicFactory, audience
from tests.html import main_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(home_page):
    page = ResourceIndexPageFactory(parent=home_page, slug="resources")
    reporting = TopicFactory(name="Reporting", slug="reporting")
    wellbeing = TopicFactory(name="Wellbeing", slug="wellbeing")
    childline = SupportServiceFactory(name="Childline", phone="0800 1111")
    childline.audiences.add(audience("children-and-young-people"))
    childline.topics.add(wellbeing)
    ceop = SupportServiceFactory(name="CEOP Safety Centre")
    ceop.audiences.add(audience("professionals"), audience("parents-and-carers"))
    ceop.topics.add(reporting)
    leaflet = ResourceFactory(name="Leaflet for parents")
    leaflet.audiences.add(audience("parents-and-carers"))
    leaflet.topics.add(wellbeing)
    return page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("", {"Childline", "CEOP Safety Centre", "Leaflet for parents"}, set()),
        ("?audience=professionals", {"CEOP Safety Centre"}, {"Childline", "Leaflet for parents"}),
        ("?audience=parents-and-carers", {"CEOP Safety Centre", "Leaflet for parents"}, {"Childline"}),
        ("?topic=wellbeing", {"Childline", "Leaflet for parents"}, {"CEOP Safety Centre"}),
        ("?audience=parents-and-carers&topic=wellbeing", {"Leaflet for parents"}, {"Childline", "CEOP Safety Centre"}),
        ("?audience=children-and-young-people&topic=reporting", set(), {"Childline", "CEOP", "Leaflet"}),
    ],
)
def test_library_filters_by_audience_and_topic(client, library, query, shown, hidden):
    html = main_html(client.get(library.url + query))
    for name in shown:
        assert name in html
    for name in hidden:
        assert name not in html


def test_no_match_says_so(client, library):
    html = client.get(library.url + "?audience=children-and-young-people&topic=reporting").content.decode()
    assert "No support services match these filters." in html
    assert "No resources match these filters." in html
    assert "Clear filters" in html


def test_unknown_filter_value_explains_and_shows_everything(client, library):
    response = client.get(library.url + "?audience=<script>alert(1)</script>")
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem with the filter" in html
    assert "<script>alert(1)</script>" not in html
    assert "Childline" in html
    assert "Leaflet for parents" in html


def test_selected_filters_stay_selected(client, library):
    html = client.get(library.url + "?audience=professionals").content.decode()
    assert '<option value="professionals" selected>' in html


def test_phone_numbers_are_callable_links(client, library):
    assert 'href="tel:08001111"' in client.get(library.url).content.decode()


def test_library_queries_do_not_grow_with_entries(client, library, django_assert_max_num_queries):
    with django_assert_max_num_queries(30) as few:
        client.get(library.url)
    for service in SupportServiceFactory.create_batch(20):
        service.audiences.add(audience("professionals"))
    ResourceFactory.create_batch(20)
    with django_assert_max_num_queries(30) as many:
        client.get(library.url + "?audience=professionals")
    assert len(many) <= len(few)
