"""The live working groups are kept in the shared cache under the members' area's
generation (groups.membership.selectors.live_working_groups): every members' page starts
with them, yet a group unpublished, renamed, moved to a new address or new, and a
membership gained or lost, show on the very next request."""

import pytest

from django.test import Client
from django.urls import reverse

from groups.membership.services import membership_suspend
from tests.factories import WorkingGroupPageFactory, make_member, with_authenticator
from tests.html import soup

pytestmark = pytest.mark.django_db


def feed_url(group):
    return reverse("groups:update_list", kwargs={"group_slug": group.slug})


def client_for(user):
    client = Client()
    client.force_login(with_authenticator(user))
    return client


def dashboard_groups(client):
    return [heading.get_text(strip=True) for heading in soup(client.get("/members/")).select("main h2[id^=group-]")]


def test_a_second_request_reads_no_working_group_page(cumbria, member, django_assert_max_num_queries):
    client = client_for(member)
    for url in (feed_url(cumbria), "/members/"):
        assert client.get(url).status_code == 200
        with django_assert_max_num_queries(15) as captured:
            assert client.get(url).status_code == 200
        assert not [query for query in captured.captured_queries if "groups_workinggrouppage" in query["sql"]], url


def test_an_unpublished_group_is_gone_at_once(cumbria, member):
    client = client_for(member)
    assert client.get(feed_url(cumbria)).status_code == 200
    assert cumbria.title in dashboard_groups(client)
    cumbria.unpublish()
    assert client.get(feed_url(cumbria)).status_code == 404
    assert cumbria.title not in dashboard_groups(client)


def test_a_renamed_group_at_a_new_address_shows_at_once(cumbria, member):
    client = client_for(member)
    old_url = feed_url(cumbria)
    assert client.get(old_url).status_code == 200
    cumbria.title, cumbria.slug = "Cumbria and the Lakes", "cumbria-lakes"
    cumbria.save_revision().publish()
    assert client.get(old_url).status_code == 404
    assert "Cumbria and the Lakes" in soup(client.get(feed_url(cumbria))).get_text()
    assert "Cumbria and the Lakes" in dashboard_groups(client)


def test_a_new_group_and_a_membership_show_at_once(cumbria, members_area, member):
    client = client_for(member)
    assert dashboard_groups(client) == [cumbria.title]
    durham = WorkingGroupPageFactory(parent=members_area, region="durham-cleveland")
    assert client.get(feed_url(durham)).status_code == 404
    make_member(durham, user=member)
    assert client.get(feed_url(durham)).status_code == 200
    assert set(dashboard_groups(client)) == {cumbria.title, durham.title}
    membership_suspend(membership=member.memberships.get(working_group=durham))
    assert client.get(feed_url(durham)).status_code == 404
    assert dashboard_groups(client) == [cumbria.title]
