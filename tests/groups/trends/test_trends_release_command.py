"""`manage.py trends_release`: a quarter's release (every regional summary and the
all-regions one) prepared, audited as one whole and published together through both keys,
or a revision of it after a late return; and refused, naming no figure and publishing
nothing, whenever the approval workflow would refuse."""

import io
import re

import pytest

from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from wagtail.models import TaskState, WorkflowState

from groups.models import AllRegionsTrendSummaryPage, TrendPublication, TrendSummaryPage
from groups.trends.quarters import reporting_quarter
from portal.models import OutboundEmail
from tests.factories import (
    OrganisationFactory,
    add_trend_return,
    leak_a_single_organisations_total,
    make_administrator,
    make_data_steward,
    make_member,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("short_trend")]


@pytest.fixture
def preparer():
    return make_administrator()


@pytest.fixture
def steward():
    return make_data_steward()


def release(quarter, preparer, approver, *extra):
    out = io.StringIO()
    options = ["--prepared-by", preparer.email, "--approved-by", approver.email]
    call_command("trends_release", quarter.code, *extra, *options, stdout=out)
    return out.getvalue()


def release_pages(quarter):
    regional = list(TrendSummaryPage.objects.filter(year=quarter.year, quarter=quarter.number).order_by("pk"))
    everywhere = list(AllRegionsTrendSummaryPage.objects.filter(year=quarter.year, quarter=quarter.number))
    return regional + everywhere


def entry(page, category="total", *, audience="members", quarter=None):
    quarter = quarter or reporting_quarter()
    publication = TrendPublication.objects.get(page=page, revision_id=page.live_revision_id, audience=audience)
    return publication.entries.get(category=category, quarters=[quarter.code])


def test_the_command_publishes_all_five_tables_together_with_both_keys(
    regional_returns, preparer, steward, django_capture_on_commit_callbacks
):
    quarter = reporting_quarter()

    with django_capture_on_commit_callbacks(execute=True):
        out = release(quarter, preparer, steward, "--public")

    pages = release_pages(quarter)
    assert len(pages) == 5 and all(page.live for page in pages)
    assert "The release for" in out and "5 summaries to members, 4 of them to the public too" in out
    for page in pages:
        copies = TrendPublication.objects.filter(page=page)
        expected = ["members"] if isinstance(page, AllRegionsTrendSummaryPage) else ["members", "public"]
        assert sorted(copies.values_list("audience", flat=True)) == expected
        assert {copy.revision_id for copy in copies} == {page.live_revision_id}
        # Both keys, recorded by the workflow: submitted by the preparer, approved by the steward.
        state = WorkflowState.objects.for_instance(page).get()
        assert state.status == WorkflowState.STATUS_APPROVED and state.requested_by == preparer
        task = TaskState.objects.get(workflow_state=state)
        assert task.status == TaskState.STATUS_APPROVED and task.finished_by == steward
        assert task.revision_id == page.live_revision_id
    # One protection and one audit for the whole release, recorded with every copy.
    audits = {str(copy.audit) for copy in TrendPublication.objects.all()}
    assert len(audits) == 1 and TrendPublication.objects.first().audit["passed"] is True
    # Nobody is asked by email to review what is already approved.
    assert not OutboundEmail.objects.exists()
    everywhere = pages[-1]
    assert entry(everywhere).value == 240
    assert entry(pages[0]).value == 60


