"""Query counts of the members' main pages stay the same when the data grows tenfold:
the dashboard, a group's overview, a meeting page and the updates feed.

Each page is measured once warm with 1x data and again with 10x; the numbers are
printed (`pytest -s tests/test_query_counts.py`) for the closing note.
"""

import datetime

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groups.models import ActionItem, Update
from tests.factories import (
    make_document,
    make_meeting,
    make_member,
    make_update,
    with_authenticator,
)

pytestmark = pytest.mark.django_db

BASE = 2  # meetings, updates and documents of each kind at 1x; 10x is 20


@pytest.fixture
def member(cumbria, yorkshire, police):
    """A member of two groups, so the dashboard shows more than one."""
    user = make_member(cumbria, organisation=police, first_name="Mo", last_name="Member")
    make_member(yorkshire, organisation=police, user=user)
    return with_authenticator(user)


def grow(group, *, member, organisation, n, offset=0):
    """`n` past meetings (each with actions of every kind of owner and status), `n`
    upcoming meetings, `n` updates and `n` documents in `group`."""
    someone = make_member(group)
    today = timezone.localdate()
    for i in range(offset, offset + n):
        make_meeting(
            group,
            start=timezone.now() - datetime.timedelta(days=200 - i),
            agenda=[("Trends", "<p>Notes</p>")],
            actions=[
                {"description": "Mine", "owner_user": member, "due_date": today + datetime.timedelta(days=i - 10)},
                {"description": "My agency's", "owner_organisation": organisation, "due_date": today},
                {"description": "Someone's", "owner_user": someone, "due_date": today},
                {"description": "Done", "owner_user": member, "due_date": today, "status": "done"},
            ],
        )
        make_meeting(group, start=timezone.now() + datetime.timedelta(days=10 + i))
        make_update(group, author=someone, title=f"Update {i}", tags=("platforms", "events"))
        make_document(collection=group.collection, title=f"Paper {i}")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


def measure(client, url, grow_tenfold):
    """Queries for `url` with the data as it is, then after `grow_tenfold()`."""
    count_queries(client, url)  # warm the site-root and session caches
    few, _ = count_queries(client, url)
    grow_tenfold()
    many, response = count_queries(client, url)
    return few, many, response


@pytest.fixture
def world(cumbria, yorkshire, member, police):
    def build(n, offset=0):
        for group in (cumbria, yorkshire):
            grow(group, member=member, organisation=police, n=n, offset=offset)

    build(BASE)
    return lambda: build(BASE * 9, offset=BASE)


def test_the_dashboard(client, member, world, django_assert_max_num_queries):
    client.force_login(member)
    few, many, response = measure(client, "/members/", world)
    with django_assert_max_num_queries(few):
        client.get("/members/")
    assert few == many
    # 10x data is on the page: every open action of mine in both groups.
    assert response.content.decode().count('data-rag="') == 2 * 2 * BASE * 10
    print(f"dashboard (2 groups): {few} queries with {BASE} and {BASE * 10} meetings, updates and documents a group")


def test_a_group_page(client, cumbria, member, world, django_assert_max_num_queries):
    client.force_login(member)
    few, many, response = measure(client, cumbria.url, world)
    with django_assert_max_num_queries(few):
        client.get(cumbria.url)
    assert few == many
    assert response.content.decode().count('data-rag="') == 3 * BASE * 10
    print(f"group page: {few} queries with {BASE} and {BASE * 10} meetings, updates and documents")


def test_a_meeting_page(client, cumbria, member, world, django_assert_max_num_queries):
    client.force_login(member)
    meeting = make_meeting(
        cumbria,
        start=timezone.now(),
        agenda=[("Trends", "<p>Notes</p>")],
        actions=[{"description": "Now", "owner_user": member, "due_date": timezone.localdate()}],
    )
    few, many, response = measure(client, meeting.url, world)
    with django_assert_max_num_queries(few):
        client.get(meeting.url)
    assert few == many
    rolled = ActionItem.objects.open().filter(meeting__start__lt=meeting.start, meeting__path__startswith=cumbria.path)
    assert response.content.decode().count('data-rag="') == 1 + rolled.count()
    print(f"meeting page: {few} queries with {BASE} and {BASE * 10} earlier meetings")


def test_the_updates_feed(client, cumbria, member, world, django_assert_max_num_queries):
    client.force_login(member)
    url = reverse("groups:update_list", kwargs={"group_slug": "cumbria"})
    few, many, _ = measure(client, url, world)
    with django_assert_max_num_queries(few):
        client.get(url)
    assert few == many
    assert Update.objects.filter(working_group=cumbria).count() == BASE * 10
    print(f"updates feed: {few} queries with {BASE} and {BASE * 10} updates")
