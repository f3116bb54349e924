"""D01: small counts never published; everything else a multiple of 5; totals rounded on their own.

Hypothesis draws any table (one column or several, with or without totals) and any
threshold an audience might have, and checks what the engine publishes against true values
computed here, independently of the engine.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from groups.trends.disclosure import NOT_APPLICABLE, SUPPRESSED, Axis, Table, display, legend, protect, round_to_base
from tests.disclosure_attacker import published_values, tables, true_grid
from tests.hypothesis_profiles import scaled


@settings(max_examples=scaled(3))
@given(table=tables(), threshold=st.integers(1, 15))
def test_small_counts_are_suppressed_and_the_rest_rounded_to_5(table, threshold):
    published = protect(table, threshold=threshold)
    truth = true_grid(table)
    shown = published_values(published)

    assert set(shown) == set(truth)
    for position, value in shown.items():
        if 1 <= truth[position] < threshold:
            assert value == SUPPRESSED, position
        elif value != SUPPRESSED:
            assert isinstance(value, int)
            assert value % 5 == 0
            assert value == round_to_base(truth[position])


@settings(max_examples=scaled(2))
@given(table=tables())
def test_totals_are_rounded_from_true_values_not_from_the_rounded_figures(table):
    published = protect(table)
    truth = true_grid(table)
    n_rows, n_columns = len(table.counts), len(table.counts[0])
    totals = {p: v for p, v in published_values(published).items() if p[0] == n_rows or p[1] == n_columns}

    for position, value in totals.items():
        if value != SUPPRESSED:
            assert value == round_to_base(truth[position])


def test_totals_rounded_independently_may_differ_from_the_sum_of_what_is_shown():
    table = Table(rows=Axis("age_band", ("13_15", "16_17")), counts=[[12], [12]])

    published = protect(table)

    assert published.cells == [[10], [10]]
    assert published.column_totals == [25]  # 24 rounded, not 10 + 10


def test_zero_is_published_as_zero_and_never_suppressed_for_being_small():
    table = Table(rows=Axis("age_band", ("11_12", "13_15", "16_17")), counts=[[0], [40], [25]])

    published = protect(table)

    assert published.cells == [[0], [40], [25]]
    assert published.report == []


def test_the_threshold_is_set_per_audience():
    table = Table(rows=Axis("gender", ("boys", "girls", "other")), counts=[[12], [30], [25]])

    members = protect(table, threshold=10)
    public = protect(table, threshold=15)

    assert members.cells[0] == [10]
    assert public.cells[0] == [SUPPRESSED]
    assert any(f.rule == "primary" and f.row == 0 for f in public.report)


def test_symbols_and_legend_follow_the_gss_shorthand():
    assert display(SUPPRESSED) == "[c]"
    assert display(None) == NOT_APPLICABLE == "[z]"
    assert display(15) == "15"
    notes = legend(threshold=10)
    assert notes[0].startswith("[c] Confidential: fewer than 10")
    assert any("rounded to the nearest 5" in note for note in notes)
