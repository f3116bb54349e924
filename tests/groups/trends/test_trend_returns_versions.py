"""A resubmission is a new version; the history is kept and only the latest counts.
Reads stay at a constant number of queries as returns grow tenfold."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from groups.models import TrendCount, TrendReturn
from groups.trends.categories import CATEGORY_KEYS
from groups.trends.quarters import reporting_quarter
from groups.trends.selectors import trend_aggregate, trend_return_history
from tests.factories import OrganisationFactory, TrendReturnFactory, make_member, trend_counts
from tests.html import main_text, soup

pytestmark = pytest.mark.django_db


def test_a_resubmission_is_a_new_version_and_the_old_one_is_kept(cumbria, police):
    first = TrendReturnFactory(working_group=cumbria, organisation=police, total=10)
    second = TrendReturnFactory(working_group=cumbria, organisation=police, total=12)
    first.refresh_from_db()
    assert (first.version, first.is_current, first.total) == (1, False, 10)
    assert (second.version, second.is_current) == (2, True)
    assert list(trend_return_history(trend_return=first)) == [second, first]
    assert TrendCount.objects.filter(trend_return=first).count() == len(CATEGORY_KEYS)
    assert list(TrendReturn.objects.current()) == [second]


def test_other_quarters_and_organisations_have_their_own_versions(cumbria, police):
    quarter = reporting_quarter()
    TrendReturnFactory(working_group=cumbria, organisation=police)
    earlier = TrendReturnFactory(working_group=cumbria, organisation=police, quarter=quarter.previous())
    other = TrendReturnFactory(working_group=cumbria, organisation=OrganisationFactory())
    assert earlier.version == other.version == 1
    assert TrendReturn.objects.current().count() == 3


def test_the_form_is_prefilled_from_the_latest_version(client, cumbria, police):
    member = make_member(cumbria, organisation=police)
    TrendReturnFactory(working_group=cumbria, organisation=police, total=10, note="First")
    latest = TrendReturnFactory(working_group=cumbria, organisation=police, total=9, note="Gaming platforms")
    client.force_login(member)
    response = client.get(f"/members/cumbria/returns/new/?quarter={latest.period.code}")
    page = soup(response)
    assert page.find("input", {"name": "total"})["value"] == "9"
    assert page.find("textarea", {"name": "note"}).get_text().strip() == "Gaming platforms"
    for key, count in latest.counts_by_key().items():
        assert page.find("input", {"name": key})["value"] == str(count)
    assert "filled in from version 2" in main_text(response)


def test_resubmitting_through_the_form_shows_the_history(client, cumbria, police):
    member = make_member(cumbria, organisation=police)
    first = TrendReturnFactory(working_group=cumbria, organisation=police, total=0, counts={})
    client.force_login(member)
    response = client.post("/members/cumbria/returns/new/", {"quarter": first.period.code, "total": "0", "note": ""})
    assert response.status_code == 302
    second = TrendReturn.objects.get(version=2)
    assert response["Location"] == f"/members/cumbria/returns/{second.pk}/"
    text = main_text(client.get(response["Location"]))
    assert "Version 2 (latest)" in text
    assert "Version 1" in text and "Version 2 (shown)" in text
    old = main_text(client.get(f"/members/cumbria/returns/{first.pk}/"))
    assert "replaced by a later version" in old


def grow(group, organisations, returns_each):
    for organisation in organisations:
        quarter = reporting_quarter()
        for _ in range(returns_each):
            TrendReturnFactory(working_group=group, organisation=organisation, quarter=quarter)
            quarter = quarter.previous()


def test_aggregate_queries_are_constant_and_count_current_versions_only(cumbria, yorkshire, django_assert_num_queries):
    quarter = reporting_quarter()
    police, council = OrganisationFactory(), OrganisationFactory()
    TrendReturnFactory(
        working_group=cumbria, organisation=police, total=10, counts=trend_counts(10, **{"age_under_11": 10})
    )
    TrendReturnFactory(
        working_group=cumbria,
        organisation=police,
        total=4,
        counts=trend_counts(4, **{"age_under_11": 1, "age_13_15": 3}),
    )
    TrendReturnFactory(working_group=cumbria, organisation=council, total=5, counts=trend_counts(5, **{"age_13_15": 5}))
    TrendReturnFactory(
        working_group=yorkshire, organisation=council, total=6, counts=trend_counts(6, **{"age_13_15": 6})
    )
    with django_assert_num_queries(2):
        totals, categories = trend_aggregate(quarter=quarter, group=cumbria)
    by_key = {c.category: c for c in categories}
    assert totals == {"total": 9, "returns": 2, "organisations": 2}
    assert (by_key["age_under_11"].count, by_key["age_under_11"].organisations) == (1, 1)
    assert (by_key["age_13_15"].count, by_key["age_13_15"].organisations) == (8, 2)
    assert by_key["age_18_over"].count == 0
    with django_assert_num_queries(2):
        totals, categories = trend_aggregate(quarter=quarter)
    assert totals == {"total": 15, "returns": 3, "organisations": 2}
    assert {c.category: c.count for c in categories}["age_13_15"] == 14
    grow(cumbria, [OrganisationFactory() for _ in range(10)], 2)
    with django_assert_num_queries(2):
        trend_aggregate(quarter=quarter)


def query_counts(client, urls):
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[url] = len(queries)
    return counts


def test_views_use_the_same_number_of_queries_when_returns_grow_tenfold(client, cumbria, police):
    coordinator = make_member(cumbria, role="coordinator", organisation=police)
    client.force_login(coordinator)
    some_return = TrendReturnFactory(working_group=cumbria, organisation=police)
    urls = [
        "/members/cumbria/returns/",
        "/members/cumbria/returns/tracking/",
        f"/members/cumbria/returns/{some_return.pk}/",
        f"/members/cumbria/returns/new/?quarter={some_return.period.code}",
        "/members/cumbria/returns/import/template.csv",
    ]

    def add(scale):
        organisations = [OrganisationFactory() for _ in range(scale)]
        for organisation in organisations:
            make_member(cumbria, organisation=organisation)
        grow(cumbria, [police, *organisations], scale)
        for _ in range(scale):  # a longer history for the return shown
            TrendReturnFactory(working_group=cumbria, organisation=police, quarter=some_return.period)

    add(1)
    query_counts(client, urls)  # the first request of all creates the site's settings row
    before = query_counts(client, urls)
    add(9)  # ten times as many organisations, returns and versions
    # Once more first: the change moved the members' area on, so the live groups kept in
    # the shared cache (groups.fragments) are read again once, as they were before `before`.
    query_counts(client, urls)
    after = query_counts(client, urls)
    assert TrendReturn.objects.count() >= 100
    assert after == before
    assert max(before.values()) <= 25, before


def test_the_demo_service_makes_valid_backdated_returns(cumbria, police):
    from groups.trends.services import trend_return_create_sample

    make_member(cumbria, organisation=police)
    quarter = reporting_quarter().previous()
    sample = trend_return_create_sample(group=cumbria, organisation=police, quarter=quarter, total=17, seed=3)
    again = trend_return_create_sample(group=cumbria, organisation=police, quarter=quarter.previous(), total=17, seed=3)
    assert sample.counts_by_key() == again.counts_by_key()  # the same seed, the same figures
    assert sample.submitted_at.date() > quarter.end
    assert sample.submitted_by is None
