"""D02: an intruder with the published table, its totals and the rounding rule cannot pin a
hidden small count to a range narrower than the threshold.

The intruder (tests/disclosure_attacker.py) solves the exact feasible interval of every
hidden figure by linear programming; hypothesis supplies the tables.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from groups.trends.disclosure import SUPPRESSED, Axis, Table, protect
from tests.disclosure_attacker import feasible_intervals, published_grid, published_values, tables, true_grid
from tests.hypothesis_profiles import scaled


def sensitive_positions(published, table):
    """Hidden figures whose true value is a small count (1 to threshold - 1)."""
    truth = true_grid(table)
    return [
        p for p, v in published_values(published).items() if v == SUPPRESSED and 1 <= truth[p] < published.threshold
    ]


@settings(max_examples=scaled(2))
@given(table=tables(), threshold=st.sampled_from([5, 10, 15]))
def test_no_hidden_small_count_can_be_narrowed_below_the_threshold(table, threshold):
    published = protect(table, threshold=threshold)
    truth = true_grid(table)
    positions = sensitive_positions(published, table)

    intervals = feasible_intervals(published, positions)

    for position, (low, high) in intervals.items():
        assert low <= truth[position] <= high  # the intruder's model is sound
        assert high - low >= threshold, (position, low, high, published.cells)


@settings(max_examples=scaled(1.2))
@given(table=tables(organisations=True))
def test_figures_hidden_for_dominance_are_protected_like_small_counts(table):
    published = protect(table)
    hidden_for_dominance = {(f.row, f.column) for f in published.report if f.rule == "dominance"}
    n_rows, n_columns = len(table.counts), len(table.counts[0])
    positions = [
        (n_rows if row is None else row, n_columns if column is None else column)
        for row, column in hidden_for_dominance
    ]

    intervals = feasible_intervals(published, positions)

    for low, high in intervals.values():
        assert high - low >= published.threshold


@settings(max_examples=scaled(2.5))
@given(table=tables())
def test_every_line_with_a_hidden_figure_has_at_least_two(table):
    published = protect(table)
    values, lines = published_grid(published)

    for members, total in lines:
        hidden = [p for p in [*members, total] if values[p] == SUPPRESSED]
        assert len(hidden) != 1, (members, published.cells)


def test_a_row_with_one_small_count_gets_a_complementary_suppression_smallest_value_first():
    table = Table(
        rows=Axis("age_band", ("11_12", "13_15"), ("11-12", "13-15")),
        columns=Axis("quarter", ("2025-Q1", "2025-Q2", "2025-Q3"), complete=False),
        counts=[[4, 30, 18], [25, 40, 22]],
    )

    published = protect(table)

    # 4 is hidden; within its row the complement is the smaller of 30 and 18, and its
    # column partner the cell beneath, so each row and column has two hidden figures.
    assert published.cells == [[SUPPRESSED, 30, SUPPRESSED], [SUPPRESSED, 40, SUPPRESSED]]
    assert published.row_totals == [50, 85]
    assert published.column_totals == [30, 70, 40]
    assert [(f.rule, f.label) for f in published.report] == [
        ("primary", "11-12, 2025-Q1"),
        ("secondary", "11-12, 2025-Q3"),
        ("secondary", "13-15, 2025-Q1"),
        ("secondary", "13-15, 2025-Q3"),
    ]


def test_a_complement_too_small_to_hide_the_count_is_passed_over():
    # Hiding 4 with 3 would leave the pair's sum (7) as the widest range: the intruder would
    # know both are from 0 to 9. The engine hides 12 instead.
    table = Table(rows=Axis("platform", ("social", "gaming", "messaging")), counts=[[3], [4], [12]])

    published = protect(table)

    assert published.cells == [[SUPPRESSED], [SUPPRESSED], [SUPPRESSED]]
    assert published.column_totals == [20]


def test_a_small_total_is_itself_suppressed():
    table = Table(rows=Axis("paid", ("yes", "no", "not_known")), counts=[[3], [0], [4]])

    published = protect(table)

    assert published.column_totals == [SUPPRESSED]
    assert ("primary", "Total") in [(f.rule, f.label) for f in published.report]
