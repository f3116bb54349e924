"""D03: dominance (no figure from a single organisation) and differencing (no small count
recovered by subtracting a new figure from one published earlier over a nested set).

The intruder here holds every table published so far and solves, by linear programming
over the source units (region x category, or age band x quarter), the range of every
hidden small figure and of every difference between nested figures.
"""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from groups.trends.disclosure import SUPPRESSED, Axis, Table, protect, scope_within
from tests.disclosure_attacker import World, atoms_of, counts, joint_intervals, tables
from tests.hypothesis_profiles import scaled

REGIONS = ("cumbria", "durham", "yorkshire")
CATEGORIES = ("social", "gaming", "messaging", "other")
QUARTERS = ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4")


def grids(n_rows, n_columns):
    return st.lists(st.lists(counts, min_size=n_columns, max_size=n_columns), min_size=n_rows, max_size=n_rows)


def true_value(scope, dimensions, data):
    return sum(data[unit] for unit in atoms_of(scope, dimensions))


def assert_nothing_small_can_be_pinned(publications, dimensions, data, threshold=10):
    """No two published nested figures differ by a small count, and every hidden small
    figure keeps a range at least `threshold` wide for an intruder holding all publications."""
    records = [record for published in publications for record in published.records]
    for new in publications[-1].records:
        for old in records:
            if new.published is None or old.published is None:
                continue
            inner, outer = (new, old) if scope_within(new.scope, old.scope) else (old, new)
            if scope_within(inner.scope, outer.scope):
                difference = true_value(outer.scope, dimensions, data) - true_value(inner.scope, dimensions, data)
                assert not 1 <= difference < threshold, (new.source, old.source)
    targets = [
        atoms_of(record.scope, dimensions)
        for record in records
        if record.published is None and 1 <= true_value(record.scope, dimensions, data) < threshold
    ]
    intervals = joint_intervals(records, dimensions, targets, threshold=threshold)
    for target, (low, high) in zip(targets, intervals, strict=True):
        assert high - low >= threshold, (sorted(target), low, high)


@settings(max_examples=scaled(0.5))
@given(grid=grids(len(CATEGORIES), len(REGIONS)))
def test_a_region_then_all_regions_cannot_be_subtracted(grid):
    dimensions = {"category": CATEGORIES, "region": REGIONS}
    data = {(c, r): grid[i][j] for i, c in enumerate(CATEGORIES) for j, r in enumerate(REGIONS)}
    rows = Axis("category", CATEGORIES)
    region = protect(
        Table(rows=rows, counts=[[row[0]] for row in grid], scope={"region": ["cumbria"]}, title="Cumbria")
    )
    all_regions = protect(
        Table(rows=rows, columns=Axis("region", REGIONS), counts=grid, title="All regions"),
        earlier=region.records,
    )

    assert_nothing_small_can_be_pinned([region, all_regions], dimensions, data)


@settings(max_examples=scaled(0.5))
@given(grid=grids(3, len(QUARTERS)))
def test_three_quarters_then_the_year_cannot_be_subtracted(grid):
    bands = ("11_12", "13_15", "16_17")
    dimensions = {"age_band": bands, "quarter": QUARTERS}
    data = {(b, q): grid[i][j] for i, b in enumerate(bands) for j, q in enumerate(QUARTERS)}
    rows = Axis("age_band", bands)
    first = protect(
        Table(rows=rows, columns=Axis("quarter", QUARTERS[:3], complete=False), counts=[r[:3] for r in grid])
    )
    year = protect(
        Table(rows=rows, columns=Axis("quarter", QUARTERS, complete=False), counts=grid), earlier=first.records
    )

    assert_nothing_small_can_be_pinned([first, year], dimensions, data)


@given(q3=grids(3, 1), q2=grids(3, 1))
def test_a_quarter_then_a_half_year_that_contains_it_cannot_be_subtracted(q3, q2):
    bands = ("11_12", "13_15", "16_17")
    rows = Axis("age_band", bands)
    quarter = protect(Table(rows=rows, counts=q3, scope={"quarter": ["2025-Q3"]}))
    half = protect(
        Table(
            rows=rows,
            counts=[[a[0] + b[0]] for a, b in zip(q2, q3, strict=True)],
            scope={"quarter": ["2025-Q2", "2025-Q3"]},
        ),
        earlier=quarter.records,
    )

    for new in half.records:
        for old in quarter.records:
            if new.published is not None and old.published is not None and scope_within(old.scope, new.scope):
                assert not 1 <= new.value - old.value < 10


