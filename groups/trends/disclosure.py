"""Statistical disclosure control for the trend summaries: pure functions, no database.

A trend summary publishes counts of children from a few agencies in a small area, so a
child must never be identifiable from a published figure, alone or together with the
totals beside it or the tables published before. This module takes a table of true
counts and returns what may be published, and a report of why each figure was hidden.
It follows UK statistics practice:

- ONS / GSS, "Disclosure control guidance for tables produced from administrative
  sources" (2014): the threshold rule (primary suppression of small counts), secondary
  (complementary) suppression, and protection against disclosure by differencing.
- NHS Digital, "Hospital Episode Statistics (HES) analysis guide": small counts suppressed
  and other counts rounded to the nearest 5, totals rounded independently of the figures.
- Hundepool et al., "Statistical Disclosure Control" (Wiley, 2012), chapter 4: feasible
  intervals an intruder can compute from the margins, the hypercube method (protecting a
  cell with a rectangle of suppressed cells), and the dominance, (n, k), rule.
- Government Statistical Service (Analysis Function), "Symbols in tables definitions and
  help": `[c]` confidential, `[z]` not applicable.
- ICO, "Anonymisation: managing data protection risk" (the motivated intruder test).

How the rules are applied, in order, by `protect()`:

1. Primary suppression: a true count from 1 to `threshold - 1` (10 by default for both
   audiences; a parameter) is hidden, totals included. Zero is published as 0.
2. Dominance: a non-zero figure drawn from fewer than `min_organisations` (two)
   organisations is hidden, so no agency's own figure is ever shown.
3. Differencing: a figure is hidden when subtracting it from, or from it, a figure
   published earlier over a nested set of source units (a quarter inside a year, a region
   inside all regions), or several non-overlapping earlier figures inside it, could leave a
   count from 1 to `threshold - 1`; a figure hidden in an earlier table stays hidden when
   the same figure appears again.
4. Secondary suppression: every figure hidden by rules 1-3 must stay uncertain to an
   intruder who knows every published figure, every published total and the rounding rule.
   The table is seen with its totals as one grid of additive lines (each row and column
   with its total). A hidden figure is protected when there is a pattern of hidden figures
   through it - two on a line, or a rectangle when rows and columns both have totals - that
   can shift values by at least `threshold` in total without changing any published figure
   (the hypercube method). Where none exists, the cheapest pattern is hidden too: fewest
   totals, then the smallest values, then the fewest figures. Hiding only ever adds to the
   pattern, so a protection found stays valid; the loop runs until no hidden figure needs
   more. A pattern is only used if it leaves every figure published earlier unchanged.
   Because the published values are also rounded (± 2), the intruder's real interval is
   at least as wide as the pattern shows (tests check it exactly with linear programming).
5. Rounding: every figure not hidden is rounded to the nearest 5; totals are rounded from
   their true values, independently of the rounded figures.

Limits, honestly:

- Differencing is checked for each new figure against each earlier figure nested with it,
  and against one set of non-overlapping earlier figures inside it (chosen largest first).
  Other combinations of several earlier figures (a quarter subtracted from a half-year
  after both were subtracted from a year, overlapping areas) are not searched. Protection
  patterns leave every earlier published figure unchanged, so a hidden figure that appears
  again keeps its protection; but a figure hidden in an earlier table that does not appear
  in this one is not re-protected here. Publish periods and areas that nest, and pass all
  earlier records of overlapping tables in `earlier`.
- Protection of a dominance cell is the same absolute width as for a small count (the
  threshold), not a proportion of the value as the p% rule would give.
- Totals' organisation counts default to the largest count among their figures (a lower
  bound on the distinct organisations); pass the true distinct counts to avoid hiding a
  total that draws on several organisations each contributing to different figures.

Everything returned is JSON-serialisable (`PublishedTable.to_dict()`), so a summary
snapshot can store the published figures, the report and the records later tables are
checked against. The serialised table holds no true value unless the caller asks for the
records' values (`to_dict(include_values=True)`) to make later differencing checks exact.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import product

SUPPRESSED = "[c]"
"""GSS shorthand for a confidential (suppressed) figure."""

NOT_APPLICABLE = "[z]"
"""GSS shorthand for a figure that does not apply (e.g. a total of overlapping categories)."""

DEFAULT_THRESHOLD = 10
AUDIENCE_THRESHOLDS = {"members": DEFAULT_THRESHOLD, "public": DEFAULT_THRESHOLD}
"""The smallest count published to each audience; both follow ONS practice (< 10 hidden)."""

DEFAULT_ROUNDING_BASE = 5
DEFAULT_MIN_ORGANISATIONS = 2

PRIMARY = "primary"
DOMINANCE = "dominance"
DIFFERENCING = "differencing"
SECONDARY = "secondary"
RULES = (PRIMARY, DOMINANCE, DIFFERENCING, SECONDARY)

CELL = "cell"
ROW_TOTAL = "row_total"
COLUMN_TOTAL = "column_total"
GRAND_TOTAL = "grand_total"


@dataclass(frozen=True)
class Axis:
    """One dimension of a table: its categories in order.

    `dimension` and `keys` name the source units for differencing (e.g. "age_band" and
    "11_12"; "quarter" and "2025-Q1"); `labels` are what people read. `summable` says the
    categories do not overlap, so a total over them means something (false for "what
    followed", where one child may count in several). `complete` says the keys are every
    category of the dimension, so their total covers the whole dimension (true for age
    bands or all regions; false for a run of quarters).
    """

    dimension: str
    keys: tuple[str, ...]
    labels: tuple[str, ...] | None = None
    summable: bool = True
    complete: bool = True

    def __post_init__(self):
        object.__setattr__(self, "keys", tuple(self.keys))
        labels = tuple(self.labels) if self.labels is not None else self.keys
        if len(labels) != len(self.keys):
            raise ValueError(f"Axis {self.dimension!r} has {len(self.keys)} keys but {len(labels)} labels.")
        if len(set(self.keys)) != len(self.keys):
            raise ValueError(f"Axis {self.dimension!r} repeats a key.")
        object.__setattr__(self, "labels", labels)


@dataclass(frozen=True)
class Table:
    """True counts to protect: `counts[row][column]`, one column when `columns` is None.

    `organisations[row][column]` is how many organisations contributed to each cell (for
    the dominance rule; None skips it). `total_organisations` may give the distinct
    organisations behind totals: {"rows": [...], "columns": [...], "grand": n}.
    `scope` is what the whole table covers (e.g. {"region": ["cumbria"]}), so that each
    figure's set of source units is known for differencing.
    """

    rows: Axis
    counts: list[list[int]]
    columns: Axis | None = None
    organisations: list[list[int]] | None = None
    total_organisations: dict | None = None
    scope: dict = field(default_factory=dict)
    title: str = ""

    def __post_init__(self):
        width = len(self.columns.keys) if self.columns is not None else 1
        if not self.rows.keys or len(self.counts) != len(self.rows.keys):
            raise ValueError("The table needs one row of counts for each row key.")
        for grid, name in ((self.counts, "counts"), (self.organisations, "organisations")):
            if grid is None:
                continue
            if len(grid) != len(self.rows.keys) or any(len(row) != width for row in grid):
                raise ValueError(f"Every row of {name} needs {width} values.")
            for value in (value for row in grid for value in row):
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise ValueError(f"{name.capitalize()} must be whole numbers from 0.")
        dimensions = [self.rows.dimension] + ([self.columns.dimension] if self.columns is not None else [])
        if len(set(dimensions)) != len(dimensions) or set(dimensions) & set(self.scope):
            raise ValueError("Each dimension may appear once: in the scope, the rows or the columns.")


@dataclass(frozen=True)
class PublishedRecord:
    """One figure as published, kept with a snapshot so later tables can be checked against it.

    `scope` maps each dimension to the keys the figure covers (a dimension left out means
    all of it); `published` is the rounded figure or None when it was hidden; `value` is the
    true count when the publisher chose to keep it (without it, the check assumes anything
    the rounding allows, which hides a little more).
    """

    scope: dict
    published: int | None
    value: int | None = None
    source: str = ""

    def to_dict(self, *, include_value=False):
        data = {"scope": {d: list(keys) for d, keys in self.scope.items()}, "published": self.published}
        if include_value:
            data["value"] = self.value
        if self.source:
            data["source"] = self.source
        return data

    @classmethod
    def from_dict(cls, data):
        return cls(
            scope=_scope(data["scope"]),
            published=data.get("published"),
            value=data.get("value"),
            source=data.get("source", ""),
        )


@dataclass(frozen=True)
class Finding:
    """Why one figure is hidden: the rule that fired, where, and a sentence for editors."""

    rule: str
    position: str
    row: int | None
    column: int | None
    label: str
    explanation: str

    def to_dict(self):
        return {
            "rule": self.rule,
            "position": self.position,
            "row": self.row,
            "column": self.column,
            "label": self.label,
            "explanation": self.explanation,
        }


@dataclass
class PublishedTable:
    """What may be shown: each figure is a whole number (a multiple of the rounding base) or
    `SUPPRESSED`; `row_totals`/`column_totals` are None where no such totals are published
    (a one-column table, or categories that overlap), `grand_total` likewise."""

    title: str
    row_labels: list[str]
    column_labels: list[str]
    cells: list[list[int | str]]
    row_totals: list[int | str] | None
    column_totals: list[int | str] | None
    grand_total: int | str | None
    threshold: int
    rounding_base: int
    report: list[Finding]
    records: list[PublishedRecord]

    def suppressed_count(self):
        values = [v for row in self.cells for v in row]
        values += (self.row_totals or []) + (self.column_totals or []) + [self.grand_total]
        return sum(1 for v in values if v == SUPPRESSED)

    def legend(self):
        return legend(threshold=self.threshold, rounding_base=self.rounding_base)

    def to_dict(self, *, include_values=False):
        """JSON-ready. True values appear only in `records`, and only when asked for."""
        return {
            "title": self.title,
            "row_labels": self.row_labels,
            "column_labels": self.column_labels,
            "cells": self.cells,
            "row_totals": self.row_totals,
            "column_totals": self.column_totals,
            "grand_total": self.grand_total,
            "threshold": self.threshold,
            "rounding_base": self.rounding_base,
            "report": [finding.to_dict() for finding in self.report],
            "records": [record.to_dict(include_value=include_values) for record in self.records],
        }

    @classmethod
    def from_dict(cls, data):
        return cls(
            title=data["title"],
            row_labels=data["row_labels"],
            column_labels=data["column_labels"],
            cells=data["cells"],
            row_totals=data["row_totals"],
            column_totals=data["column_totals"],
            grand_total=data["grand_total"],
            threshold=data["threshold"],
            rounding_base=data["rounding_base"],
            report=[Finding(**finding) for finding in data["report"]],
            records=[PublishedRecord.from_dict(record) for record in data["records"]],
        )


def round_to_base(value, base=DEFAULT_ROUNDING_BASE):
    """`value` rounded to the nearest multiple of `base` (whole numbers never fall half-way for base 5)."""
    return ((value + base // 2) // base) * base


def display(value):
    """How a published figure is written in a table or CSV: the number, `[c]` or `[z]`."""
    if value is None:
        return NOT_APPLICABLE
    return str(value)


def legend(*, threshold=DEFAULT_THRESHOLD, rounding_base=DEFAULT_ROUNDING_BASE):
    """The notes that go with a protected table, in the GSS shorthand."""
    return [
        f"{SUPPRESSED} Confidential: fewer than {threshold} children, fewer than two organisations, "
        "or hidden so that another hidden figure cannot be worked out.",
        f"{NOT_APPLICABLE} Not applicable.",
        f"Figures are rounded to the nearest {rounding_base}. Totals are rounded separately, "
        "so they may not equal the sum of the figures shown.",
    ]


def protect(
    table,
    *,
    threshold=DEFAULT_THRESHOLD,
    earlier=(),
    rounding_base=DEFAULT_ROUNDING_BASE,
    min_organisations=DEFAULT_MIN_ORGANISATIONS,
):
    """Apply disclosure control to `table` and return the `PublishedTable`.

    `earlier` is every `PublishedRecord` published before (from earlier snapshots) that
    this table might be subtracted from. `threshold` is the audience's smallest count.
    """
    if threshold < 1 or rounding_base < 1:
        raise ValueError("The threshold and rounding base must be at least 1.")
    grid = _Grid(table)
    hidden = {}  # position -> list of (rule, explanation)

    def hide(position, rule, explanation):
        hidden.setdefault(position, []).append((rule, explanation))

    for position, value in grid.values.items():
        if 1 <= value < threshold:
            hide(position, PRIMARY, f"Fewer than {threshold}.")
        organisations = grid.organisations.get(position)
        if value > 0 and organisations is not None and organisations < min_organisations:
            hide(position, DOMINANCE, f"Drawn from fewer than {min_organisations} organisations.")
    earlier = [r if isinstance(r, PublishedRecord) else PublishedRecord.from_dict(r) for r in earlier]
    # Only figures that share a source unit with this table can be combined with it.
    earlier = [(record, _sets(record.scope)) for record in earlier]
    earlier = [(record, sets) for record, sets in earlier if not _disjoint(sets, grid.sets[grid.whole])]
    for position, value in grid.values.items():
        reason = _differencing_risk(
            grid.sets[position], value, earlier, threshold=threshold, rounding_error=rounding_base // 2
        )
        if reason:
            hide(position, DIFFERENCING, reason)

    touches = _touches(grid, [sets for record, sets in earlier if record.published is not None])
    sensitive = sorted(hidden, key=lambda position: (grid.values[position], position))
    protected = set()  # targets with a pattern that is all hidden: hiding more never undoes it
    changed = True
    while changed:
        changed = False
        for target in sensitive:
            if target in protected:
                continue
            added, found = _protect_cell(grid, target, set(hidden), touches, threshold=threshold)
            if found:
                protected.add(target)
            for position in added:
                hide(position, SECONDARY, f"Hidden so that “{grid.label(target)}” cannot be worked out.")
                changed = True

    def published(position):
        if position in hidden:
            return SUPPRESSED
        return round_to_base(grid.values[position], rounding_base)

    report = [
        Finding(
            rule=rule,
            position=grid.kind(position),
            row=position[0] if position[0] < grid.n_rows else None,
            column=position[1] if position[1] < grid.n_columns else None,
            label=grid.label(position),
            explanation=explanation,
        )
        for position in sorted(hidden)
        for rule, explanation in hidden[position]
    ]
    records = [
        PublishedRecord(
            scope=grid.scopes[position],
            published=None if position in hidden else published(position),
            value=grid.values[position],
            source=", ".join(part for part in (table.title, grid.label(position)) if part),
        )
        for position in sorted(grid.values)
    ]
    rows, cols = range(grid.n_rows), range(grid.n_columns)
    R, C = grid.n_rows, grid.n_columns
    return PublishedTable(
        title=table.title,
        row_labels=list(table.rows.labels),
        column_labels=list(table.columns.labels) if table.columns is not None else [],
        cells=[[published((i, j)) for j in cols] for i in rows],
        row_totals=[published((i, C)) for i in rows] if grid.has_total_column else None,
        column_totals=[published((R, j)) for j in cols] if grid.has_total_row else None,
        grand_total=published((R, C)) if (R, C) in grid.values else None,
        threshold=threshold,
        rounding_base=rounding_base,
        report=report,
        records=records,
    )


def scope_within(inner, outer):
    """Whether every source unit `inner` covers is also covered by `outer` (a dimension
    missing from a scope covers all of it)."""
    return _within(_sets(inner), _sets(outer))


class _Grid:
    """The table with its totals as one grid: cells at (row, column), the totals of each row
    in column `n_columns`, the totals of each column in row `n_rows`, the grand total at the
    corner. Each row and each column with its total is an additive line."""

    def __init__(self, table):
        self.table = table
        self.n_rows = len(table.rows.keys)
        self.n_columns = len(table.columns.keys) if table.columns is not None else 1
        # A total over one category would repeat it; a total over overlapping categories means nothing.
        self.has_total_row = table.rows.summable and self.n_rows > 1
        self.has_total_column = table.columns is not None and table.columns.summable and self.n_columns > 1
        R, C = self.n_rows, self.n_columns
        self.row_indices = list(range(R)) + ([R] if self.has_total_row else [])
        self.column_indices = list(range(C)) + ([C] if self.has_total_column else [])
        self.values = {}
        for i, j in product(self.row_indices, self.column_indices):
            rows = range(R) if i == R else [i]
            columns = range(C) if j == C else [j]
            self.values[(i, j)] = sum(table.counts[r][c] for r in rows for c in columns)
        self.organisations = self._organisations()
        self.whole = (R, C)  # the scope of the grand total is the whole table's, present or not
        self.scopes = {position: self._scope(position) for position in [*self.values, self.whole]}
        self.sets = {position: _sets(scope) for position, scope in self.scopes.items()}

    def _organisations(self):
        table, R, C = self.table, self.n_rows, self.n_columns
        if table.organisations is None:
            return {}
        counts = {(i, j): table.organisations[i][j] for i in range(R) for j in range(C)}
        given = table.total_organisations or {}
        for i, j in self.values:
            if (i, j) in counts:
                continue
            if i == R and j == C:
                counts[(i, j)] = given.get("grand", max(table.organisations[r][c] for r in range(R) for c in range(C)))
            elif j == C:
                counts[(i, j)] = given["rows"][i] if "rows" in given else max(table.organisations[i])
            else:
                column = [row[j] for row in table.organisations]
                counts[(i, j)] = given["columns"][j] if "columns" in given else max(column)
        return counts

    def _scope(self, position):
        i, j = position
        table = self.table
        scope = _scope(table.scope)
        for index, count, axis in ((i, self.n_rows, table.rows), (j, self.n_columns, table.columns)):
            if axis is None:
                continue
            if index < count:
                scope[axis.dimension] = (axis.keys[index],)
            elif not axis.complete:
                scope[axis.dimension] = axis.keys
        return scope

    def kind(self, position):
        i, j = position
        if i == self.n_rows and j == self.n_columns:
            return GRAND_TOTAL
        if i == self.n_rows:
            return COLUMN_TOTAL
        if j == self.n_columns:
            return ROW_TOTAL
        return CELL

    def label(self, position):
        i, j = position
        table = self.table
        row = "Total" if i == self.n_rows else table.rows.labels[i]
        if table.columns is None:
            return row
        column = "Total" if j == self.n_columns else table.columns.labels[j]
        return f"{row}, {column}"

    def patterns(self, target):
        """Every smallest pattern of figures through `target` whose values can shift together
        without changing any line's sum, with the sign of each shift (target +1)."""
        i, j = target
        R, C = self.n_rows, self.n_columns

        def flip(index, total_index):
            return -1 if index == total_index else 1

        if self.has_total_row and self.has_total_column:
            for other_i, other_j in product(self.row_indices, self.column_indices):
                if other_i == i or other_j == j:
                    continue
                corners = {}
                for a, b in product((i, other_i), (j, other_j)):
                    sign = (1 if a == i else -1) * (1 if b == j else -1) * flip(a, R) * flip(b, C)
                    corners[(a, b)] = sign * flip(i, R) * flip(j, C)
                yield corners
        elif self.has_total_column:  # rows are the only lines
            for other_j in self.column_indices:
                if other_j != j:
                    yield {target: 1, (i, other_j): -flip(j, C) * flip(other_j, C)}
        elif self.has_total_row:  # columns are the only lines
            for other_i in self.row_indices:
                if other_i != i:
                    yield {target: 1, (other_i, j): -flip(i, R) * flip(other_i, R)}

    def shift_width(self, corners):
        """How far the target can move within this pattern: down by the smallest value that
        shifts with it, up by the smallest that shifts against it (unbounded if none does)."""
        down = min(self.values[p] for p, sign in corners.items() if sign > 0)
        against = [self.values[p] for p, sign in corners.items() if sign < 0]
        return down + (min(against) if against else math.inf)

    def lines_through(self, target):
        i, j = target
        positions = []
        if self.has_total_column:
            positions += [(i, b) for b in self.column_indices]
        if self.has_total_row:
            positions += [(a, j) for a in self.row_indices]
        return sorted(set(positions) - {target})

    def is_constrained(self):
        return self.has_total_row or self.has_total_column


def _protect_cell(grid, target, hidden, touches, *, threshold):
    """The figures to hide (possibly none) so that `target` is protected by a pattern that
    also leaves every figure published earlier unchanged, and whether such a pattern exists."""
    if not grid.is_constrained():
        return [], True
    best = None
    for corners in grid.patterns(target):
        if grid.shift_width(corners) < threshold or not _keeps_earlier(corners, touches):
            continue
        new = [p for p in corners if p not in hidden]
        if not new:
            return [], True
        cost = (
            sum(1 for p in new if grid.kind(p) != CELL),
            sum(grid.values[p] for p in new),
            len(new),
            sorted(new),
        )
        if best is None or cost < best[0]:
            best = (cost, new)
    if best is None:
        # Only when figures published earlier block every pattern (a pattern through the
        # totals is unbounded upwards otherwise): hide everything on the target's lines.
        return [p for p in grid.lines_through(target) if p not in hidden], False
    return best[1], True


def _touches(grid, earlier):
    """For each cell, the earlier published figures it lies inside (True) or only partly inside (False)."""
    touches = {}
    for position in grid.values:
        if grid.kind(position) != CELL:
            continue
        cell = grid.sets[position]
        for k, sets in enumerate(earlier):
            if _within(cell, sets):
                touches.setdefault(position, []).append((k, True))
            elif not _disjoint(cell, sets):
                touches.setdefault(position, []).append((k, False))
    return touches


def _keeps_earlier(corners, touches):
    """Whether shifting the pattern's cells leaves each earlier published figure's sum as it
    was: its cells inside that figure's scope must shift by zero in total. A cell only partly
    inside an earlier figure could hide or show the shift, so the pattern is not relied on."""
    net = {}
    for position, sign in corners.items():
        for k, inside in touches.get(position, ()):
            if not inside:
                return False
            net[k] = net.get(k, 0) + sign
    return not any(net.values())


def _differencing_risk(scope, value, earlier, *, threshold, rounding_error):
    """Why subtracting earlier figures from this one, or this one from an earlier one, over
    nested sets could reveal a count from 1 to threshold - 1 (or why it was hidden before),
    or '' when it cannot. Checks each earlier figure alone, then the earlier figures inside
    this one that do not overlap (three quarters inside a year), taken together."""

    def could_be_small(low, high):
        return high >= 1 and low <= threshold - 1

    def bounds(record):
        if record.value is not None:
            return record.value, record.value
        if record.published == 0:
            return 0, 0
        return max(record.published - rounding_error, 0), record.published + rounding_error

    inner = []
    for record, sets in earlier:
        if _within(scope, sets) and _within(sets, scope):
            if record.published is None:
                return f"Hidden in an earlier table ({record.source or 'the same figure'}), so hidden here too."
            continue
        if record.published is None:
            continue
        inside = _within(scope, sets)
        if not inside and not _within(sets, scope):
            continue
        low, high = bounds(record)
        difference = (low - value, high - value) if inside else (value - high, value - low)
        if could_be_small(*difference):
            source = record.source or "a nested set"
            return f"Subtracting it from an earlier figure ({source}) could reveal a small number."
        if not inside:
            inner.append((record, sets))
    # Largest first (fewest restricted dimensions, then most keys), keeping those that do not overlap.
    inner.sort(key=lambda pair: (len(pair[1]), -math.prod(len(keys) for keys in pair[1].values())))
    chosen = []
    for record, sets in inner:
        if all(_disjoint(sets, other) for _, other in chosen):
            chosen.append((record, sets))
    if len(chosen) >= 2:
        low = value - sum(bounds(record)[1] for record, _ in chosen)
        high = value - sum(bounds(record)[0] for record, _ in chosen)
        if could_be_small(low, high):
            return "Subtracting several earlier figures inside it could reveal a small number."
    return ""


def _sets(scope):
    return {dimension: frozenset(keys) for dimension, keys in scope.items()}


def _within(inner, outer):
    """`scope_within` for scopes already made of frozensets."""
    for dimension, keys in outer.items():
        mine = inner.get(dimension)
        if mine is None or not mine <= keys:
            return False
    return True


def _disjoint(a, b):
    """Whether two scopes (of frozensets) share no source unit: some dimension restricted by both to different keys."""
    for dimension, keys in a.items():
        other = b.get(dimension)
        if other is not None and keys.isdisjoint(other):
            return True
    return False


def _scope(data):
    return {dimension: tuple(keys) for dimension, keys in (data or {}).items()}
