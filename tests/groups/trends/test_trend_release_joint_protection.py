"""A quarter's release is protected as one whole: the tables of every region and of all
regions are one candidate for the suppression optimiser and one audit, not five in turn.
Published one page at a time, in either order, the same tables need more hidden figures;
and what the release recorded withstands the tests' own intruder
(`tests.disclosure_attacker.ledger_attack`), for members and for the public."""

import io
import random

import pytest

from django.core.management import call_command
from django.db import transaction

from groups.models import AllRegionsTrendSummaryPage, Region, TrendLedgerEntry, TrendSourceVersion, TrendSummaryPage
from groups.trends.quarters import Quarter
from groups.trends.selectors import ledger_publications, trend_quarters, trend_structure
from groups.trends.services import trend_counts_sample
from tests.disclosure_attacker import ledger_attack
from tests.factories import (
    OrganisationFactory,
    TrendReturnFactory,
    WorkingGroupPageFactory,
    make_administrator,
    make_data_steward,
    make_trend_summary,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("short_trend")]

# Two ended quarters: the release's and the one before it (the trend, two quarters long).
EARLIER, QUARTER = Quarter(2026, 2), Quarter(2026, 3)


@pytest.fixture
def groups(members_area):
    """A working group per region, by name (the order the release takes them in)."""
    return [WorkingGroupPageFactory(parent=members_area, region=region) for region in sorted(Region.values)]


@pytest.fixture
def returns(groups):
    """Three organisations per region, each with made-up returns for both quarters (0 to
    18 children, split as real returns are, so there are small cells everywhere). The
    seed is one for which the order of the tables matters."""
    rng = random.Random(8)
    for group in groups:
        for _ in range(3):
            organisation = OrganisationFactory()
            for quarter in (EARLIER, QUARTER):
                total = rng.choice([0, 2, 4, 7, 12, 18])
                TrendReturnFactory(
                    working_group=group,
                    organisation=organisation,
                    quarter=quarter,
                    total=total,
                    counts=trend_counts_sample(total=total, rng=rng),
                )
    return groups


def hidden_in_the_release():
    """How many figures the quarter's members' copies hide, over all five tables."""
    return TrendLedgerEntry.objects.filter(
        publication__audience="members", publication__page__isnull=False, value=None
    ).count()


def one_page_at_a_time(groups, area, *, all_regions_first):
    """Publish the five summaries one by one (each audited against those before it), count
    what they hide, and undo it all."""
    with transaction.atomic():
        parents = [*groups, area]
        for parent in parents[::-1] if all_regions_first else parents:
            make_trend_summary(parent, quarter=QUARTER)
        hidden = hidden_in_the_release()
        transaction.set_rollback(True)
    return hidden


def attack_the_ledger():
    """(figures attacked, figures narrowed) by the tests' intruder, for members and the public."""
    _, copies, _ = ledger_publications(trend_quarters(QUARTER))
    truth = {
        version.key: {**version.counts, "organisations": version.organisations}
        for version in TrendSourceVersion.objects.all()
    }
    structure = trend_structure()
    attacked, narrowed = 0, []
    for view in ("members", "public"):
        count, found = ledger_attack(
            copies, truth, partitions=structure.partitions, at_most=structure.at_most_total, view=view
        )
        attacked += count
        narrowed += found
    return attacked, narrowed


def test_one_release_hides_less_than_the_same_tables_one_at_a_time_and_withstands_the_intruder(returns, members_area):
    regions_first = one_page_at_a_time(returns, members_area, all_regions_first=False)
    all_regions_first = one_page_at_a_time(returns, members_area, all_regions_first=True)
    assert not TrendSummaryPage.objects.filter(live=True).exists()

    call_command(
        "trends_release",
        QUARTER.code,
        "--public",
        "--prepared-by",
        make_administrator().email,
        "--approved-by",
        make_data_steward().email,
        stdout=io.StringIO(),
    )

    assert TrendSummaryPage.objects.filter(live=True).count() == 4
    assert AllRegionsTrendSummaryPage.objects.filter(live=True).count() == 1
    together = hidden_in_the_release()
    assert together < regions_first
    assert together < all_regions_first
    attacked, narrowed = attack_the_ledger()
    assert attacked > 0  # there were small figures to protect
    assert narrowed == []