def test_a_late_return_goes_into_a_revision_of_the_release_marked_revised(client, regional_returns, preparer, steward):
    quarter = reporting_quarter()
    release(quarter, preparer, steward)
    cumbria = TrendSummaryPage.objects.child_of(regional_returns[0]).get(year=quarter.year, quarter=quarter.number)
    first = cumbria.live_revision_id
    add_trend_return(regional_returns[0], 30)  # a late return in Cumbria

    out = release(quarter, preparer, steward)

    assert out.startswith("A revision of the release")
    pages = release_pages(quarter)
    assert len(pages) == 5  # the same pages, each with a new revision
    cumbria.refresh_from_db()
    assert cumbria.live_revision_id != first
    # Both keys again, on the revision that went live.
    approval = TaskState.objects.filter(workflow_state__object_id=str(cumbria.pk)).order_by("-pk").first()
    assert approval.revision_id == cumbria.live_revision_id and approval.finished_by == steward
    assert (entry(cumbria).value, entry(cumbria).revised) == (90, True)
    assert entry(pages[-1]).revised and entry(pages[-1]).value == 270
    yorkshire = next(page for page in pages if page.get_parent().specific.region == "yorkshire")
    assert (entry(yorkshire).value, entry(yorkshire).revised) == (60, False)
    # Earlier copies stay in the ledger: what was published stays known.
    assert TrendPublication.objects.filter(page=cumbria, audience="members").count() == 2
    # The page says so: the revised total is marked, and its notes give the revision policy.
    client.force_login(make_member(regional_returns[0]))
    body = client.get(cumbria.url).content.decode()
    assert '<abbr title="Revised">[r]</abbr>' in body
    assert "released together and protected as one. A late return or a correction is published in a revision" in body


@pytest.mark.parametrize(
    "case",
    ["member prepares", "coordinator of one group", "approver not a steward", "same organisation", "audit refuses"],
)
def test_what_the_workflow_refuses_the_command_refuses(regional_groups, preparer, steward, case):
    quarter = reporting_quarter()
    charity = OrganisationFactory(name="Coordinating charity")
    for group in regional_groups[1:]:
        add_trend_return(group, 20)
        add_trend_return(group, 20)
    approver = steward
    if case != "audit refuses":
        add_trend_return(regional_groups[0], 20)
        add_trend_return(regional_groups[0], 20)
    if case == "member prepares":
        preparer = make_member(regional_groups[0], organisation=charity)
    elif case == "coordinator of one group":
        preparer = make_member(regional_groups[0], role="coordinator", organisation=charity)
    elif case == "approver not a steward":
        approver = make_member(regional_groups[1], role="coordinator")
    elif case == "same organisation":
        preparer.email = f"preparer@{charity.domains[0]}"
        preparer.save()
        approver = make_data_steward(organisation=charity)
    else:
        add_trend_return(regional_groups[0], 37, organisation=charity)  # one organisation's quarter in Cumbria ...
        leak_a_single_organisations_total(regional_groups[0], quarter)  # ... shown once before the audit

    with pytest.raises(CommandError) as refusal:
        release(quarter, preparer, approver)

    message = str(refusal.value)
    assert message.startswith("Nothing was published.")
    expected = {
        "member prepares": "cannot prepare this release",
        "coordinator of one group": "only administrators the all-regions one",
        "approver not a steward": "Only a data steward can approve",
        "same organisation": "are both from Coordinating charity",
        "audit refuses": "Refused: these could be worked out",
    }[case]
    assert expected in message
    assert not re.search(r"\b(35|37|40)\b", message)
    # Nothing published, nothing recorded, nobody's approval left waiting.
    assert not TrendSummaryPage.objects.filter(live=True).exists()
    assert not AllRegionsTrendSummaryPage.objects.filter(live=True).exists()
    assert TrendPublication.objects.filter(page__isnull=False).count() == 0
    assert not WorkflowState.objects.exists()


def test_a_steward_who_is_also_the_preparer_is_refused(regional_returns, steward):
    preparer = make_administrator()
    preparer.groups.add(Group.objects.get(name="Data stewards"))
    with pytest.raises(CommandError, match="another data steward must approve it"):
        release(reporting_quarter(), preparer, preparer)
    assert not TrendPublication.objects.exists()


def test_a_quarter_is_written_as_on_the_return_form(regional_returns, preparer, steward):
    with pytest.raises(CommandError, match="is not a quarter: write it as 2026-Q2"):
        call_command("trends_release", "Q2 2026", "--prepared-by", preparer.email, "--approved-by", steward.email)


def test_a_quarter_that_has_not_ended_is_refused(regional_returns, preparer, steward):
    with pytest.raises(CommandError, match="has not ended yet"):
        release(reporting_quarter().next(), preparer, steward)
    assert not TrendSummaryPage.objects.exists() and not TrendPublication.objects.exists()
