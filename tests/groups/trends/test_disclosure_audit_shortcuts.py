"""The audit's two shortcuts, each exact.

- It reuses the integer points its solves find (`audit._Points`): a point the intruder
  cannot rule out settles every target it already pushes a threshold away from its true
  value, without an integer programme of its own (on `make bench-trends` data this saves
  about three solves in four). A point is only used where it meets the current constraints.
- It builds the intruder's programme only from the figures within reach of the candidate
  release (`audit._within_reach`): the rest of a long ledger forms parts it would skip.
"""

from unittest import mock

import numpy as np
from scipy.optimize import LinearConstraint

from groups.trends import audit

A, B = ("a", "total"), ("b", "total")
# The intruder knows a + b is from 18 to 22 (shown as 20); a is 2 in truth.
SHOWN = LinearConstraint(np.array([[1.0, 1.0]]), 18, 22)
TARGET = audit._Target({A: 1}, value=2, threshold=10, description="a")


def test_a_known_point_a_threshold_away_settles_a_target_without_a_solve():
    known = np.array([[15.0, 5.0]])  # a = 15 is possible: the range is at least 13 wide

    with mock.patch.object(audit, "_extreme", wraps=audit._extreme) as solves:
        wide, found = audit._wide_enough(TARGET, SHOWN, [A, B], known)

    assert (wide, found, solves.call_count) == (True, [], 0)


def test_without_such_a_point_the_target_is_solved_and_its_points_kept():
    known = np.array([[4.0, 16.0]])  # only 2 away from the truth: proves nothing

    with mock.patch.object(audit, "_extreme", wraps=audit._extreme) as solves:
        wide, found = audit._wide_enough(TARGET, SHOWN, [A, B], known)

    assert wide
    assert solves.call_count == 1
    assert [point @ np.array([1.0, 0.0]) for point in found] == [22.0]


def test_a_point_that_breaks_the_current_constraints_is_not_used():
    points = audit._Points()
    view = ("members", 10)
    ordered = [("a", "total"), ("b", "total")]
    points.add(view, ordered, np.array([8.0, 0.0]))
    points.add(view, ordered, np.array([3.0, 3.0]))
    # Now a + b is shown as 5 (so from 3 to 7): only the second point still fits.
    constraint = LinearConstraint(np.array([[1.0, 1.0]]), 3, 7)

    feasible = points.feasible(view, ordered, np.array([2.0, 3.0]), constraint)

    assert feasible.tolist() == [[3.0, 3.0]]


def test_a_variable_a_point_does_not_cover_takes_its_true_value():
    points = audit._Points()
    view = ("members", 10)
    points.add(view, [("a", "total")], np.array([4.0]))

    feasible = points.feasible(view, [("a", "total"), ("b", "total")], np.array([1.0, 6.0]), None)

    assert feasible.tolist() == [[4.0, 6.0]]


def figures_of(publication):
    return sorted((sorted(scope.regions), sorted(scope.quarters), scope.category) for scope in publication.figures)


def test_figures_out_of_the_candidates_reach_are_left_out_and_chains_kept():
    scope = audit.Scope.of
    sources = {("cumbria", q): q for q in ("Q1", "Q2", "Q3", "Q4")} | {("durham", "Q2"): "d2", ("durham", "Q3"): "d3"}
    earlier = audit.Publication(
        "members",
        10,
        sources,
        {
            scope(["cumbria"], ["Q1"]): 20,  # another quarter: out of reach
            scope(["cumbria", "durham"], ["Q2"]): 40,  # shares cumbria's Q2
            scope(["durham"], ["Q2", "Q3"]): 30,  # and through it, durham's Q3
            scope(["durham"], ["Q3"], "boys"): None,
            scope(["cumbria"], ["Q4"]): 15,  # out of reach
        },
    )
    candidate = audit.Publication("members", 10, sources, {scope(["cumbria"], ["Q2"]): 25})

    reached = audit._within_reach([earlier, candidate], [candidate])

    assert figures_of(reached[0]) == [
        (["cumbria", "durham"], ["Q2"], "total"),
        (["durham"], ["Q2", "Q3"], "total"),
        (["durham"], ["Q3"], "boys"),
    ]
    assert reached[1] == candidate
