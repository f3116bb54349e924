"""The publication ledger: every figure shown is recorded once and never edited; revised
figures are marked; the audit refuses, before anything goes live, a release it cannot
protect, naming the kind of figure and never a value."""

import datetime

import pytest
import time_machine

from django.core.management import call_command
from django.utils import timezone

from wagtail.test.utils.form_data import nested_form_data, rich_text

from groups.models import AppendOnlyError, TrendLedgerEntry, TrendPublication, TrendSourceVersion
from groups.trends.audit import AuditRefused
from groups.trends.quarters import reporting_quarter
from groups.trends.services import trend_summary_check
from tests.factories import (
    OrganisationFactory,
    TrendReturnFactory,
    make_data_steward,
    make_member,
    make_trend_summary,
    publish_with_approval,
    published_tables,
    trend_counts,
)

pytestmark = pytest.mark.django_db


def add_returns(group, totals, *, quarter=None):
    for total in totals:
        TrendReturnFactory(
            working_group=group,
            organisation=OrganisationFactory(),
            total=total,
            quarter=quarter or reporting_quarter(),
            counts=trend_counts(total),
        )


def test_the_ledger_cannot_be_edited_or_emptied(cumbria):
    add_returns(cumbria, [20, 20, 20])
    page = make_trend_summary(cumbria)
    publication = TrendPublication.objects.get(page=page)
    entry = publication.entries.first()

    entry.value = 1234
    with pytest.raises(AppendOnlyError):
        entry.save()
    for attempt in (
        lambda: TrendLedgerEntry.objects.update(value=5),
        lambda: TrendLedgerEntry.objects.all().delete(),
        lambda: TrendPublication.objects.filter(pk=publication.pk).update(threshold=1),
        lambda: TrendSourceVersion.objects.all().delete(),
        lambda: publication.delete(),
        lambda: entry.delete(),
    ):
        with pytest.raises(AppendOnlyError):
            attempt()
    assert TrendLedgerEntry.objects.filter(publication=publication, value=1234).count() == 0


def test_each_figure_is_recorded_once_with_its_scope(cumbria):
    add_returns(cumbria, [20, 20, 20])
    page = make_trend_summary(cumbria)
    entries = TrendLedgerEntry.objects.filter(publication__page=page)
    scopes = [(tuple(e.regions), tuple(e.quarters), e.category) for e in entries]
    assert len(scopes) == len(set(scopes))
    quarter = reporting_quarter().code
    total = entries.get(category="total", quarters=[quarter])
    assert total.regions == ["cumbria"] and total.value == 60 and not total.revised


def test_a_late_return_marks_the_figures_it_changes_revised(cumbria):
    add_returns(cumbria, [20, 20, 20])
    page = make_trend_summary(cumbria)
    add_returns(cumbria, [30])
    publish_with_approval(page)
    page.refresh_from_db()

    latest = TrendPublication.objects.get(page=page, revision=page.live_revision)
    quarter = reporting_quarter()
    assert latest.entries.get(category="total", quarters=[quarter.code]).revised
    assert not latest.entries.get(category="total", quarters=[quarter.previous().code]).revised
    assert published_tables(page)[0]["cells"][-1] == [90]
    assert latest.audit["passed"] is True


def leaky_publication(page):
    """A copy recorded before the audit existed, showing a single organisation's total."""
    publication = TrendPublication.objects.get(page=page)
    leaky = TrendPublication.objects.create(
        page=None,
        audience="members",
        region=publication.region,
        year=publication.year,
        quarter=publication.quarter,
        period_start=publication.period_start,
        period_end=publication.period_end,
        threshold=10,
        sources=publication.sources,
    )
    TrendLedgerEntry.objects.create(
        publication=leaky, regions=["cumbria"], quarters=[reporting_quarter().code], category="total", value=35
    )


def test_the_audit_refuses_what_no_protection_can_save_and_names_no_value(cumbria):
    add_returns(cumbria, [37])  # one organisation: hidden (dominance) ...
    page = make_trend_summary(cumbria)
    assert published_tables(page)[0]["cells"][-1] == ["[c]"]
    leaky_publication(page)  # ... but shown once before the audit

    with pytest.raises(AuditRefused) as refusal:
        trend_summary_check(page=page)
    result = refusal.value.result
    quarter = reporting_quarter().code
    assert f"the total for cumbria, {quarter}" in {failure.description for failure in result.failures}
    explanation = result.explanation()
    assert explanation.startswith("Refused:") and "cumbria" in explanation
    assert "35" not in explanation and "37" not in explanation


def test_a_refused_release_never_goes_live_from_the_admin(client, cumbria):
    add_returns(cumbria, [37])
    page = make_trend_summary(cumbria, narrative=rich_text("<p>First.</p>"))
    leaky_publication(page)
    live_revision = page.live_revision_id
    client.force_login(make_member(cumbria, role="coordinator"))

    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "year": page.year,
            "quarter": page.quarter,
            "narrative": rich_text("<p>Second.</p>"),
            "action-submit": "1",
        }
    )
    assert client.post(f"/admin/pages/{page.pk}/edit/", data).status_code == 302
    task_state = page.specific.current_workflow_task_state
    # The steward sees the refusal before approving; approving anyway sends it back.
    client.force_login(make_data_steward())
    assert "The audit refuses this release." in client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    client.post(f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/")

    task_state.refresh_from_db()
    assert task_state.status == "rejected" and task_state.comment.startswith("Not published. Refused:")
    page.refresh_from_db()
    assert page.live_revision_id == live_revision
    assert TrendPublication.objects.filter(page=page).count() == 1


def test_scheduled_publishing_withholds_every_figure_the_audit_refuses(cumbria):
    add_returns(cumbria, [37])
    page = make_trend_summary(cumbria)
    page.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    publish_with_approval(page)  # approved, to go live in an hour
    leaky_publication(page)  # meanwhile, something makes the audit refuse

    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2)):
        call_command("publish_scheduled")  # no admin hook runs
    page.refresh_from_db()

    latest = TrendPublication.objects.get(page=page, revision=page.live_revision)
    assert latest.audit["passed"] is False
    assert not latest.entries.exclude(value=None).exists()


def test_the_preview_says_when_the_audit_would_refuse(cumbria, admin_user):
    add_returns(cumbria, [37])
    page = make_trend_summary(cumbria)
    leaky_publication(page)

    response = page.make_preview_request(extra_request_attrs={"user": admin_user})

    body = response.rendered_content if hasattr(response, "rendered_content") else response.content.decode()
    assert "cannot be published as it stands" in body and "Refused:" in body
    assert ">35<" not in body and ">37<" not in body


def test_a_copy_recorded_without_its_sources_still_counts_in_the_audit(cumbria):
    """Snapshots moved into the ledger by the migration kept no sources: their figures
    still bound the intruder, as figures of returns that may have changed since."""
    from groups.trends.selectors import ledger_publication

    add_returns(cumbria, [20, 20, 20])
    page = make_trend_summary(cumbria)
    publication = TrendPublication.objects.get(page=page)
    legacy = TrendPublication.objects.create(
        audience="members",
        region="cumbria",
        year=publication.year,
        quarter=publication.quarter,
        period_start=publication.period_start,
        period_end=publication.period_end,
        threshold=10,
    )
    quarter = reporting_quarter().code
    TrendLedgerEntry.objects.create(
        publication=legacy, regions=["cumbria"], quarters=[quarter], category="total", value=60
    )

    read = ledger_publication(legacy)

    assert read.sources[("cumbria", quarter)].startswith("unrecorded")
    assert list(read.figures.values()) == [60]
    assert trend_summary_check(page=page).passed
