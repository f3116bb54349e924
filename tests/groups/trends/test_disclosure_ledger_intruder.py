"""The ledger against an intruder: after each sequence of releases and revisions, an
intruder written apart from the production audit (`tests.disclosure_attacker.ledger_attack`,
another formulation of the same knowledge) attacks everything ever published, for members
and for the public, and narrows no small figure, no single organisation's figure and no
small change between revisions to a range narrower than the threshold."""

import random

import pytest

from groups.trends.audit import AuditRefused
from tests.disclosure_attacker import World

REGIONS = ("cumbria", "durham", "yorkshire")
Q1, Q2, Q3, Q4 = "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"
REGIONAL = [{"cumbria"}, {"durham"}, {"yorkshire"}]
EVERYTHING = [*REGIONAL, "all"]


def returns(world, quarter, *, seed, organisations=(3, 2, 4)):
    """Made-up returns with small cells: a few organisations per region, 0 to 14 boys or girls."""
    rng = random.Random(seed)
    for region, count in zip(REGIONS, organisations, strict=True):
        for n in range(count):
            boys, girls = rng.choice([0, 1, 2, 5, 8, 14]), rng.choice([0, 3, 6, 11])
            world.submit(f"{region}-{n}", region, quarter, boys=boys, girls=girls, police=min(boys, 4))


def test_the_intruder_finds_a_small_count_left_open():
    """The intruder is not blind: a copy showing a region's total and all but one small
    category gives that category away (to within the rounding)."""
    from groups.trends.audit import Publication, Scope

    world = World(regions=REGIONS)
    world.submit("a", "cumbria", Q1, boys=8, girls=3)
    world.submit("b", "cumbria", Q1, boys=7, girls=2)
    sources = {("cumbria", Q1): world.source("cumbria", Q1)}
    figures = {
        Scope.of(["cumbria"], [Q1]): 20,
        Scope.of(["cumbria"], [Q1], "boys"): 15,
        Scope.of(["cumbria"], [Q1], "girls"): None,
        Scope.of(["cumbria"], [Q1], "other"): 0,
    }
    world.ledger.append(Publication("members", 10, sources, figures))

    _, narrowed = world.attack()

    assert [(view, low, high) for view, description, low, high, _ in narrowed] == [("members", 1, 9)]


def assert_nothing_narrowed(world):
    attacked, narrowed = world.attack()
    assert attacked > 0  # there was something to protect
    assert narrowed == []
    return attacked


@pytest.mark.parametrize("seed", [2])
def test_a_late_return_then_a_revision(seed):
    world = World(regions=REGIONS)
    returns(world, Q1, seed=seed)
    world.release(EVERYTHING, quarter=Q1)
    world.submit("late", "durham", Q1, boys=3, girls=1, police=2)
    world.release(EVERYTHING, quarter=Q1)
    assert_nothing_narrowed(world)


def test_a_correction_then_a_revision():
    world = World(regions=REGIONS)
    returns(world, Q1, seed=3)
    world.release(EVERYTHING, quarter=Q1)
    world.submit("cumbria-0", "cumbria", Q1, boys=16, girls=6, police=4)  # was different
    world.release(EVERYTHING, quarter=Q1)
    assert_nothing_narrowed(world)


@pytest.mark.parametrize("order", ["before", "between", "after"])
def test_the_all_regions_table_before_between_and_after_the_regional_ones(order):
    world = World(regions=REGIONS)
    returns(world, Q1, seed=4)
    sequence = {
        "before": [["all"], REGIONAL],
        "between": [REGIONAL[:1], ["all"], REGIONAL[1:]],
        "after": [REGIONAL, ["all"]],
    }[order]
    for tables in sequence:
        world.release(tables, quarter=Q1)
    assert_nothing_narrowed(world)


def test_a_members_threshold_of_5_with_a_public_one_of_10():
    world = World(regions=REGIONS, members=5, public=10)
    returns(world, Q1, seed=5)
    world.release(EVERYTHING, quarter=Q1, audiences=("members", "public"))
    assert_nothing_narrowed(world)


def test_the_public_copy_added_withdrawn_and_added_again():
    world = World(regions=REGIONS)
    returns(world, Q1, seed=6)
    world.release(EVERYTHING, quarter=Q1)
    world.release(EVERYTHING, quarter=Q1, audiences=("members", "public"))
    world.submit("late", "cumbria", Q1, boys=2, girls=0)
    world.release(EVERYTHING, quarter=Q1)  # the public copy withdrawn, after a late return
    world.release(EVERYTHING, quarter=Q1, audiences=("members", "public"))
    assert_nothing_narrowed(world)


