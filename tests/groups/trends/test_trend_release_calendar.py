"""The public release calendar at /trends/: the public copies on show by quarter, the
announced dates of coming releases, and the public part of the ledger as open data (CSV
and JSON), never a members' figure."""

import csv
import datetime
import io
import json

import pytest

from groups.models import TrendLedgerEntry
from groups.trends.quarters import Quarter, reporting_quarter
from groups.trends.selectors import coming_releases
from tests.factories import OrganisationFactory, TrendReturnFactory, make_trend_summary, trend_counts
from tests.html import soup

pytestmark = pytest.mark.django_db


def add_returns(group, totals):
    for total in totals:
        TrendReturnFactory(
            working_group=group, organisation=OrganisationFactory(), total=total, counts=trend_counts(total)
        )


@pytest.fixture
def published(cumbria, yorkshire, settings):
    """Cumbria's summary published to members and the public; Yorkshire's to members only,
    with a quarterly total (85) that appears in no public copy."""
    settings.TREND_SUMMARY_PUBLIC_THRESHOLD = 15
    add_returns(cumbria, [20, 20, 20])
    add_returns(yorkshire, [30, 28, 27])
    make_trend_summary(cumbria, publish_publicly=True)
    make_trend_summary(yorkshire)
    yorkshire_total = TrendLedgerEntry.objects.get(
        regions=["yorkshire"], quarters=[reporting_quarter().code], category="total"
    )
    assert yorkshire_total.value == 85 and yorkshire_total.publication.audience == "members"


def test_the_page_lists_the_public_releases_and_the_coming_ones(client, published):
    page = soup(client.get("/trends/"))

    assert page.h1.get_text(strip=True) == "Trends in online sexually coerced extortion of children"
    headings = " ".join(h.get_text() for h in page.select("h1, h2, h3")).lower()
    assert "sextortion" not in headings
    quarter = reporting_quarter()
    links = {a["href"] for a in page.select("main a")}
    assert f"/trends/cumbria/{quarter.year}-q{quarter.number}/" in links
    assert f"/trends/yorkshire/{quarter.year}-q{quarter.number}/" not in links
    assert {"/trends/published-figures.csv", "/trends/published-figures.json"} <= links
    table = page.select_one("main table")
    assert table.caption.get_text(strip=True) == "Announced release dates"
    assert [th["scope"] for th in table.select("th")] == ["col", "col", "row"]
    # The reporting quarter is out; the quarter under way is announced.
    assert table.select_one("tbody th").get_text(strip=True) == quarter.next().label


def test_coming_releases_follow_the_documented_rule(settings):
    settings.TREND_RELEASE_DAYS = 60
    assert Quarter(2026, 2).release_date == datetime.date(2026, 8, 29)
    # Early in July: April to June (not yet released) and July to September are to come.
    assert coming_releases(today=datetime.date(2026, 7, 10)) == [Quarter(2026, 2), Quarter(2026, 3)]
    # Once April to June's announced date has passed, only the next one is announced.
    assert coming_releases(today=datetime.date(2026, 9, 1)) == [Quarter(2026, 3)]


def test_the_open_data_holds_every_public_figure_and_no_members_figure(client, published):
    public_entries = TrendLedgerEntry.objects.filter(publication__audience="public")

    response = client.get("/trends/published-figures.json")
    assert response["Content-Type"] == "application/json"
    items = json.loads(response.content)
    assert len(items) == public_entries.count() > 0
    assert {item["audience"] for item in items} == {"public"}
    assert all(item["scope"]["regions"] == ["cumbria"] for item in items)
    assert not any(item["value"] == 85 for item in items)
    total = next(
        i for i in items if i["scope"]["category"] == "total" and i["scope"]["quarters"] == [reporting_quarter().code]
    )
    assert (total["value"], total["threshold"], total["revision"]) == (60, 15, 1)

    response = client.get("/trends/published-figures.csv")
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Release quarter", "Revision", "Audience"]
    assert len(body) == len(items)
    assert {row[2] for row in body} == {"public"}
    assert not any("yorkshire" in row[5] for row in body) and not any(row[8] == "85" for row in body)
    assert client.get("/trends/published-figures.xlsx").status_code == 404


def test_the_calendar_and_the_downloads_are_cached_for_anonymous_visitors(
    client, published, django_assert_max_num_queries
):
    for url in ("/trends/", "/trends/published-figures.csv", "/trends/published-figures.json"):
        first = client.get(url)
        with django_assert_max_num_queries(0):
            assert client.get(url).content == first.content
