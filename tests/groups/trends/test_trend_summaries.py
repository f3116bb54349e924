"""Trend summaries: figures fixed at publication (in the ledger), read only from the ledger
(D05), the public copy with the public threshold, differencing with earlier summaries."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from groups.models import TrendLedgerEntry, TrendPublication
from groups.trends.quarters import reporting_quarter
from tests.factories import (
    OrganisationFactory,
    TrendReturnFactory,
    make_member,
    make_trend_summary,
    publish_with_approval,
    published_tables,
    trend_counts,
)
from tests.html import soup

pytestmark = pytest.mark.django_db


def add_returns(group, totals, *, quarter=None, **counts):
    """One return per total, each from a new organisation, with the `counts` given (the
    first return only) and everything else "not known"."""
    quarter = quarter or reporting_quarter()
    for number, total in enumerate(totals):
        TrendReturnFactory(
            working_group=group,
            organisation=OrganisationFactory(),
            total=total,
            quarter=quarter,
            counts=trend_counts(total, **(counts if number == 0 else {})),
        )


def quarter_total(page):
    return published_tables(page)[0]["cells"][-1][0]


def signed_in(client, group, *, role="member"):
    user = make_member(group, role=role)
    client.force_login(user)
    return user


def test_publishing_fixes_the_figures_until_a_new_revision_is_published(client, cumbria):
    add_returns(cumbria, [20, 20, 20])
    page = make_trend_summary(cumbria)
    assert quarter_total(page) == 60

    add_returns(cumbria, [30])  # a late return
    signed_in(client, cumbria)
    body = client.get(page.url).content.decode()
    assert ">60<" in body and ">90<" not in body
    assert quarter_total(page) == 60

    publish_with_approval(page)
    page.refresh_from_db()
    assert quarter_total(page) == 90
    # Revised since the first publication: marked [r].
    assert '>90 <abbr title="Revised">[r]</abbr><' in client.get(page.url).content.decode()
    # Both publications are kept: the first was published, so later summaries are audited against it.
    assert TrendPublication.objects.filter(page=page).count() == 2


def test_a_resubmitted_return_counts_only_its_latest_version(cumbria):
    organisation = OrganisationFactory()
    for total in (40, 25):
        TrendReturnFactory(working_group=cumbria, organisation=organisation, total=total, counts=trend_counts(total))
    add_returns(cumbria, [20])
    assert quarter_total(make_trend_summary(cumbria)) == 45


def test_the_ledger_holds_the_reasons_and_no_true_values(cumbria):
    add_returns(cumbria, [12, 11, 3], gender_boys=4, gender_girls=8)  # 4 boys: hidden
    page = make_trend_summary(cumbria)
    publication = TrendPublication.objects.get(page=page)
    assert publication.revision_id == page.live_revision_id
    assert publication.threshold == 10
    assert publication.audit["passed"] is True
    entries = TrendLedgerEntry.objects.filter(publication=publication)
    assert all(entry.value is None or entry.value % 5 == 0 for entry in entries)
    assert entries.get(category="gender_boys").reason == "primary"
    tables = published_tables(page)
    assert len(tables) == 8  # the trend and the seven breakdowns
    assert any(table["report"] for table in tables)


def test_no_raw_returns_are_read_while_rendering_a_published_summary(client, cumbria, settings):
    """D05: the page, its CSV and its public copy query the ledger, never the returns."""
    add_returns(cumbria, [20, 20, 20])
    page = make_trend_summary(cumbria, publish_publicly=True)
    signed_in(client, cumbria, role="coordinator")
    quarter = page.period
    urls = [
        page.url,
        f"/members/summaries/{page.pk}/summary.csv",
        f"/trends/cumbria/{quarter.year}-q{quarter.number}/",
        f"/trends/cumbria/{quarter.year}-q{quarter.number}/summary.csv",
        "/trends/",
    ]
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        sql = " ".join(query["sql"].lower() for query in queries.captured_queries)
        assert "groups_trendpublication" in sql, url
        assert "groups_trendreturn" not in sql and "groups_trendcount" not in sql, url


def test_the_public_copy_uses_the_public_threshold(client, cumbria, settings):
    settings.TREND_SUMMARY_PUBLIC_THRESHOLD = 50
    add_returns(cumbria, [15, 15])
    page = make_trend_summary(cumbria, publish_publicly=True)
    assert published_tables(page)[0]["cells"][-1] == [30]
    assert TrendPublication.objects.get(page=page, audience="public").threshold == 50
    assert published_tables(page, audience="public")[0]["cells"][-1] == ["[c]"]

    quarter = page.period
    response = client.get(f"/trends/cumbria/{quarter.year}-q{quarter.number}/")
    assert response.status_code == 200
    text = soup(response).get_text()
    assert "[c]" in text and "Counts below 50 are hidden" in text
    assert ">30<" not in response.content.decode()
    csv = client.get(f"/trends/cumbria/{quarter.year}-q{quarter.number}/summary.csv").content.decode()
    assert '"30"' not in csv and '"[c]"' in csv


def test_only_public_summaries_are_on_the_public_site_and_in_the_sitemap(client, cumbria, yorkshire):
    add_returns(cumbria, [20, 20])
    add_returns(yorkshire, [20, 20])
    public = make_trend_summary(cumbria, publish_publicly=True, title="Cumbria public summary")
    private = make_trend_summary(yorkshire, title="Yorkshire members only")
    quarter = public.period
    public_url = f"/trends/cumbria/{quarter.year}-q{quarter.number}/"
    private_url = f"/trends/yorkshire/{quarter.year}-q{quarter.number}/"

    assert client.get(public_url).status_code == 200
    assert client.get(private_url).status_code == 404
    assert client.get(private_url + "summary.csv").status_code == 404
    listing = client.get("/trends/").content.decode()
    assert public_url in listing and private_url not in listing
    sitemap = client.get("/sitemap.xml").content.decode()
    assert public_url in sitemap and private_url not in sitemap
    assert private.url not in sitemap and public.url not in sitemap  # the members' pages never

    # Republished without the public copy: it is gone at once.
    public.publish_publicly = False
    publish_with_approval(public)
    assert client.get(public_url).status_code == 404
    # Unpublished: gone too.
    private.publish_publicly = True
    publish_with_approval(private)
    assert client.get(private_url).status_code == 200
    private.refresh_from_db()
    private.unpublish()
    assert client.get(private_url).status_code == 404


def test_the_sitemap_names_one_host_the_sites_whatever_host_was_asked(client, cumbria, settings):
    import re
    from urllib.parse import urlsplit

    from wagtail.models import Site

    add_returns(cumbria, [20, 20])
    make_trend_summary(cumbria, publish_publicly=True)
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "portal.example.org", 443
    site.save()
    settings.ALLOWED_HOSTS = ["127.0.0.1", "portal.example.org"]

    response = client.get("/sitemap.xml", HTTP_HOST="127.0.0.1:8000")
    locations = re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    assert any("/trends/cumbria/" in location for location in locations)
    assert {urlsplit(location)[:2] for location in locations} == {("https", "portal.example.org")}


def test_public_urls_that_do_not_exist_answer_404(client):
    for url in ("/trends/atlantis/2025-q1/", "/trends/cumbria/2025-q5/", "/trends/cumbria/2025-q1/summary.csv"):
        assert client.get(url).status_code == 404


def test_a_summary_is_checked_against_summaries_published_before(cumbria, yorkshire, members_area):
    """Differencing: the all-regions total minus Yorkshire's published total would reveal
    Cumbria's 7 children, so the all-regions total is hidden."""
    add_returns(cumbria, [4, 3])
    add_returns(yorkshire, [20, 20, 20])
    make_trend_summary(yorkshire)
    all_regions = make_trend_summary(members_area)
    assert TrendPublication.objects.get(page=all_regions).region == ""
    trend = published_tables(all_regions)[0]
    assert trend["cells"][-1] == ["[c]"]
    assert any(finding["rule"] == "secondary" for finding in trend["report"])


def test_the_same_figure_is_hidden_in_every_table_of_a_summary(cumbria):
    """The quarter's total appears in the trend and under each partition breakdown."""
    add_returns(cumbria, [30])  # one organisation: dominance hides it
    page = make_trend_summary(cumbria)
    tables = published_tables(page)
    assert tables[0]["cells"][-1] == ["[c]"]
    for table in tables[1:]:
        if table["column_totals"]:
            assert table["column_totals"] == ["[c]"]


def test_preview_computes_the_figures_now_and_says_so(cumbria, admin_user):
    add_returns(cumbria, [20, 20])
    page = make_trend_summary(cumbria, publish=False)
    response = page.make_preview_request(extra_request_attrs={"user": admin_user})
    body = response.rendered_content if hasattr(response, "rendered_content") else response.content.decode()
    assert "computed from the returns now" in body
    assert ">40<" in body
    assert not TrendPublication.objects.filter(page=page).exists()
