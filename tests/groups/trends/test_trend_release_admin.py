"""A quarter's release in the admin: "Trend releases" lists the quarters whose summaries
wait for a data steward's approval, audits each quarter's tables as one, and the steward
approves them together (all published, or none); a summary cannot be approved on its own
while other tables of its quarter wait. Stewards and administrators only."""

import re

import pytest

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from wagtail.models import Page, TaskState, WorkflowState

from groups.models import TrendPublication
from groups.trends.quarters import reporting_quarter
from groups.trends.services import trend_summary_approve, trend_summary_submit
from tests.access import assert_denied, response_for
from tests.factories import (
    add_trend_return,
    leak_a_single_organisations_total,
    make_administrator,
    make_data_steward,
    make_member,
    make_trend_summary,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("short_trend")]


def submit(page, user):
    """The first key, as "Submit to Trend summary approval" in the admin."""
    page.save_revision(user=user)
    trend_summary_submit(page=page, submitted_by=user)
    return page


def submit_release(groups, members_area, charity, *, all_regions=True):
    """Each group's summary (also public) submitted by its coordinator at the charity, and
    the all-regions one by an administrator; the pages, each region's then all regions'."""
    pages = []
    for group in groups:
        coordinator = make_member(group, role="coordinator", organisation=charity)
        pages.append(submit(make_trend_summary(group, publish=False, publish_publicly=True), coordinator))
    if all_regions:
        pages.append(submit(make_trend_summary(members_area, publish=False), make_administrator()))
    return pages


def release_url(quarter=None):
    return f"/admin/trend-releases/{(quarter or reporting_quarter()).code}/"


def is_live(page):
    return Page.objects.get(pk=page.pk).live


def waiting(page):
    return TaskState.objects.get(workflow_state__object_id=str(page.pk)).status == TaskState.STATUS_IN_PROGRESS


def test_the_release_view_lists_the_quarters_waiting(client, regional_returns, members_area, charity):
    pages = submit_release(regional_returns[:2], members_area, charity, all_regions=False)
    make_trend_summary(regional_returns[2], publish=False)  # a draft, not submitted
    client.force_login(make_data_steward())

    index = client.get("/admin/trend-releases/").content.decode()
    quarter = reporting_quarter()
    assert quarter.label in index and release_url() in index
    assert "Cumbria" in index and "Yorkshire" in index and "Northumbria" not in index

    body = client.get(release_url()).content.decode()
    for page in pages:
        assert f"/admin/pages/{page.pk}/edit/" in body
    assert "The audit passes." in body and "information kept" in body
    assert "a draft, not submitted for approval" in body and "no summary for this quarter" in body
    assert "Approve and publish the release" in body


def test_nothing_waiting_lists_nothing(client, regional_returns):
    make_trend_summary(regional_returns[0])  # published: not waiting
    client.force_login(make_data_steward())
    assert "No trend summary is waiting" in client.get("/admin/trend-releases/").content.decode()
    assert client.get(release_url()).status_code == 404


def test_a_steward_approves_the_release_and_every_table_goes_live_with_both_keys(
    client, regional_returns, members_area, charity
):
    pages = submit_release(regional_returns, members_area, charity)
    steward = make_data_steward()
    client.force_login(steward)

    response = client.post(release_url(), follow=True)

    assert response.redirect_chain[-1][0] == "/admin/trend-releases/"
    assert "is published: 5 trend summaries to members, 4 of them to the public too" in response.content.decode()
    for index, page in enumerate(pages):
        page = Page.objects.get(pk=page.pk).specific
        assert page.live
        state = WorkflowState.objects.for_instance(page).get()
        assert state.status == WorkflowState.STATUS_APPROVED
        task = TaskState.objects.get(workflow_state=state)
        assert task.finished_by == steward and task.revision_id == page.live_revision_id
        copies = TrendPublication.objects.filter(page=page)
        assert {copy.revision_id for copy in copies} == {page.live_revision_id}
        expected = ["members", "public"] if index < len(regional_returns) else ["members"]  # all regions: members only
        assert sorted(copies.values_list("audience", flat=True)) == expected
    # One protection and one audit for the whole release, stored with every copy.
    audits = {str(copy.audit) for copy in TrendPublication.objects.all()}
    assert len(audits) == 1 and TrendPublication.objects.first().audit["passed"] is True


