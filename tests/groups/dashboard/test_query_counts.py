"""Query counts of the members' main pages stay the same when the data grows tenfold:
the dashboard, a group's overview, a meeting page and the updates feed.

Each page is measured once warm with 1x data and again with 10x; the numbers are
printed (`pytest -s tests/groups/dashboard/test_query_counts.py`) for the closing note. The data (through
the full publish path, so it takes a while) is built once for the module: `measured`
measures every page with 1x data, grows it tenfold, and each test measures its page again.
"""

import datetime
from types import SimpleNamespace

import pytest

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groups.models import ActionItem, Update
from tests.factories import (
    MembersAreaIndexPageFactory,
    OrganisationFactory,
    WorkingGroupPageFactory,
    make_document,
    make_meeting,
    make_member,
    make_site,
    make_update,
    with_authenticator,
)
from tests.fast import built_once, clear_caches

pytestmark = pytest.mark.django_db

BASE = 2  # meetings, updates and documents of each kind at 1x; 10x is 20


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


def measure(client, url):
    """Queries for `url`, once warm."""
    count_queries(client, url)  # warm the site-root and session caches
    return count_queries(client, url)


URLS = {
    "dashboard": lambda measured: "/members/",
    "group page": lambda measured: measured.cumbria.url,
    "updates feed": lambda measured: reverse("groups:update_list", kwargs={"group_slug": "cumbria"}),
}


def make_this_meeting(measured):
    """The meeting whose page is measured: now, with an action for the member."""
    return make_meeting(
        measured.cumbria,
        start=timezone.now(),
        agenda=[("Trends", "<p>Notes</p>")],
        actions=[{"description": "Now", "owner_user": measured.member, "due_date": timezone.localdate()}],
    )


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker, tmp_path_factory):
    """Two groups with a member of both: each page measured with 1x data, then the data
    grown tenfold, once for the module (the tests measure again and compare)."""
    with built_once(django_db_blocker, tmp_path_factory.mktemp("query-counts-media")):
        members_area = MembersAreaIndexPageFactory(parent=make_site())
        cumbria = WorkingGroupPageFactory(parent=members_area, region="cumbria")
        yorkshire = WorkingGroupPageFactory(parent=members_area, region="yorkshire")
        police = OrganisationFactory(name="Cumbria Constabulary", sector="police", email_domains="cumbria.police.uk")
        # A member of two groups, so the dashboard shows more than one.
        member = make_member(cumbria, organisation=police, first_name="Mo", last_name="Member")
        make_member(yorkshire, organisation=police, user=member)
        with_authenticator(member)
        measured = SimpleNamespace(cumbria=cumbria, member=member)

        def build(n, offset=0):
            for group in (cumbria, yorkshire):
                grow(group, member=member, organisation=police, n=n, offset=offset)

        build(BASE)
        client = Client()
        client.force_login(member)
        measured.few = {name: measure(client, url(measured))[0] for name, url in URLS.items()}
        # The meeting page's meeting would add an action to the other pages, so it is
        # measured with 1x data and then removed; its test makes it again at 10x.
        meeting = make_this_meeting(measured)
        measured.few["meeting page"] = measure(client, meeting.url)[0]
        meeting.delete()
        clear_caches()
        build(BASE * 9, offset=BASE)
        yield measured


def test_the_dashboard(client, measured, django_assert_max_num_queries):
    client.force_login(measured.member)
    few = measured.few["dashboard"]
    many, response = measure(client, "/members/")
    with django_assert_max_num_queries(few):
        client.get("/members/")
    assert few == many
    # 10x data is on the page: every open action of mine in both groups.
    assert response.content.decode().count('data-rag="') == 2 * 2 * BASE * 10
    print(f"dashboard (2 groups): {few} queries with {BASE} and {BASE * 10} meetings, updates and documents a group")


def test_a_group_page(client, measured, django_assert_max_num_queries):
    client.force_login(measured.member)
    few = measured.few["group page"]
    many, response = measure(client, measured.cumbria.url)
    with django_assert_max_num_queries(few):
        client.get(measured.cumbria.url)
    assert few == many
    assert response.content.decode().count('data-rag="') == 3 * BASE * 10
    print(f"group page: {few} queries with {BASE} and {BASE * 10} meetings, updates and documents")


def test_a_meeting_page(client, measured, django_assert_max_num_queries):
    client.force_login(measured.member)
    meeting, cumbria = make_this_meeting(measured), measured.cumbria
    few = measured.few["meeting page"]
    many, response = measure(client, meeting.url)
    with django_assert_max_num_queries(few):
        client.get(meeting.url)
    assert few == many
    rolled = ActionItem.objects.open().filter(meeting__start__lt=meeting.start, meeting__path__startswith=cumbria.path)
    assert response.content.decode().count('data-rag="') == 1 + rolled.count()
    print(f"meeting page: {few} queries with {BASE} and {BASE * 10} earlier meetings")


def test_the_updates_feed(client, measured, django_assert_max_num_queries):
    client.force_login(measured.member)
    url = reverse("groups:update_list", kwargs={"group_slug": "cumbria"})
    few = measured.few["updates feed"]
    many, _ = measure(client, url)
    with django_assert_max_num_queries(few):
        client.get(url)
    assert few == many
    assert Update.objects.filter(working_group=measured.cumbria).count() == BASE * 10
    print(f"updates feed: {few} queries with {BASE} and {BASE * 10} updates")
