"""A group's feed of updates: newest first, 20 a page, filtered by topic without
JavaScript, a polite answer for a topic that does not exist, and a fixed number of
queries however many updates there are."""

import datetime

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import OrganisationFactory, make_member, make_update
from tests.html import main_text, soup

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 1, 1, 9, 0, tzinfo=datetime.UTC)


def list_url(group):
    return reverse("groups:update_list", kwargs={"group_slug": group.slug})


def titles(response):
    return [a.get_text() for a in soup(response).select("article h3 a")]


def post_updates(group, count, *, tags=("platforms",), prefix="Update"):
    """`count` updates an hour apart, each by a different signed_in_member of a different organisation."""
    return [
        make_update(
            group,
            author=make_member(group, organisation=OrganisationFactory()),
            title=f"{prefix} {n}",
            tags=tags,
            created_at=START + datetime.timedelta(hours=n),
        )
        for n in range(count)
    ]


def test_newest_first_twenty_a_page(client, cumbria, signed_in_member):
    post_updates(cumbria, 45)
    first = client.get(list_url(cumbria))
    assert titles(first) == [f"Update {n}" for n in range(44, 24, -1)]
    assert "45 updates" in main_text(first)
    pagination = soup(first).find("nav", class_="govuk-pagination")
    assert "Page 1 of 3" in pagination.get_text()
    assert pagination.find("a", rel="next")["href"] == "?page=2"
    assert pagination.find("a", rel="prev") is None

    last = client.get(list_url(cumbria), {"page": 3})
    assert titles(last) == [f"Update {n}" for n in range(4, -1, -1)]
    assert soup(last).find("nav", class_="govuk-pagination").find("a", rel="next") is None


@pytest.mark.parametrize(("page", "first_title"), [("abc", "Update 24"), ("99", "Update 4"), ("-1", "Update 4")])
def test_odd_page_numbers_show_a_page(client, cumbria, signed_in_member, page, first_title):
    post_updates(cumbria, 25)
    response = client.get(list_url(cumbria), {"page": page})
    assert response.status_code == 200
    assert titles(response)[0] == first_title


def test_no_updates_yet(client, cumbria, signed_in_member):
    response = client.get(list_url(cumbria))
    assert "Nobody has posted an update yet." in main_text(response)
    assert soup(response).find("nav", class_="govuk-pagination") is None


def test_filter_by_topic(client, cumbria, signed_in_member):
    post_updates(cumbria, 3, tags=("platforms",), prefix="Platform")
    post_updates(cumbria, 2, tags=("events", "tactics"), prefix="Event")
    response = client.get(list_url(cumbria), {"tag": "events"})
    assert response.status_code == 200
    assert titles(response) == ["Event 1", "Event 0"]
    assert "2 updates about events" in main_text(response)
    selected = soup(response).find("select", id="id_tag").find("option", selected=True)
    assert selected["value"] == "events"
    # All topics: newest first, the later-posted first when two share a time.
    assert titles(client.get(list_url(cumbria), {"tag": ""})) == [
        "Platform 2",
        "Event 1",
        "Platform 1",
        "Event 0",
        "Platform 0",
    ]


def test_filtered_pages_keep_the_topic(client, cumbria, signed_in_member):
    post_updates(cumbria, 21, tags=("resources",))
    response = client.get(list_url(cumbria), {"tag": "resources"})
    assert soup(response).find("a", rel="next")["href"] == "?tag=resources&page=2"
    assert titles(client.get(list_url(cumbria), {"tag": "resources", "page": 2})) == ["Update 0"]


@pytest.mark.parametrize("tag", ["gossip", "<script>alert(1)</script>", "platforms'--", "9999"])
def test_an_unknown_topic_gets_a_polite_error_with_every_topic(client, cumbria, signed_in_member, tag):
    post_updates(cumbria, 1)
    response = client.get(list_url(cumbria), {"tag": tag})
    assert response.status_code == 400
    page = soup(response)
    summary = page.find(class_="govuk-error-summary")
    assert "Choose one of: Platforms, Tactics, Resources, Events, Other" in summary.get_text()
    assert summary.find("a")["href"] == "#id_tag"
    links = [a.get_text() for a in page.select("main ul.govuk-list a")]
    assert links[-5:] == ["Platforms", "Tactics", "Resources", "Events", "Other"]
    assert "<script>alert(1)" not in response.content.decode()
    assert page.title.get_text().startswith("Error:")


def test_the_feed_takes_the_same_queries_for_ten_times_the_updates(
    client, cumbria, signed_in_member, django_assert_max_num_queries
):
    post_updates(cumbria, 3, tags=("platforms", "events"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(list_url(cumbria)).status_code == 200
    post_updates(cumbria, 27, tags=("tactics", "other", "resources"), prefix="More")
    with django_assert_max_num_queries(len(few)):
        response = client.get(list_url(cumbria))
    assert len(titles(response)) == 20
    with django_assert_max_num_queries(len(few)):
        assert len(titles(client.get(list_url(cumbria), {"tag": "tactics"}))) == 20
    print(f"update feed: {len(few)} queries for 3 updates and for 30")


def test_a_coordinator_s_feed_takes_the_same_queries_too(client, cumbria, django_assert_max_num_queries):
    client.force_login(make_member(cumbria, role="coordinator"))
    post_updates(cumbria, 3)
    with CaptureQueriesContext(connection) as few:
        client.get(list_url(cumbria))
    post_updates(cumbria, 27)
    with django_assert_max_num_queries(len(few)):
        client.get(list_url(cumbria))