@pytest.mark.parametrize("case", ["administrator", "coordinator", "submitter", "same organisation", "audit refuses"])
def test_what_the_workflow_refuses_the_release_refuses(client, regional_groups, members_area, charity, case):
    quarter = reporting_quarter()
    for group in regional_groups[1:]:
        add_trend_return(group, 20)
        add_trend_return(group, 20)
    if case != "audit refuses":
        add_trend_return(regional_groups[0], 20)
        add_trend_return(regional_groups[0], 20)
    else:
        add_trend_return(regional_groups[0], 37, organisation=charity)  # one organisation's quarter in Cumbria ...
        leak_a_single_organisations_total(regional_groups[0], quarter)  # ... shown once before the audit
    pages = submit_release(regional_groups, members_area, charity)
    approver = {
        "administrator": make_administrator,
        "coordinator": lambda: make_member(regional_groups[1], role="coordinator"),
        "same organisation": lambda: make_data_steward(organisation=charity),
    }.get(case, make_data_steward)()
    if case == "submitter":
        approver = TaskState.objects.get(workflow_state__object_id=str(pages[0].pk)).workflow_state.requested_by
        approver.groups.add(Group.objects.get(name="Data stewards"))
    client.force_login(approver)

    response = client.post(release_url(), follow=True)

    body = response.content.decode()
    if case == "coordinator":
        assert response.status_code == 404  # not a page of theirs to see
    else:
        expected = {
            "administrator": "Only a data steward can approve",
            "submitter": "another data steward must approve it",
            "same organisation": "are both from Coordinating charity",
            "audit refuses": "Refused: these could be worked out",
        }[case]
        message = re.search(r"Not published\.[^<]*", body).group(0)
        assert expected in message and not re.search(r"\b(35|37)\b", message)
    # Nothing published, nothing recorded; every page still waits for a steward.
    assert not any(is_live(page) for page in pages)
    assert not TrendPublication.objects.filter(page__isnull=False).exists()
    assert all(waiting(page) for page in pages)


def test_the_release_view_tells_a_steward_who_may_not_approve_why(client, regional_returns, members_area, charity):
    submit_release(regional_returns[:2], members_area, charity, all_regions=False)
    client.force_login(make_data_steward(organisation=charity))
    body = client.get(release_url()).content.decode()
    assert "You cannot approve this release." in body and "are both from Coordinating charity" in body
    assert "Approve and publish the release" not in body


def test_a_summary_is_not_approved_alone_while_its_quarters_other_tables_wait(
    client, regional_returns, members_area, charity
):
    cumbria, yorkshire = submit_release(regional_returns[:2], members_area, charity, all_regions=False)
    steward = make_data_steward()
    client.force_login(steward)

    body = client.get(f"/admin/pages/{cumbria.pk}/edit/").content.decode()
    assert "You cannot approve this trend summary." in body
    assert "approve the quarter&#x27;s release as a whole" in body and f'href="{release_url()}"' in body
    assert yorkshire.title in body
    task_state = TaskState.objects.get(workflow_state__object_id=str(cumbria.pk))
    response = client.post(f"/admin/pages/workflow/action/{cumbria.pk}/approve/{task_state.pk}/")
    assert response.status_code in (302, 403)
    with pytest.raises(PermissionDenied, match="approve the quarter's release as a whole"):
        trend_summary_approve(page=cumbria, approved_by=steward)
    assert not is_live(cumbria) and waiting(cumbria) and waiting(yorkshire)

    # Another quarter's waiting summary is no reason: it is approved on its own.
    other = submit(
        make_trend_summary(regional_returns[2], quarter=reporting_quarter().previous(), publish=False), steward
    )
    trend_summary_approve(page=other, approved_by=make_data_steward())
    assert is_live(other)


@pytest.mark.parametrize(
    "persona", ["anonymous", "member", "other_group_member", "coordinator", "editor", "administrator", "steward"]
)
def test_only_stewards_and_administrators_reach_trend_releases(client, personas, regional_returns, persona):
    summary = submit(
        make_trend_summary(regional_returns[0], publish=False, title="Summary zebrafinch"), make_administrator()
    )
    user = make_data_steward() if persona == "steward" else personas[persona]
    nothing_waiting = release_url(reporting_quarter().previous())
    urls = ["/admin/trend-releases/", release_url()]

    responses = [response_for(client, user, url) for url in urls]
    menu = response_for(client, user, "/admin/").content.decode()

    if persona in ("administrator", "steward"):
        assert [response.status_code for response in responses] == [200, 200]
        assert "zebrafinch" in responses[1].content.decode() and "Trend releases" in menu
        return
    for response in responses:
        assert_denied(response, persona, "zebrafinch")
    # The same answer as for a quarter with nothing waiting, whether or not one waits.
    missing = response_for(client, user, nothing_waiting)
    assert (responses[1].status_code, responses[1].get("Location", "").split("?")[0]) == (
        missing.status_code,
        missing.get("Location", "").split("?")[0],
    )
    assert "Trend releases" not in menu
    posted = client.post(release_url())
    assert posted.status_code in (302, 404) and not is_live(summary)
