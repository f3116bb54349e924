"""Computing a summary takes the same number of queries however many returns there are."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from groups.trends.quarters import reporting_quarter
from groups.trends.selectors import SummaryScope, trend_summary_compute
from tests.factories import (
    OrganisationFactory,
    TrendReturnFactory,
    make_member,
    make_trend_summary,
    publish_with_approval,
)

pytestmark = pytest.mark.django_db


def add_returns(groups, organisations_per_group, quarters):
    for group in groups:
        for _ in range(organisations_per_group):
            organisation = OrganisationFactory()
            for quarter in quarters:
                TrendReturnFactory(working_group=group, organisation=organisation, total=15, quarter=quarter)


def queries_to_compute(scope):
    with CaptureQueriesContext(connection) as queries:
        trend_summary_compute(scope=scope)
    return len(queries.captured_queries)


def test_query_count_does_not_grow_with_the_returns(cumbria, yorkshire):
    quarter = reporting_quarter()
    quarters = [quarter, quarter.previous()]
    regional, everywhere = SummaryScope(group=cumbria, quarter=quarter), SummaryScope(group=None, quarter=quarter)

    add_returns([cumbria, yorkshire], 1, quarters)
    small = queries_to_compute(regional), queries_to_compute(everywhere)
    add_returns([cumbria, yorkshire], 9, quarters)  # ten times the returns
    large = queries_to_compute(regional), queries_to_compute(everywhere)

    assert small == large
    assert large[0] <= 4  # the trend, the quarter's totals and categories, earlier snapshots


def test_rendering_a_published_summary_takes_the_same_queries_with_ten_times_the_returns(
    client, cumbria, django_assert_max_num_queries
):
    quarter = reporting_quarter()
    add_returns([cumbria], 2, [quarter])
    client.force_login(make_member(cumbria))
    page = make_trend_summary(cumbria)
    client.get(page.url)
    with CaptureQueriesContext(connection) as queries:
        client.get(page.url)
    few = len(queries.captured_queries)

    add_returns([cumbria], 18, [quarter])
    publish_with_approval(page)
    client.get(page.url)  # publishing clears the cached site frame: warm it again
    with django_assert_max_num_queries(few):
        assert client.get(page.url).status_code == 200
