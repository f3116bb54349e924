"""D03: differencing (no small count recovered by subtracting a new figure from one
published earlier over a nested set), through the ledger and the production audit.

Quarterly tables are released one by one, then the whole year; the intruder of
`tests.disclosure_attacker` holds everything published and solves, by integer
programming, the range of every small figure. Dominance is attacked in
`test_disclosure_ledger_intruder.py`.
"""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.disclosure_attacker import World, counts
from tests.hypothesis_profiles import scaled

QUARTERS = ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4")


def grids(n_rows, n_columns):
    return st.lists(st.lists(counts, min_size=n_columns, max_size=n_columns), min_size=n_rows, max_size=n_rows)


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
