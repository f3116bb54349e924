"""An intruder for the disclosure tests: what can be worked out from published tables alone.

The intruder knows every published figure and total, the rounding rule (a published
figure p is a true value from p - 2 to p + 2, and 0 means exactly 0), the threshold (a
non-zero published figure is at least the threshold, since smaller ones are hidden) and
that counts are whole numbers from 0. It computes the exact interval a hidden figure can
lie in by linear programming (scipy's HiGHS), which is what Hundepool et al. call the
feasible interval. Also hypothesis strategies for tables.
"""

from hypothesis import strategies as st
from scipy.optimize import linprog

from groups.trends.disclosure import SUPPRESSED, Axis, Table

UNBOUNDED = float("inf")


def published_grid(published):
    """The published table as {(row, column): value}, totals at index n (as in the engine),
    and the additive lines (each a list of cell positions and the position of its total)."""
    n_rows, n_columns = len(published.cells), len(published.cells[0])
    values = {(i, j): v for i, row in enumerate(published.cells) for j, v in enumerate(row)}
    lines = []
    row_indices, column_indices = list(range(n_rows)), list(range(n_columns))
    if published.row_totals is not None:
        values.update({(i, n_columns): v for i, v in enumerate(published.row_totals)})
        column_indices.append(n_columns)
    if published.column_totals is not None:
        values.update({(n_rows, j): v for j, v in enumerate(published.column_totals)})
        row_indices.append(n_rows)
    if published.grand_total is not None:
        values[(n_rows, n_columns)] = published.grand_total
    if published.row_totals is not None:
        for i in row_indices:
            lines.append(([(i, j) for j in range(n_columns)], (i, n_columns)))
    if published.column_totals is not None:
        for j in column_indices:
            lines.append(([(i, j) for i in range(n_rows)], (n_rows, j)))
    return values, lines


def bounds_for(value, *, threshold, rounding_base=5):
    """What the intruder knows of one figure from its published value alone."""
    if value == SUPPRESSED:
        return (0, None)
    if value == 0:
        return (0, 0)
    half = rounding_base // 2
    return (max(value - half, threshold), value + half)


def feasible_intervals(published, positions):
    """For each position, the (lowest, highest) true value consistent with everything published."""
    values, lines = published_grid(published)
    index = {position: k for k, position in enumerate(sorted(values))}
    bounds = [bounds_for(values[p], threshold=published.threshold) for p in sorted(values)]
    equalities, rhs = [], []
    for members, total in lines:
        row = [0.0] * len(index)
        for p in members:
            row[index[p]] += 1
        row[index[total]] -= 1
        equalities.append(row)
        rhs.append(0.0)
    result = {}
    for position in positions:
        objective = [0.0] * len(index)
        objective[index[position]] = 1
        ends = []
        for sign in (1, -1):
            solution = linprog(
                [sign * c for c in objective],
                A_eq=equalities or None,
                b_eq=rhs or None,
                bounds=bounds,
                method="highs",
            )
            if solution.status == 3:  # unbounded
                ends.append(UNBOUNDED)
            else:
                assert solution.status == 0, solution.message
                ends.append(sign * solution.fun)
        result[position] = (ends[0], ends[1])
    return result


def true_grid(table):
    """The true values at every position the engine publishes, computed independently."""
    n_rows, n_columns = len(table.counts), len(table.counts[0])
    has_total_row = table.rows.summable and n_rows > 1
    has_total_column = table.columns is not None and table.columns.summable and n_columns > 1
    values = {(i, j): table.counts[i][j] for i in range(n_rows) for j in range(n_columns)}
    if has_total_column:
        for i in range(n_rows):
            values[(i, n_columns)] = sum(table.counts[i])
    if has_total_row:
        for j in range(n_columns):
            values[(n_rows, j)] = sum(row[j] for row in table.counts)
    if has_total_row and has_total_column:
        values[(n_rows, n_columns)] = sum(map(sum, table.counts))
    return values


def published_values(published):
    return published_grid(published)[0]


counts = st.one_of(st.just(0), st.integers(1, 9), st.integers(10, 80))
"""Counts weighted towards the cases that matter: zeros, small numbers, ordinary ones."""


@st.composite
def tables(draw, *, max_rows=5, max_columns=4, organisations=False):
    """Any table: one column or several, totals or none (overlapping categories)."""
    n_rows = draw(st.integers(1, max_rows))
    one_column = draw(st.booleans())
    n_columns = 1 if one_column else draw(st.integers(1, max_columns))
    rows = Axis("category", tuple(f"r{i}" for i in range(n_rows)), summable=draw(st.booleans()) or n_rows == 1)
    columns = None if one_column else Axis("quarter", tuple(f"q{j}" for j in range(n_columns)), complete=False)
    grid = draw(st.lists(st.lists(counts, min_size=n_columns, max_size=n_columns), min_size=n_rows, max_size=n_rows))
    orgs = None
    if organisations:
        orgs = [[draw(st.integers(0 if v == 0 else 1, 4)) for v in row] for row in grid]
    return Table(rows=rows, columns=columns, counts=grid, organisations=orgs)


def atoms_of(scope, dimensions):
    """The source units a scope covers: one tuple per combination of keys (a dimension
    left out of the scope covers all of its keys)."""
    from itertools import product

    names = sorted(dimensions)
    return set(product(*[scope.get(name, dimensions[name]) for name in names]))


def joint_intervals(records, dimensions, targets, *, threshold):
    """The intruder with several publications at once: the unknowns are the source units
    (e.g. region x category); each published record bounds the sum of the units it covers.
    Returns the (lowest, highest) of each target (a set of units) consistent with them all."""
    names = sorted(dimensions)
    from itertools import product

    units = sorted(product(*[dimensions[name] for name in names]))
    index = {unit: k for k, unit in enumerate(units)}
    rows, upper = [], []
    for record in records:
        if record.published is None:
            continue
        low, high = bounds_for(record.published, threshold=threshold)
        row = [0.0] * len(units)
        for unit in atoms_of(record.scope, dimensions):
            row[index[unit]] = 1.0
        rows += [row, [-c for c in row]]
        upper += [high, -low]
    result = []
    for target in targets:
        objective = [0.0] * len(units)
        for unit in target:
            objective[index[unit]] = 1.0
        ends = []
        for sign in (1, -1):
            solution = linprog(
                [sign * c for c in objective], A_ub=rows or None, b_ub=upper or None, bounds=(0, None), method="highs"
            )
            if solution.status == 3:
                ends.append(UNBOUNDED)
            else:
                assert solution.status == 0, solution.message
                ends.append(sign * solution.fun)
        result.append((ends[0], ends[1]))
    return result
