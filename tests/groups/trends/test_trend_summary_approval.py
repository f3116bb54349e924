"""Two keys on a trend summary: prepared and submitted by a coordinator (or an
administrator), it goes live only when a data steward from another organisation approves
it in the "Trend summary approval" workflow. Every route that could publish it without
that approval is tried."""

import datetime

import pytest
import time_machine

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from wagtail.actions.publish_page_revision import PublishPagePermissionError
from wagtail.models import Page, TaskState
from wagtail.test.utils.form_data import nested_form_data, rich_text

from groups.models import TrendPublication, TrendSummaryPage
from groups.trends.quarters import reporting_quarter
from groups.trends.services import trend_summary_approve, trend_summary_submit
from tests.factories import (
    TrendReturnFactory,
    make_administrator,
    make_data_steward,
    make_member,
    make_trend_summary,
    trend_counts,
)

pytestmark = pytest.mark.django_db


def add_returns(group, totals):
    for total in totals:
        TrendReturnFactory(working_group=group, total=total, counts=trend_counts(total))


@pytest.fixture
def preparer(cumbria, charity):
    """Cumbria's coordinator, at the coordinating charity."""
    return make_member(cumbria, role="coordinator", organisation=charity, first_name="Cara", last_name="Coord")


@pytest.fixture
def summary(cumbria):
    add_returns(cumbria, [20, 20, 20])
    return make_trend_summary(cumbria, publish=False, publish_publicly=True)


def edit_data(page, **fields):
    quarter = reporting_quarter()
    data = {
        "title": page.title,
        "slug": page.slug,
        "year": quarter.year,
        "quarter": quarter.number,
        "narrative": rich_text("<p>More boys aged 13 to 15.</p>"),
        "publish_publicly": "on",
        **fields,
    }
    return nested_form_data(data)


def submit_in_admin(client, page, user):
    client.force_login(user)
    response = client.post(f"/admin/pages/{page.pk}/edit/", edit_data(page, **{"action-submit": "1"}))
    assert response.status_code == 302
    state = Page.objects.get(pk=page.pk).specific.current_workflow_state
    assert state is not None and state.requested_by == user
    return state.current_task_state


