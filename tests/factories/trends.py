"""Trend returns and trend summaries."""

import factory

from tests.factories.members import OrganisationFactory, make_member


class TrendReturnFactory(factory.django.DjangoModelFactory):
    """A trend return made through `trend_return_submit` (so versions and counts are right).

    By default the organisation is given a member in the group, the quarter is the
    reporting quarter and the counts are a plausible split of `total`; pass `counts`
    to choose them.
    """

    class Meta:
        model = "groups.TrendReturn"

    working_group = None  # required: TrendReturnFactory(working_group=cumbria, ...)
    organisation = factory.SubFactory(OrganisationFactory)
    total = 12
    quarter = None  # a groups.trends.quarters.Quarter; the reporting quarter when None
    counts = None
    note = ""
    submitted_by = None
    seed = factory.Sequence(lambda n: n)

    @classmethod
    def _create(cls, model_class, *, working_group, organisation, total, quarter, counts, note, submitted_by, seed):
        import random

        from groups.models import Membership
        from groups.trends.quarters import reporting_quarter
        from groups.trends.services import trend_counts_sample, trend_return_submit

        if submitted_by is None:
            membership = Membership.objects.filter(
                working_group=working_group, organisation=organisation, status="active"
            ).first()
            submitted_by = membership.user if membership else make_member(working_group, organisation=organisation)
        return trend_return_submit(
            group=working_group,
            organisation=organisation,
            submitted_by=submitted_by,
            quarter=quarter or reporting_quarter(),
            total=total,
            counts=counts if counts is not None else trend_counts_sample(total=total, rng=random.Random(seed)),
            note=note,
        )


def trend_counts(total, **given):
    """Counts for a return of `total`: the `given` ones, and every partition breakdown
    not mentioned put wholly in its last ("not known") category."""
    from groups.trends.categories import BREAKDOWNS

    counts = dict(given)
    for breakdown in BREAKDOWNS:
        if breakdown.partition and not any(key in given for key in breakdown.keys):
            counts[breakdown.keys[-1]] = total
    return counts


def add_trend_return(group, total, *, organisation=None, **given):
    """A return of `total` children to `group`, from a new organisation unless told, with
    the `given` counts (the rest as `trend_counts` puts them)."""
    return TrendReturnFactory(
        working_group=group,
        organisation=organisation or OrganisationFactory(),
        total=total,
        counts=trend_counts(total, **given),
    )


def leak_a_single_organisations_total(group, quarter):
    """A copy recorded before the audit existed, showing one organisation's total (37) to
    within 2: the audit then refuses any release of `group`'s `quarter`."""
    from groups.models import TrendLedgerEntry, TrendPublication
    from groups.trends.selectors import SummaryScope, summary_sources

    data = summary_sources(SummaryScope(group=group, quarter=quarter))
    leaky = TrendPublication.objects.create(
        audience="members",
        region=group.region,
        year=quarter.year,
        quarter=quarter.number,
        period_start=quarter.start,
        period_end=quarter.end,
        threshold=10,
        sources={f"{group.region} {quarter.code}": data.blocks[(group.region, quarter.code)]},
    )
    TrendLedgerEntry.objects.create(
        publication=leaky, regions=[group.region], quarters=[quarter.code], category="total", value=35
    )


def make_trend_summary(parent, *, quarter=None, publish=True, **fields):
    """A trend summary page under `parent` (a working group's page, or the members' area for
    an all-regions summary), published through a revision unless told, so its figures are
    fixed as they would be in the admin. The quarter defaults to the reporting quarter."""
    from groups.models import AllRegionsTrendSummaryPage, MembersAreaIndexPage, TrendSummaryPage
    from groups.trends.quarters import reporting_quarter

    quarter = quarter or reporting_quarter()
    model = AllRegionsTrendSummaryPage if isinstance(parent.specific, MembersAreaIndexPage) else TrendSummaryPage
    page = parent.add_child(instance=model(year=quarter.year, quarter=quarter.number, live=False, **fields))
    if publish:
        publish_with_approval(page)
    return page


def publish_with_approval(page, *, submitted_by=None, approved_by=None):
    """Publish `page`'s changes as the site does: a new revision submitted for approval (by
    an administrator unless told) and approved by a data steward of another organisation."""
    from groups.trends.services import trend_summary_approve, trend_summary_submit
    from tests.factories.members import make_data_steward
    from tests.factories.users import make_administrator

    submitted_by = submitted_by or make_administrator()
    page.save_revision(user=submitted_by)
    trend_summary_submit(page=page, submitted_by=submitted_by)
    trend_summary_approve(page=page, approved_by=approved_by or make_data_steward())
    page.refresh_from_db()
    return page


def published_tables(page, *, audience="members"):
    """The tables a published summary shows (as `figures.summary_data` builds them), read
    from the ledger entries of the publication of `page`'s live revision for `audience`."""
    from groups.models import TrendPublication
    from groups.trends.selectors import publication_data

    publication = TrendPublication.objects.get(page=page, revision=page.live_revision, audience=audience)
    return publication_data(publication)["tables"]


def import_rows_filled(rows, total=3):
    """An import template's rows (header first) filled in: `total` children each, all in
    each partition breakdown's first category."""
    from groups.trends.categories import BREAKDOWNS
    from groups.trends.imports import HEADERS

    header = rows[0]
    out = [header]
    for row in rows[1:]:
        row = list(row)
        row[header.index("Children and young people identified")] = str(total)
        for breakdown in BREAKDOWNS:
            if breakdown.partition:
                row[header.index(HEADERS[breakdown.keys[0]])] = str(total)
        out.append(row)
    return out
