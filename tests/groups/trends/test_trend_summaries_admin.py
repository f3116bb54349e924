"""Coordinators write and publish their group's trend summaries in the Wagtail admin."""

import pytest

from wagtail.test.utils.form_data import nested_form_data, rich_text

from groups.models import TrendPublication, TrendSummaryPage
from groups.trends.quarters import reporting_quarter
from groups.trends.services import trend_summary_approve
from tests.factories import (
    OrganisationFactory,
    TrendReturnFactory,
    make_data_steward,
    make_member,
    make_trend_summary,
    published_tables,
)
from tests.html import soup

pytestmark = pytest.mark.django_db


def post_summary(client, group, quarter, action="action-publish", **fields):
    data = {
        "title": "",
        "slug": "",
        "year": quarter.year,
        "quarter": quarter.number,
        "narrative": rich_text("<p>More approaches through gaming platforms.</p>"),
        action: "1",
        **fields,
    }
    return client.post(f"/admin/pages/add/groups/trendsummarypage/{group.pk}/", nested_form_data(data))


@pytest.fixture
def coordinator_client(client, cumbria):
    client.force_login(make_member(cumbria, role="coordinator"))
    return client


def test_a_coordinator_publishes_a_summary_and_its_figures_are_fixed(coordinator_client, cumbria):
    for _ in range(3):
        TrendReturnFactory(working_group=cumbria, organisation=OrganisationFactory(), total=20)
    quarter = reporting_quarter()
    response = post_summary(coordinator_client, cumbria, quarter, "action-submit", publish_publicly="on")
    assert response.status_code == 302, soup(response).select_one(".error-message, .w-field__errors")
    page = TrendSummaryPage.objects.child_of(cumbria).get()
    assert not page.live  # until a data steward approves it
    trend_summary_approve(page=page, approved_by=make_data_steward())
    page.refresh_from_db()
    assert page.live and page.slug == quarter.code.lower() and quarter.label in page.title
    publications = TrendPublication.objects.filter(page=page, revision=page.live_revision)
    assert sorted(publications.values_list("audience", flat=True)) == ["members", "public"]
    assert published_tables(page)[0]["cells"][-1] == [60]


def test_a_quarter_that_has_not_ended_is_refused(coordinator_client, cumbria):
    response = post_summary(coordinator_client, cumbria, reporting_quarter().next())
    assert response.status_code == 200
    assert "has not ended yet" in response.content.decode()
    assert not TrendSummaryPage.objects.exists()


def test_a_second_summary_for_the_same_quarter_is_refused(coordinator_client, cumbria):
    make_trend_summary(cumbria)
    response = post_summary(coordinator_client, cumbria, reporting_quarter())
    assert response.status_code == 200
    assert "There is already a summary for" in response.content.decode()
    assert TrendSummaryPage.objects.count() == 1


def test_the_latest_summary_selector(cumbria, yorkshire):
    from groups.trends.selectors import latest_trend_summary

    assert latest_trend_summary(group=cumbria) is None
    quarter = reporting_quarter()
    older = make_trend_summary(cumbria, quarter=quarter.previous())
    assert latest_trend_summary(group=cumbria) == older
    newer = make_trend_summary(cumbria, quarter=quarter)
    make_trend_summary(yorkshire, quarter=quarter)
    assert latest_trend_summary(group=cumbria) == newer
    newer.unpublish()
    assert latest_trend_summary(group=cumbria) == older


def test_a_narrative_with_personal_data_is_refused(coordinator_client, cumbria):
    narrative = rich_text("<p>Call Jane on 07700 900123 about the case.</p>")
    response = post_summary(coordinator_client, cumbria, reporting_quarter(), narrative=narrative)
    assert response.status_code == 200
    assert "phone number" in response.content.decode().lower()
    assert not TrendSummaryPage.objects.exists()


def test_publications_outlive_their_page(cumbria):
    page = make_trend_summary(cumbria)
    page.delete()
    publication = TrendPublication.objects.get()
    assert publication.page is None and publication.entries.exists()


def test_where_summary_pages_may_go():
    from groups.models import (
        AllRegionsTrendSummaryPage,
        GroupPrivateMixin,
        MembersAreaIndexPage,
        MembersAreaPageMixin,
        WorkingGroupPage,
    )

    assert TrendSummaryPage.allowed_parent_page_models() == [WorkingGroupPage]
    assert AllRegionsTrendSummaryPage.allowed_parent_page_models() == [MembersAreaIndexPage]
    assert TrendSummaryPage.allowed_subpage_models() == AllRegionsTrendSummaryPage.allowed_subpage_models() == []
    assert issubclass(TrendSummaryPage, GroupPrivateMixin)
    assert issubclass(AllRegionsTrendSummaryPage, MembersAreaPageMixin)
    assert list(TrendSummaryPage.get_indexed_objects()) == list(AllRegionsTrendSummaryPage.get_indexed_objects()) == []
