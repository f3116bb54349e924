"""Who may read trend summaries, their CSVs and public copies, and edit them in the admin.

Regional summaries (and their CSV): the group's members, coordinators and administrators;
404 for everyone else signed in, a sign-in redirect for anonymous visitors. The
all-regions summary: any active member of any group and administrators. Public copies:
everyone, cached for anonymous visitors.
"""

import pytest

from tests.access import PERSONAS, admin_urls_for_page, assert_denied, response_for
from tests.conftest import make_groups
from tests.factories import (
    OrganisationFactory,
    TrendReturnFactory,
    make_trend_summary,
    publish_with_approval,
    trend_counts,
)
from tests.fast import built_once

pytestmark = pytest.mark.django_db

SECRET = "quokkabasalt"
SECRET_B = "dingofeldspar"


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, tmp_path_factory):
    """The groups, the people, the returns and the summaries, built once for the module:
    each test is rolled back to them (`built_once`). Every persona a test asks for is made
    here, not in a test (whose rollback would take it away from the tests after it)."""
    with built_once(django_db_blocker, tmp_path_factory.mktemp("trend-summaries-access-media")):
        objects = make_groups()
        yield build_summaries(objects["members_area"], objects["cumbria"], objects["yorkshire"], objects["personas"])


@pytest.fixture
def summaries(built):
    return built


def build_summaries(members_area, cumbria, yorkshire, personas):
    group_a, group_b = cumbria, yorkshire
    for persona in [*PERSONAS, "no_group"]:
        personas[persona]
    for group in (group_a, group_b):
        for total in (20, 20, 4):  # the 4 are boys: a small count to hide
            counts = trend_counts(total, gender_boys=total) if total == 4 else trend_counts(total)
            TrendReturnFactory(working_group=group, organisation=OrganisationFactory(), total=total, counts=counts)
    summary_a = make_trend_summary(group_a, title=f"Summary {SECRET}", narrative=f"<p>{SECRET}</p>")
    summary_b = make_trend_summary(group_b, title=f"Summary {SECRET_B}", narrative=f"<p>{SECRET_B}</p>")
    all_regions = make_trend_summary(members_area, narrative=f"<p>{SECRET} all regions</p>")
    return {"a": summary_a, "b": summary_b, "all": all_regions}, personas


READERS_OF_A = {"member", "coordinator", "administrator"}
READERS_OF_ALL = {"other_group_member", "member", "coordinator", "administrator"}


@pytest.mark.parametrize(
    ("which", "allowed"),
    [("a", READERS_OF_A), ("all", READERS_OF_ALL)],
)
def test_summary_page_and_csv_for_every_persona(client, summaries, which, allowed):
    pages, personas = summaries
    page = pages[which]
    for url in (page.url, f"/members/summaries/{page.pk}/summary.csv"):
        for persona in PERSONAS:
            response = response_for(client, personas[persona], url)
            if persona in allowed:
                assert response.status_code == 200, (persona, url)
            else:
                assert_denied(response, persona, SECRET)
                assert SECRET not in response.content.decode(errors="replace"), (persona, url)


def test_a_suspended_member_and_someone_in_no_group_get_404(client, summaries):
    pages, personas = summaries
    from groups.models import Membership

    Membership.objects.filter(user=personas["member"]).update(status="suspended")
    outsider = personas["no_group"]
    for user in (personas["member"], outsider):
        for page in (pages["a"], pages["all"]):
            assert response_for(client, user, page.url).status_code == 404
            assert response_for(client, user, f"/members/summaries/{page.pk}/summary.csv").status_code == 404


def test_another_pages_id_in_the_csv_url_answers_404(client, summaries):
    pages, personas = summaries
    group_page = pages["a"].get_parent()
    response = response_for(client, personas["administrator"], f"/members/summaries/{group_page.pk}/summary.csv")
    assert response.status_code == 404


def test_the_disclosure_report_is_shown_to_coordinators_only(client, summaries):
    pages, personas = summaries
    heading = "Why figures are hidden in this table"
    assert heading in response_for(client, personas["coordinator"], pages["a"].url).content.decode()
    assert heading not in response_for(client, personas["member"], pages["a"].url).content.decode()
    assert heading not in response_for(client, personas["coordinator"], pages["all"].url).content.decode()
    assert heading in response_for(client, personas["administrator"], pages["all"].url).content.decode()


def test_the_public_copy_is_public_and_cached(client, summaries, django_assert_max_num_queries):
    pages, personas = summaries
    page = pages["a"]
    page.publish_publicly = True
    publish_with_approval(page)
    quarter = page.period
    url = f"/trends/cumbria/{quarter.year}-q{quarter.number}/"
    for persona in PERSONAS:
        response = response_for(client, personas[persona], url)
        assert response.status_code == 200, persona
        assert response_for(client, personas[persona], url + "summary.csv").status_code == 200
    client.logout()
    client.cookies.clear()
    client.get(url)
    with django_assert_max_num_queries(0):
        assert client.get(url).status_code == 200
    # The members' page names the public copy for its readers.
    assert url in response_for(client, personas["member"], page.url).content.decode()


def test_coordinator_of_a_may_add_a_summary_to_group_a_only(client, summaries):
    pages, personas = summaries
    group_a, group_b = pages["a"].get_parent(), pages["b"].get_parent()
    coordinator = personas["coordinator"]
    assert (
        response_for(client, coordinator, f"/admin/pages/add/groups/trendsummarypage/{group_a.pk}/").status_code == 200
    )
    assert response_for(client, coordinator, f"/admin/pages/{pages['a'].pk}/edit/").status_code == 200
    assert response_for(client, coordinator, f"/admin/pages/add/groups/trendsummarypage/{group_b.pk}/").status_code in (
        302,
        403,
        404,
    )
    # Nobody but an administrator adds an all-regions summary.
    area = pages["all"].get_parent()
    for persona in ("coordinator", "editor", "member"):
        response = response_for(
            client, personas[persona], f"/admin/pages/add/groups/allregionstrendsummarypage/{area.pk}/"
        )
        assert response.status_code in (302, 403, 404), persona
    assert (
        response_for(
            client, personas["administrator"], f"/admin/pages/add/groups/allregionstrendsummarypage/{area.pk}/"
        ).status_code
        == 200
    )


def test_no_one_from_group_a_reaches_group_bs_summary_in_the_admin(client, summaries):
    pages, personas = summaries
    summary_b = pages["b"]
    summary_b.save_revision()  # a draft too
    urls = admin_urls_for_page(summary_b, query=SECRET_B)
    assert len(urls) >= 25
    for url in urls:
        for persona in PERSONAS:
            if persona == "administrator":
                continue
            response = response_for(client, personas[persona], url)
            if url.startswith("/admin/choose-page/") and persona != "anonymous":
                assert response.status_code in (200, 302, 403, 404), (persona, url)
            else:
                assert response.status_code != 200, (persona, url)
                assert_denied(response, persona, SECRET_B)
            assert SECRET_B not in response.content.decode(errors="replace"), (persona, url)


def test_the_groups_list_of_summaries(client, summaries):
    pages, personas = summaries
    group_a = pages["a"].get_parent()
    url = f"/members/{group_a.slug}/summaries/"
    for persona in PERSONAS:
        response = response_for(client, personas[persona], url)
        if persona in READERS_OF_A:
            body = response.content.decode()
            assert response.status_code == 200
            assert pages["a"].url in body and pages["all"].url in body
            assert pages["b"].url not in body and SECRET_B not in body
            assert ("add a trend summary" in body) is (persona != "member")
        else:
            assert_denied(response, persona, SECRET)