def approve_in_admin(client, page, task_state, user):
    client.force_login(user)
    return client.post(f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/")


def is_live(page):
    return Page.objects.get(pk=page.pk).live


def test_a_coordinator_submits_and_a_steward_of_another_organisation_approves(client, summary, preparer):
    task_state = submit_in_admin(client, summary, preparer)
    assert not is_live(summary)
    steward = make_data_steward()

    client.force_login(steward)
    body = client.get(f"/admin/pages/{summary.pk}/edit/").content.decode()
    assert "The audit passes." in body and "information kept" in body
    assert "You cannot approve" not in body
    assert approve_in_admin(client, summary, task_state, steward).status_code == 302

    assert is_live(summary)
    # Members' and public copies go live together, from the one approved revision.
    page = TrendSummaryPage.objects.get(pk=summary.pk)
    copies = TrendPublication.objects.filter(page=page)
    assert sorted(copies.values_list("audience", flat=True)) == ["members", "public"]
    assert {copy.revision_id for copy in copies} == {page.live_revision_id}
    assert TaskState.objects.get(pk=task_state.pk).finished_by == steward


@pytest.mark.parametrize(
    "approver",
    ["same organisation", "submitter", "administrator", "coordinator", "no organisation"],
)
def test_only_a_steward_of_another_organisation_approves(client, summary, preparer, charity, cumbria, approver):
    task_state = submit_in_admin(client, summary, preparer)
    if approver == "same organisation":
        user = make_data_steward(organisation=charity)
    elif approver == "submitter":
        user = preparer
        user.groups.add(Group.objects.get(name="Data stewards"))
    elif approver == "administrator":
        user = make_administrator()
    elif approver == "coordinator":
        user = make_member(cumbria, role="coordinator")
    else:
        user = make_data_steward()
        user.email = "steward@nowhere.example.net"
        user.save()

    response = approve_in_admin(client, summary, task_state, user)

    assert response.status_code in (302, 403, 404)
    assert not is_live(summary)
    assert TaskState.objects.get(pk=task_state.pk).status == TaskState.STATUS_IN_PROGRESS
    with pytest.raises(PermissionDenied):
        trend_summary_approve(page=summary, approved_by=user)
    assert not is_live(summary)


def test_a_steward_of_the_submitters_organisation_is_told_why(client, summary, preparer, charity):
    submit_in_admin(client, summary, preparer)
    client.force_login(make_data_steward(organisation=charity))
    body = client.get(f"/admin/pages/{summary.pk}/edit/").content.decode()
    assert "You cannot approve this trend summary." in body
    assert "are both from Coordinating charity" in body


def test_the_audit_panel_never_shows_a_hidden_figure(client, cumbria, preparer):
    add_returns(cumbria, [7, 20, 20])
    page = make_trend_summary(cumbria, publish=False)
    submit_in_admin(client, page, preparer)
    client.force_login(make_data_steward())
    body = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    panel = body[body.index("data-trend-audit") : body.index("</div>", body.index("data-trend-audit"))]
    assert "The audit passes." in panel
    assert "7" not in panel.replace("% of the figures", "")


def admin_publish_routes(page, parent):
    quarter = reporting_quarter()
    pk = page.pk
    soon = timezone.localtime(timezone.now() + datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    return {
        "edit: publish": ("post", f"/admin/pages/{pk}/edit/", edit_data(page, **{"action-publish": "1"})),
        "edit: schedule": (
            "post",
            f"/admin/pages/{pk}/edit/",
            edit_data(page, go_live_at=soon, **{"action-publish": "1"}),
        ),
        "create: publish": (
            "post",
            f"/admin/pages/add/groups/trendsummarypage/{parent.pk}/",
            nested_form_data(
                {
                    "title": "",
                    "slug": "another",
                    "year": quarter.year - 1,
                    "quarter": quarter.number,
                    "narrative": rich_text("<p>x</p>"),
                    "action-publish": "1",
                }
            ),
        ),
        "bulk publish": ("post", f"/admin/bulk/wagtailcore/page/publish/?id={pk}", {}),
        "API publish": ("api", f"/admin/api/main/pages/{pk}/action/publish/", {}),
    }


@pytest.mark.parametrize("who", ["coordinator", "administrator"])
def test_no_admin_route_publishes_without_a_stewards_approval(client, summary, preparer, cumbria, who):
    user = preparer if who == "coordinator" else make_administrator()
    client.force_login(user)
    for name, (method, url, data) in admin_publish_routes(summary, cumbria).items():
        if method == "api":
            response = client.post(url, data, content_type="application/json")
        else:
            response = client.post(url, data)
        assert response.status_code in (200, 302, 400, 403), (name, response.status_code)
        assert not TrendSummaryPage.objects.filter(live=True).exists(), name
    assert not summary.revisions.filter(approved_go_live_at__isnull=False).exists()
    # Nor does scheduled publishing, a day later.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        call_command("publish_scheduled")
    assert not TrendSummaryPage.objects.filter(live=True).exists()
    assert not TrendPublication.objects.exists()


def test_the_create_view_says_why(client, cumbria, preparer):
    client.force_login(preparer)
    route = admin_publish_routes(make_trend_summary(cumbria, publish=False), cumbria)["create: publish"]
    response = client.post(route[1], route[2], follow=True)
    assert "Not published. A trend summary goes live only when a data steward" in response.content.decode()


def test_code_cannot_publish_an_unapproved_revision(summary):
    with pytest.raises(PublishPagePermissionError):
        summary.save_revision().publish()
    assert not is_live(summary)


def test_an_approved_revision_may_be_scheduled(summary, preparer):
    summary.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    summary.save_revision(user=preparer)
    trend_summary_submit(page=summary, submitted_by=preparer)
    trend_summary_approve(page=summary, approved_by=make_data_steward())
    assert not is_live(summary)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2)):
        call_command("publish_scheduled")
    assert is_live(summary)
    assert TrendPublication.objects.filter(page=summary).count() == 2


def test_an_approval_the_audit_refuses_is_sent_back(summary, preparer, monkeypatch):
    summary.save_revision(user=preparer)
    trend_summary_submit(page=summary, submitted_by=preparer)
    monkeypatch.setattr("groups.wagtail_hooks.trend_summary_check", refuse)
    trend_summary_approve(page=summary, approved_by=make_data_steward())

    assert not is_live(summary)
    state = TaskState.objects.get(workflow_state__object_id=str(summary.pk))
    assert state.status == TaskState.STATUS_REJECTED
    assert state.comment.startswith("Not published. Refused:")


def refuse(*, page):
    from groups.trends.audit import AuditRefused, AuditResult

    raise AuditRefused(AuditResult(passed=False, checked=1, failures=[]))
