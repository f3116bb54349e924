"""Query counts of the members' main pages: at most MAX_QUERIES each, and the same when
the data grows tenfold: the dashboard, a group's overview, a meeting page, the updates
feed, the meeting index and the trend summaries.

Each page is measured twice with 1x data and again with 10x: cold (the shared cache
emptied first, so the site's frame and the groups' shared summaries are read from the
database) and warm (the next request, as members meet it). Warm counts are held to
WARM_QUERIES (never more than MAX_QUERIES); both must not grow with the data. The numbers
are printed (`pytest -s -n 0 tests/groups/dashboard/test_query_counts.py`) for
docs/performance.md.
The data (through the full publish path, so it takes a while) is built once for the
module: `measured` measures every page with 1x data, grows it tenfold, and each test
measures its page again.
"""

import datetime
from types import SimpleNamespace

import pytest

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groups.models import ActionItem, MeetingPage, TrendSummaryPage, Update
from groups.trends.quarters import Quarter
from tests.factories import (
    MembersAreaIndexPageFactory,
    OrganisationFactory,
    WorkingGroupPageFactory,
    make_document,
    make_meeting,
    make_member,
    make_site,
    make_trend_summary,
    make_update,
    with_authenticator,
)
from tests.fast import built_once, clear_caches

pytestmark = pytest.mark.django_db

BASE = 2  # meetings, updates and documents of each kind at 1x; 10x is 20
MAX_QUERIES = 15  # a members' page, warm (the session and the person included)
# What each page reads warm, at most: the session, the person (with their MFA and groups)
# and their memberships are three; the pages routed through, their view restrictions, the
# live groups and what every member sees alike come from the shared cache.
WARM_QUERIES = {
    "dashboard": 3,
    "group page": 3,
    "meeting page": 8,
    "updates feed": 4,  # and the count of updates (with the viewer's own still changeable)
    "meeting index": 5,
    "trend summaries": 5,
}


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
        make_trend_summary(group, quarter=Quarter(2020 + i // 4, i % 4 + 1))


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


def measure(client, url):
    """(cold, warm, response) for `url`: its queries with the shared cache emptied, and on
    the next request."""
    clear_caches()
    cold, _ = count_queries(client, url)
    warm, response = count_queries(client, url)
    return cold, warm, response


def group_url(name):
    return lambda measured: reverse(f"groups:{name}", kwargs={"group_slug": "cumbria"})


URLS = {
    "dashboard": lambda measured: "/members/",
    "group page": lambda measured: measured.cumbria.url,
    "updates feed": group_url("update_list"),
    "meeting index": group_url("meeting_index"),
    "trend summaries": group_url("trend_summary_list"),
}


def sign_in(client, member):
    """Sign in, and read one page, so that the session holds the header's groups (read once
    a session, see portal.context_processors) before anything is counted."""
    client.force_login(member)
    assert client.get("/members/").status_code == 200


def check(client, measured, name, url, django_assert_max_num_queries):
    """Measure `url` again with 10x data and compare with 1x; returns the response."""
    sign_in(client, measured.member)
    few_cold, few_warm = measured.few[name]
    many_cold, many_warm, response = measure(client, url)
    with django_assert_max_num_queries(min(MAX_QUERIES, WARM_QUERIES[name])):
        client.get(url)
    assert (many_cold, many_warm) == (few_cold, few_warm)
    print(f"{name}: {few_warm} queries warm, {few_cold} cold, with {BASE} and {BASE * 10} of each a group")
    return response


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
        sign_in(client, member)
        measured.few = {name: measure(client, url(measured))[:2] for name, url in URLS.items()}
        # The meeting page's meeting would add an action to the other pages, so it is
        # measured with 1x data and then removed; its test makes it again at 10x.
        meeting = make_this_meeting(measured)
        measured.few["meeting page"] = measure(client, meeting.url)[:2]
        meeting.delete()
        clear_caches()
        build(BASE * 9, offset=BASE)
        yield measured


def test_the_dashboard(client, measured, django_assert_max_num_queries):
    response = check(client, measured, "dashboard", "/members/", django_assert_max_num_queries)
    # 10x data is on the page: every open action of mine in both groups.
    assert response.content.decode().count('data-rag="') == 2 * 2 * BASE * 10


def test_a_group_page(client, measured, django_assert_max_num_queries):
    response = check(client, measured, "group page", measured.cumbria.url, django_assert_max_num_queries)
    assert response.content.decode().count('data-rag="') == 3 * BASE * 10


def test_a_meeting_page(client, measured, django_assert_max_num_queries):
    meeting, cumbria = make_this_meeting(measured), measured.cumbria
    response = check(client, measured, "meeting page", meeting.url, django_assert_max_num_queries)
    rolled = ActionItem.objects.open().filter(meeting__start__lt=meeting.start, meeting__path__startswith=cumbria.path)
    assert response.content.decode().count('data-rag="') == 1 + rolled.count()


def test_the_updates_feed(client, measured, django_assert_max_num_queries):
    check(client, measured, "updates feed", URLS["updates feed"](measured), django_assert_max_num_queries)
    assert Update.objects.filter(working_group=measured.cumbria).count() == BASE * 10


def test_the_meeting_index(client, measured, django_assert_max_num_queries):
    response = check(client, measured, "meeting index", URLS["meeting index"](measured), django_assert_max_num_queries)
    meetings = MeetingPage.objects.descendant_of(measured.cumbria).live()
    assert meetings.count() == 2 * BASE * 10
    assert all(f'href="{meeting.url}"' in response.content.decode() for meeting in meetings)


def test_the_trend_summaries(client, measured, django_assert_max_num_queries):
    response = check(
        client, measured, "trend summaries", URLS["trend summaries"](measured), django_assert_max_num_queries
    )
    summaries = TrendSummaryPage.objects.child_of(measured.cumbria).live()
    assert summaries.count() == BASE * 10
    assert all(f'href="{summary.url}"' in response.content.decode() for summary in summaries)