@settings(max_examples=scaled(2))
@given(table=tables(organisations=True))
def test_no_published_figure_draws_on_a_single_organisation(table):
    published = protect(table)
    for i, row in enumerate(published.cells):
        for j, value in enumerate(row):
            if value not in (SUPPRESSED, 0):
                assert table.organisations[i][j] >= 2


def test_a_large_count_from_one_organisation_is_hidden():
    table = Table(
        rows=Axis("platform", ("social", "gaming", "messaging"), ("Social media", "Gaming platform", "Messaging app")),
        counts=[[40], [25], [30]],
        organisations=[[3], [1], [2]],
        total_organisations={"grand": 3},
    )

    published = protect(table)

    assert published.cells == [[40], [SUPPRESSED], [SUPPRESSED]]
    assert published.column_totals == [95]
    assert [(f.rule, f.label) for f in published.report] == [
        ("dominance", "Gaming platform"),
        ("secondary", "Messaging app"),
    ]


def test_a_figure_hidden_earlier_stays_hidden_when_it_appears_again():
    earlier = protect(Table(rows=Axis("gender", ("boys", "girls")), counts=[[4], [30]], scope={"region": ["cumbria"]}))
    assert earlier.cells == [[SUPPRESSED], [SUPPRESSED]]

    later = protect(
        Table(
            rows=Axis("gender", ("boys", "girls")),
            columns=Axis("region", ("cumbria", "durham")),
            counts=[[4, 20], [30, 25]],
        ),
        earlier=earlier.records,
    )

    assert later.cells[1][0] == SUPPRESSED  # girls in Cumbria: a complement in the earlier table
    assert any(f.rule == "differencing" and f.label == "girls, cumbria" for f in later.report)


def test_a_new_total_that_differs_from_an_earlier_one_by_a_small_count_is_hidden():
    rows = Axis("gender", ("boys", "girls"))
    first_half = protect(Table(rows=rows, counts=[[20], [30]], scope={"quarter": ["Q1", "Q2"]}))
    three_quarters = protect(
        Table(rows=rows, counts=[[23], [45]], scope={"quarter": ["Q1", "Q2", "Q3"]}), earlier=first_half.records
    )

    # Boys went from 20 to 23: publishing 25 beside the earlier 20 would show Q3 held about 3.
    assert three_quarters.cells[0] == [SUPPRESSED]
    assert any(f.rule == "differencing" and f.label == "boys" for f in three_quarters.report)


def test_without_the_earlier_true_values_the_rounding_range_is_assumed():
    rows = Axis("gender", ("boys", "girls"))
    first = protect(Table(rows=rows, counts=[[40], [30]], scope={"quarter": ["Q1"]}))
    stored = [record.to_dict() for record in first.records]  # what a snapshot keeps: no true values
    assert all("value" not in record for record in stored)

    # 51 boys now: the earlier 40 may have been 38..42, so Q2 may be 9..13: hidden to be safe.
    later = protect(Table(rows=rows, counts=[[51], [60]], scope={"quarter": ["Q1", "Q2"]}), earlier=stored)

    assert later.cells[0] == [SUPPRESSED]


def release_quarters_then_the_year(grid):
    """Through the ledger: each of three quarters' age bands released, then the whole year,
    each release protected by the production code against everything before it. Each
    count is split between two organisations, so only small counts are sensitive."""
    bands = ("11_12", "13_15", "16_17")
    world = World(regions=("r",), partitions=(bands,), at_most=())
    for j, quarter in enumerate(QUARTERS):
        first = {band: (grid[i][j] + 1) // 2 for i, band in enumerate(bands)}
        second = {band: grid[i][j] // 2 for i, band in enumerate(bands)}
        world.submit("a", "r", quarter, **first)
        world.submit("b", "r", quarter, **second)
    for quarter in QUARTERS[:3]:
        world.release([{"r"}], quarter=quarter)
    world.release([{"r"}], quarter=tuple(QUARTERS))
    return world


@settings(max_examples=scaled(0.2))
@given(grid=grids(3, len(QUARTERS)))
@example(grid=[[0, 0, 0, 10], [9, 0, 0, 1], [9, 0, 0, 1]])  # a hidden cell narrowed to [6, 12] by the rule engine
@example(grid=[[0, 0, 0, 10], [5, 0, 0, 5], [8, 0, 0, 2]])
def test_three_quarterly_tables_then_the_year_cannot_be_subtracted(grid):
    world = release_quarters_then_the_year(grid)

    # Every small cell of every quarter (the fourth never released alone) and every small
    # figure keeps a range at least the threshold wide for an intruder holding the ledger.
    _, narrowed = world.attack()
    assert narrowed == []
