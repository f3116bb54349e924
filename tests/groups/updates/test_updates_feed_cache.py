"""A group's updates feed is kept as rendered where every viewer would see the same
(groups.updates.views): a second visit reads no updates, yet nothing kept is ever shown
stale or to someone it was not rendered for."""

import datetime

import pytest
import time_machine

from django.test import Client
from django.urls import reverse

from groups.models import UpdateTag
from groups.updates.services import update_edit, update_hide
from tests.factories import make_member, make_update, with_authenticator
from tests.html import soup

pytestmark = pytest.mark.django_db

POSTED = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def list_url(group, **query):
    url = reverse("groups:update_list", kwargs={"group_slug": group.slug})
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def client_for(user):
    client = Client()
    client.force_login(with_authenticator(user))
    return client


def titles(response):
    return [a.get_text() for a in soup(response).select("article h3 a")]


def links(response, text):
    return [a for a in soup(response).select("article a") if a.get_text(strip=True).startswith(text)]


@pytest.fixture
def feed(cumbria):
    """Two members of Cumbria with their own clients, and three updates by someone else."""
    author = make_member(cumbria, first_name="Ada", last_name="Author")
    for n in range(3):
        make_update(cumbria, author=author, title=f"Update {n}", tags=("platforms",))
    return make_member(cumbria), make_member(cumbria), author


def test_a_second_visit_reads_no_updates(cumbria, feed, django_assert_max_num_queries):
    client = client_for(feed[0])
    first = client.get(list_url(cumbria))
    with django_assert_max_num_queries(15) as captured:
        again = client.get(list_url(cumbria))
    assert titles(again) == titles(first) == ["Update 2", "Update 1", "Update 0"]
    # Only the count (and whether the viewer has updates of their own to change) is asked.
    read = [query["sql"] for query in captured.captured_queries if 'FROM "groups_update' in query["sql"]]
    assert len(read) == 1
    assert "COUNT" in read[0]
    assert not any('FROM "groups_updatetag"' in query["sql"] for query in captured.captured_queries)


def test_another_members_visit_shows_a_new_update_at_once(cumbria, feed):
    first, second, author = feed
    client_for(first).get(list_url(cumbria))
    make_update(cumbria, author=author, title="Fresh news")
    assert titles(client_for(second).get(list_url(cumbria)))[0] == "Fresh news"


def test_an_edited_hidden_or_retagged_update_shows_at_once(cumbria, feed, personas):
    member, _, author = feed
    client = client_for(member)
    client.get(list_url(cumbria))
    update = cumbria.updates.get(title="Update 2")
    update_edit(update=update, editor=author, title="Update 2, corrected", body="Body", tags=["events"])
    assert titles(client.get(list_url(cumbria)))[0] == "Update 2, corrected"
    assert titles(client.get(list_url(cumbria, tag="events"))) == ["Update 2, corrected"]
    update_hide(update=update, hidden_by=personas.coordinator)
    assert titles(client.get(list_url(cumbria))) == ["Update 1", "Update 0"]


def test_a_renamed_topic_shows_at_once(cumbria, feed):
    client = client_for(feed[0])
    assert "Platforms" in soup(client.get(list_url(cumbria))).find("main").get_text()
    tag = UpdateTag.objects.get(slug="platforms")
    tag.name = "Apps and games"
    tag.save()
    assert "Apps and games" in soup(client.get(list_url(cumbria))).find("main").get_text()


def test_a_renamed_author_shows_at_once(cumbria, feed):
    member, _, author = feed
    client = client_for(member)
    assert "Ada Author" in soup(client.get(list_url(cumbria))).get_text()
    author.first_name = "Adaline"
    author.save()
    assert "Adaline Author" in soup(client.get(list_url(cumbria))).get_text()


def test_the_author_alone_sees_edit_links_until_the_window_closes(cumbria, feed):
    member, _, _ = feed
    own = make_member(cumbria)
    with time_machine.travel(POSTED, tick=False):
        make_update(cumbria, author=own, title="Mine")
    author_client, member_client = client_for(own), client_for(member)
    with time_machine.travel(POSTED + datetime.timedelta(hours=1), tick=False):
        assert not links(member_client.get(list_url(cumbria)), "Edit")
        assert [a["href"] for a in links(author_client.get(list_url(cumbria)), "Edit")]
        assert not links(member_client.get(list_url(cumbria)), "Edit")
    with time_machine.travel(POSTED + datetime.timedelta(hours=25), tick=False):
        assert not links(author_client.get(list_url(cumbria)), "Edit")


def test_a_coordinators_feed_is_never_kept_for_anyone(cumbria, feed, personas):
    # Both signed in first: signing in saves the person, which starts a new generation.
    coordinator, member = client_for(personas.coordinator), client_for(feed[0])
    for _ in range(2):
        page = soup(coordinator.get(list_url(cumbria)))
        hide_forms = page.select("article form")
        assert len(hide_forms) == 3
        assert all(form.find("input", attrs={"name": "csrfmiddlewaretoken"}) for form in hide_forms)
    member_page = soup(member.get(list_url(cumbria)))
    assert not member_page.select("article form")
    assert "csrfmiddlewaretoken" not in str(member_page.find("main"))


def test_each_topic_and_page_is_kept_apart(cumbria, feed):
    member, _, author = feed
    for n in range(25):
        make_update(cumbria, author=author, title=f"Event {n}", tags=("events",))
    client = client_for(member)
    for _ in range(2):
        assert titles(client.get(list_url(cumbria)))[0] == "Event 24"
        assert titles(client.get(list_url(cumbria, page=2)))[0] == "Event 4"
        assert titles(client.get(list_url(cumbria, tag="platforms"))) == ["Update 2", "Update 1", "Update 0"]
        next_link = soup(client.get(list_url(cumbria, tag="events"))).find("a", rel="next")
        assert next_link["href"] == "?tag=events&page=2"
