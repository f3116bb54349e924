"""Worked examples of the disclosure-control engine, to read as documentation.

A trend summary hands `protect()` a table of true counts and gets back what may be
published, with a report saying which rule hid which figure.
"""

import json

import pytest

from groups.trends.disclosure import SUPPRESSED, Axis, PublishedTable, Table, protect

C = SUPPRESSED

FIRST_CONTACT = Axis(
    "first_contact",
    ("social_media", "gaming", "messaging", "other", "not_known"),
    ("Social media", "Gaming platform", "Messaging app", "Other", "Not known"),
)
AGE_BANDS = Axis(
    "age_band",
    ("under_11", "11_12", "13_15", "16_17", "18_over"),
    ("Under 11", "11-12", "13-15", "16-17", "18 and over"),
)
QUARTERS = Axis(
    "quarter",
    ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"),
    ("2025 Q1", "2025 Q2", "2025 Q3", "2025 Q4"),
    complete=False,  # four quarters, not every quarter there is
)


def test_one_quarter_by_first_contact():
    table = Table(
        title="Cumbria, 2025 Q3: where first contact happened",
        rows=FIRST_CONTACT,
        counts=[[23], [31], [6], [0], [2]],
        organisations=[[4], [3], [2], [0], [1]],
        total_organisations={"grand": 5},
        scope={"region": ["cumbria"], "quarter": ["2025-Q3"]},
    )

    published = protect(table)

    # 6 and 2 are small; hiding only those two would leave their sum, 8, to be worked out
    # from the total, so the smallest figure that protects them (23, not 31) goes too.
    # Zero stays 0; 31 is rounded to 30; the total 62 is rounded on its own to 60.
    assert published.cells == [[C], [30], [C], [0], [C]]
    assert published.column_totals == [60]
    assert [(f.rule, f.label) for f in published.report] == [
        ("secondary", "Social media"),
        ("primary", "Messaging app"),
        ("primary", "Not known"),
        ("dominance", "Not known"),
    ]


def test_age_bands_over_four_quarters():
    table = Table(
        title="Cumbria: children identified by age band",
        rows=AGE_BANDS,
        columns=QUARTERS,
        counts=[[0, 2, 0, 1], [8, 11, 14, 12], [27, 33, 41, 38], [19, 22, 24, 30], [3, 0, 4, 2]],
        scope={"region": ["cumbria"]},
    )

    published = protect(table)

    assert published.cells == [
        [0, C, 0, C],
        [C, C, C, C],  # hidden to protect the small counts above and below it
        [25, 35, 40, 40],
        [20, 20, 25, 30],
        [C, 0, C, C],
    ]
    assert published.row_totals == [C, C, 140, 95, C]
    assert published.column_totals == [55, 70, 85, 85]
    assert published.grand_total == 290
    rules = {f.label: f.rule for f in published.report}
    assert rules["Under 11, 2025 Q2"] == "primary"
    assert rules["11-12, 2025 Q2"] == "secondary"


def test_the_published_table_is_json_and_holds_no_true_values():
    table = Table(rows=AGE_BANDS, counts=[[0], [8], [27], [19], [3]], scope={"region": ["cumbria"]})
    published = protect(table)

    stored = json.loads(json.dumps(published.to_dict()))

    assert PublishedTable.from_dict(stored).to_dict() == published.to_dict()
    assert "value" not in json.dumps(stored)
    assert [r["published"] for r in stored["records"]] == [0, None, 25, 20, None, 55]
    assert stored["records"][1]["scope"] == {"region": ["cumbria"], "age_band": ["11_12"]}


def test_a_snapshot_can_keep_true_values_for_exact_differencing_when_it_chooses():
    published = protect(Table(rows=AGE_BANDS, counts=[[0], [8], [27], [19], [3]]))

    stored = published.to_dict(include_values=True)

    assert [r["value"] for r in stored["records"]] == [0, 8, 27, 19, 3, 57]


def test_what_followed_has_no_total_because_one_child_can_count_in_several():
    followed = Axis("followed", ("police", "report_remove", "social_care"), summable=False)

    published = protect(Table(rows=followed, columns=QUARTERS, counts=[[12, 4, 20, 25]] * 3))

    assert published.column_totals is None  # shown as [z]
    assert published.row_totals is not None  # each outcome over the four quarters adds up
    assert published.cells[0] == [C, C, 20, 25]  # 4 hidden, and 12 (the smallest partner) with it


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"counts": [[1], [2]]}, "one row of counts for each row key"),
        ({"counts": [[1], [-2], [0], [0], [0]]}, "whole numbers from 0"),
        ({"counts": [[1], [2.5], [0], [0], [0]]}, "whole numbers from 0"),
        ({"counts": [[1, 2], [0], [0], [0], [0]]}, "needs 1 values"),
        ({"counts": [[0]] * 5, "scope": {"age_band": ["x"]}}, "Each dimension may appear once"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Table(rows=AGE_BANDS, **kwargs)