def test_three_quarters_then_the_whole_year():
    world = World(regions=REGIONS)
    for number, quarter in enumerate((Q1, Q2, Q3, Q4)):
        returns(world, quarter, seed=10 + number)
    for quarter in (Q1, Q2, Q3):
        world.release(EVERYTHING, quarter=quarter)
    world.release(EVERYTHING, quarter=(Q1, Q2, Q3, Q4))
    assert_nothing_narrowed(world)


def test_overlapping_trend_windows():
    world = World(regions=REGIONS)
    for number, quarter in enumerate((Q1, Q2, Q3)):
        returns(world, quarter, seed=20 + number)
    world.release(EVERYTHING, quarter=Q2, trend=(Q1,))
    world.submit("late", "yorkshire", Q2, boys=4, girls=0)
    world.release(EVERYTHING, quarter=Q3, trend=(Q1, Q2))
    assert_nothing_narrowed(world)


def test_one_organisation_dominating_a_cell():
    world = World(regions=REGIONS)
    returns(world, Q1, seed=7)
    world.submit("big", "cumbria", Q1, boys=40, girls=3, police=4)
    world.release(EVERYTHING, quarter=Q1)
    assert_nothing_narrowed(world)
    shown = {
        scope: value
        for publication in world.ledger
        for scope, value in publication.figures.items()
        if scope.regions == {"cumbria"} and scope.category == "boys"
    }
    assert list(shown.values()) == [None]  # one organisation's 40 of the region's boys' count


def test_a_one_case_category():
    world = World(regions=REGIONS)
    returns(world, Q1, seed=8)
    world.submit("one", "yorkshire", Q1, boys=0, girls=12, police=1)
    world.submit("two", "yorkshire", Q1, boys=0, girls=15, police=0)
    world.release(EVERYTHING, quarter=Q1)
    assert_nothing_narrowed(world)


def test_a_small_region():
    world = World(regions=REGIONS)
    returns(world, Q1, seed=9, organisations=(1, 2, 6))
    world.release(EVERYTHING, quarter=Q1, audiences=("members", "public"))
    assert_nothing_narrowed(world)


def test_a_release_the_ledger_already_gives_away_is_refused_naming_no_value():
    """A figure shown before the audit existed (one organisation's count) cannot be saved by
    hiding anything new: the release is refused, saying which kind of figure."""
    world = World(regions=REGIONS)
    world.submit("only", "cumbria", Q1, boys=37, girls=0)
    returns(world, Q2, seed=1)
    protected = world.release([{"cumbria"}], quarter=Q1)
    publication = protected.publications[0]
    leaked = {
        scope: 35 if scope.category in ("boys", "total") else value for scope, value in publication.figures.items()
    }
    world.ledger[-1] = type(publication)(publication.audience, 10, publication.sources, leaked)

    with pytest.raises(AuditRefused) as refusal:
        world.release([{"cumbria"}, "all"], quarter=Q1)

    explanation = refusal.value.result.explanation()
    assert "cumbria" in explanation and "2025-Q1" in explanation
    assert "35" not in explanation and "37" not in explanation


def test_a_200_organisation_release_keeps_what_matters():
    """Utility: a generated release of 200 organisations over four regions (the trend's
    quarters too) shows every all-regions quarterly total, every regional quarterly total
    of 10 or more, and at least 80 % of the figures at or above the threshold."""
    from groups.models import Region
    from groups.trends.audit import TOTAL, default_structure
    from groups.trends.services import trend_counts_sample

    structure = default_structure(Region.values)
    regions = sorted(Region.values)
    world = World(regions=regions, partitions=structure.partitions, at_most=structure.at_most_total)
    rng = random.Random(200)
    quarters = ("2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2")
    for organisation in range(200):
        region = regions[organisation % len(regions)]
        for quarter in quarters:
            total = rng.choice([0, 0, 1, 2, 3, 5, 8, 13, 21])
            world.submit(f"org-{organisation}", region, quarter, **trend_counts_sample(total=total, rng=rng))

    protected = world.release(
        [{region} for region in regions] + ["all"],
        quarter=quarters[-1],
        trend=quarters[:-1],
        audiences=("members", "public"),
    )

    assert min(protected.information_kept) >= 0.8
    for publication in protected.publications:
        for scope, shown in publication.figures.items():
            if scope.category != TOTAL:
                continue
            true = sum(world.sources[publication.sources[block]].counts[TOTAL] for block in scope.blocks())
            if scope.regions == set(regions) or true >= 10:
                assert shown is not None, scope
