"""The exact audit gate for trend figures, and the protection that makes a release pass it.

Pure functions over plain data (no database), so the tests and the benchmark call exactly
what the services call.

The audit plays a motivated intruder who holds every figure ever published (the ledger)
plus the candidate release, and knows the public structure:

- each figure is a sum of the true counts of the regions and quarters in its scope, for
  one category or the total;
- a partition breakdown (age band, gender, ...) adds up to the total, and each "what
  followed" count is at most the total;
- a shown figure is the true one rounded to the nearest 5 (so within 2 of it) and at
  least the threshold of the copy it appears in; a shown 0 is exactly 0; `[c]` says
  nothing;
- the intruder knows *that* a region's quarter changed between two publications (a late
  return or a correction: the figure is marked revised), not by how much. So each
  region-quarter has one set of unknowns per distinct version of its returns, shared by
  every publication that used that version.

For every figure whose true value is from 1 to threshold - 1, or drawn from a single
organisation, and for every change between two versions of a figure or of one region's
quarter that is from 1 to threshold - 1 either way, the audit computes the exact integer
range the intruder can narrow it to (integer programming with HiGHS, `scipy.optimize.milp`)
and fails the figure when the range is narrower than the threshold. Two intruders are
played: members (every copy, the members' threshold) and the public (public copies only,
the public threshold). The problem splits into independent parts (normally one per
quarter), and only the parts a candidate release touches need solving: the rest passed
when they were published.

`protect_release` chooses what to hide: small counts and single-organisation figures
first (primary suppression), then, as an optimisation (a 0-1 integer programme over the
release's figures, solved again with one more constraint each time the audit finds a
figure it can still narrow, as in τ-ARGUS's "optimal" method), the fewest and least
important other figures: breakdown cells before a trend's earlier quarters, those before
a region's quarterly total, the all-regions total last. A release that no choice can
protect is refused with an explanation naming the kind of figure, never a value.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_array

from .categories import BREAKDOWNS

TOTAL = "total"
ROUNDING_BASE = 5
MEMBERS = "members"
PUBLIC = "public"
# An intruder cannot know a count is below this: a stand-in for "no upper bound" that keeps
# the integer programmes bounded.
CAP = 1_000_000
MAX_ROUNDS = 60

Var = tuple[str, str]  # (source key, category)
Block = tuple[str, str]  # (region, quarter)


@dataclass(frozen=True)
class Structure:
    """What every reader knows about the categories: which add up to the total (partitions)
    and which are each at most the total; and the full list of regions (for labels)."""

    partitions: tuple[tuple[str, ...], ...]
    at_most_total: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)  # category -> its breakdown's name
    regions: frozenset[str] = frozenset()

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(key for part in self.partitions for key in part) + self.at_most_total


def default_structure(regions: Iterable[str] = ()) -> Structure:
    """The structure of the portal's trend returns (`categories.BREAKDOWNS`)."""
    return Structure(
        partitions=tuple(tuple(b.keys) for b in BREAKDOWNS if b.partition),
        at_most_total=tuple(key for b in BREAKDOWNS if not b.partition for key in b.keys),
        labels={key: b.label for b in BREAKDOWNS for key in b.keys},
        regions=frozenset(regions),
    )


@dataclass(frozen=True)
class Scope:
    """What one figure covers: regions (slugs), quarters (codes) and a category key or "total"."""

    regions: frozenset[str]
    quarters: frozenset[str]
    category: str = TOTAL

    @classmethod
    def of(cls, regions: Iterable[str], quarters: Iterable[str], category: str = TOTAL) -> Scope:
        return cls(frozenset(regions), frozenset(quarters), category)

    def blocks(self) -> list[Block]:
        return [(r, q) for r in sorted(self.regions) for q in sorted(self.quarters)]


@dataclass(frozen=True)
class Source:
    """The true counts of one region's quarter as they stood for some publication: `key`
    names this version (it changes whenever the returns behind it change)."""

    key: str
    counts: Mapping[str, int]  # category or "total" -> children
    organisations: Mapping[str, int] = field(default_factory=dict)  # category or "total" -> contributors


@dataclass(frozen=True)
class Publication:
    """One copy as published (or proposed): its audience and threshold, the source version
    behind each region-quarter, and each figure's shown value (None for `[c]`)."""

    audience: str
    threshold: int
    sources: Mapping[Block, str]
    figures: Mapping[Scope, int | None]

    def source_keys(self, scope: Scope) -> tuple[str, ...] | None:
        try:
            return tuple(self.sources[block] for block in scope.blocks())
        except KeyError:
            return None


@dataclass(frozen=True)
class Failure:
    """A figure the intruder can narrow: described by its kind, never by a value."""

    description: str
    audience: str


@dataclass
class AuditResult:
    passed: bool
    checked: int  # how many sensitive figures and changes were solved for
    failures: list[Failure]

    def explanation(self) -> str:
        if self.passed:
            return f"Passed: none of the {self.checked} small figures or changes checked can be narrowed."
        kinds = sorted({f"{failure.description} ({failure.audience})" for failure in self.failures})
        shown = "; ".join(kinds[:5]) + (f"; and {len(kinds) - 5} more" if len(kinds) > 5 else "")
        return f"Refused: these could be worked out to within the threshold: {shown}."

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "checked": self.checked,
            "failures": sorted({f"{f.description} ({f.audience})" for f in self.failures}),
            "explanation": self.explanation(),
        }


class AuditRefused(Exception):
    """No protection makes the release pass: `result.explanation()` says which kinds of figure."""

    def __init__(self, result: AuditResult):
        super().__init__(result.explanation())
        self.result = result


def shown_value(value: int, threshold: int) -> int | None:
    """What may be shown for a true value before complementary suppression: rounded to 5, or None."""
    if 1 <= value < threshold:
        return None
    return ((value + ROUNDING_BASE // 2) // ROUNDING_BASE) * ROUNDING_BASE


def describe(scope: Scope, structure: Structure, *, change: bool = False) -> str:
    """A figure's kind in words: which category, regions and quarters; never its value."""
    if scope.category == TOTAL:
        kind = "the total"
    else:
        kind = f"a figure of “{structure.labels.get(scope.category, scope.category)}”"
    if structure.regions and scope.regions == structure.regions:
        regions = "all regions"
    else:
        regions = ", ".join(sorted(scope.regions))
    text = f"{kind} for {regions}, {', '.join(sorted(scope.quarters))}"
    return f"the change in {text} since an earlier revision" if change else text


# The intruder


@dataclass
class _Target:
    terms: dict[Var, int]
    value: int  # the true value (or change); the auditor's own knowledge
    threshold: int
    description: str


@dataclass
class _Row:
    terms: list[Var]
    low: float
    high: float
    origin: tuple[int, Scope] | None  # (publication index, scope) for a figure, None for structure


class _Model:
    """The intruder's integer programme for one audience's view of the ledger."""

    def __init__(
        self,
        publications: Sequence[Publication],
        sources: Mapping[str, Source],
        structure: Structure,
        *,
        threshold: int,
        audience: str,
    ):
        self.threshold = threshold
        self.audience = audience
        self.structure = structure
        self.sources = sources
        self.rows: list[_Row] = []
        detailed: set[str] = set()
        covered: dict[Var, Scope] = {}
        versions: dict[tuple[Scope, tuple[str, ...]], int] = {}  # first appearance
        for index, publication in enumerate(publications):
            for scope, shown in publication.figures.items():
                keys = publication.source_keys(scope)
                if keys is None:
                    continue
                terms = [(key, scope.category) for key in keys]
                if scope.category != TOTAL:
                    detailed.update(keys)
                for (region, quarter), key in zip(scope.blocks(), keys, strict=True):
                    covered.setdefault((key, scope.category), Scope.of([region], [quarter], scope.category))
                versions.setdefault((scope, keys), index)
                if shown is None:
                    continue
                if shown == 0:
                    low, high = 0.0, 0.0
                else:
                    low = float(max(shown - ROUNDING_BASE // 2, publication.threshold))
                    high = float(shown + ROUNDING_BASE // 2)
                self.rows.append(_Row(terms, low, high, (index, scope)))
        for key in sorted(detailed):
            for part in structure.partitions:
                self.rows.append(_Row([(key, c) for c in part], 0.0, 0.0, None))
                self.rows[-1].terms.append((key, TOTAL))  # sum(part) - total == 0, sign below
            for category in structure.at_most_total:
                self.rows.append(_Row([(key, category), (key, TOTAL)], -math.inf, 0.0, None))
        self.covered = covered
        self.targets = self._targets(sources, covered, versions)

    def value_of(self, var: Var) -> int:
        """The true count behind an unknown (0 for figures recorded without their sources)."""
        source = self.sources.get(var[0])
        return source.counts.get(var[1], 0) if source is not None else 0

    def coefficients(self, row: _Row) -> list[tuple[Var, float]]:
        if row.origin is not None:
            return [(var, 1.0) for var in row.terms]
        # A structure row: its last term is the total, subtracted.
        return [(var, 1.0) for var in row.terms[:-1]] + [(row.terms[-1], -1.0)]

    def _targets(
        self,
        sources: Mapping[str, Source],
        covered: Mapping[Var, Scope],
        versions: Mapping[tuple[Scope, tuple[str, ...]], int],
    ) -> list[_Target]:
        threshold, structure = self.threshold, self.structure
        targets: dict[frozenset[tuple[Var, int]], _Target] = {}

        def add(terms: dict[Var, int], description: str, organisations: int | None) -> None:
            terms = {var: c for var, c in terms.items() if c}
            if not terms or any(var[0] not in sources for var in terms):
                return  # nothing changed, or figures recorded without their sources
            value = sum(self.value_of(var) * c for var, c in terms.items())
            small = 1 <= abs(value) < threshold
            dominated = organisations is not None and value > 0 and organisations < 2
            if small or dominated:
                targets.setdefault(frozenset(terms.items()), _Target(terms, value, threshold, description))

        def organisations_of(keys: Iterable[str], category: str) -> int:
            # Distinct contributors are at least the most in any one region-quarter.
            return max((sources[k].organisations.get(category, 2) for k in keys if k in sources), default=2)

        for (scope, keys), _ in sorted(versions.items(), key=lambda item: item[1]):
            add(
                {(k, scope.category): 1 for k in keys},
                describe(scope, structure),
                organisations_of(keys, scope.category),
            )
        for var, scope in covered.items():
            add({var: 1}, describe(scope, structure), organisations_of([var[0]], var[1]))
        # Changes: every pair of versions of the same figure, and of the same region-quarter.
        by_scope: dict[Scope, list[tuple[str, ...]]] = defaultdict(list)
        for scope, keys in sorted(versions, key=lambda pair: versions[pair]):
            by_scope[scope].append(keys)
        for var, scope in covered.items():
            by_scope.setdefault(scope, [])
            if (var[0],) not in by_scope[scope]:
                by_scope[scope].append((var[0],))
        for scope, all_keys in by_scope.items():
            for old, new in combinations(all_keys, 2):
                terms: dict[Var, int] = defaultdict(int)
                for k in new:
                    terms[(k, scope.category)] += 1
                for k in old:
                    terms[(k, scope.category)] -= 1
                add(dict(terms), describe(scope, structure, change=True), None)
        return list(targets.values())

    def components(self) -> list[tuple[set[Var], list[_Row], list[_Target]]]:
        parent: dict[Var, Var] = {}

        def find(var: Var) -> Var:
            parent.setdefault(var, var)
            while parent[var] != var:
                parent[var] = parent[parent[var]]
                var = parent[var]
            return var

        def union(terms: Iterable[Var]) -> None:
            first = None
            for var in terms:
                root = find(var)
                if first is None:
                    first = root
                elif root != first:
                    parent[root] = first

        for row in self.rows:
            union(row.terms)
        for target in self.targets:
            union(target.terms)
        groups: dict[Var, tuple[set[Var], list[_Row], list[_Target]]] = {}
        for var in list(parent):
            groups.setdefault(find(var), (set(), [], []))[0].add(var)
        for row in self.rows:
            groups[find(row.terms[0])][1].append(row)
        for target in self.targets:
            groups[find(next(iter(target.terms)))][2].append(target)
        return list(groups.values())


@dataclass
class _Solved:
    target: _Target
    rows: list[_Row]
    variables: list[Var]


def _matrix(variables: list[Var], rows: list[_Row], model: _Model) -> tuple[Any, np.ndarray, np.ndarray]:
    index = {var: k for k, var in enumerate(variables)}
    data, r, c = [], [], []
    for number, row in enumerate(rows):
        for var, coefficient in model.coefficients(row):
            data.append(coefficient)
            r.append(number)
            c.append(index[var])
    matrix = coo_array((data, (r, c)), shape=(len(rows), len(variables))).tocsr()
    return matrix, np.array([row.low for row in rows]), np.array([row.high for row in rows])


def _objective(target: _Target, variables: list[Var]) -> np.ndarray:
    index = {var: k for k, var in enumerate(variables)}
    c = np.zeros(len(variables))
    for var, coefficient in target.terms.items():
        c[index[var]] = coefficient
    return c


def _extreme(c: np.ndarray, constraint: LinearConstraint | None, n: int) -> np.ndarray:
    """An integer point of the intruder's feasible set where `c @ x` is least."""
    result = milp(
        c,
        constraints=[constraint] if constraint is not None else [],
        integrality=np.ones(n),
        bounds=Bounds(0, CAP),
    )
    if result.status != 0:  # the true values are always feasible: anything else is a bug
        raise RuntimeError(f"The audit's integer programme did not solve: {result.message}")
    return np.round(result.x)


class _Points:
    """Integer points the intruder cannot rule out, found while solving earlier targets.

    Each solve returns a whole feasible point, not just the extreme of its own target. Any
    feasible point `x` proves a target's range is at least `|c @ x - true value|` wide, so a
    target that some known point already pushes a threshold away from its true value needs
    no integer programme of its own. Points are kept across rounds and components (as
    variable -> value) and checked against the current constraints before each use, so a
    point only ever counts where it is feasible: the proof stays exact."""

    LIMIT = 64

    def __init__(self) -> None:
        self.found: dict[tuple[str, int], list[dict[Var, float]]] = defaultdict(list)

    def feasible(
        self, key: tuple[str, int], ordered: list[Var], truth: np.ndarray, constraint: LinearConstraint | None
    ) -> np.ndarray:
        """The known points that satisfy the current constraints, as rows over `ordered`
        (variables a point does not cover take their true values)."""
        rows = []
        for point in self.found[key]:
            x = np.array([point.get(var, truth[k]) for k, var in enumerate(ordered)])
            if constraint is not None:
                ax = constraint.A @ x
                if np.any(ax < constraint.lb - 1e-6) or np.any(ax > constraint.ub + 1e-6):
                    continue
            rows.append(x)
        return np.array(rows).reshape(len(rows), len(ordered))

    def add(self, key: tuple[str, int], ordered: list[Var], x: np.ndarray) -> None:
        found = self.found[key]
        found.append(dict(zip(ordered, x, strict=True)))
        del found[: -self.LIMIT]


class _Memory:
    """What earlier rounds of protection learnt: a target wide enough with some figures shown
    stays wide with fewer of them shown; one too narrow stays narrow with more shown; and the
    feasible points found so far (`_Points`)."""

    def __init__(self) -> None:
        self.wide: dict[Any, list[frozenset[Any]]] = defaultdict(list)
        self.narrow: dict[Any, list[frozenset[Any]]] = defaultdict(list)
        self.points = _Points()

    def recall(self, key: Any, shown: frozenset[Any]) -> bool | None:
        if any(shown <= earlier for earlier in self.wide[key]):
            return True
        if any(shown >= earlier for earlier in self.narrow[key]):
            return False
        return None

    def learn(self, key: Any, shown: frozenset[Any], wide: bool) -> None:
        (self.wide if wide else self.narrow)[key].append(shown)


def _narrowed(model: _Model, *, only: set[Var] | None, memory: _Memory | None = None) -> tuple[int, list[_Solved]]:
    """(targets checked, the targets the intruder narrows below the threshold)."""
    checked, narrowed = 0, []
    memory = memory if memory is not None else _Memory()
    view = (model.audience, model.threshold)
    for variables, rows, targets in model.components():
        if not targets or (only is not None and not variables & only):
            continue
        ordered = sorted(variables)
        constraint = None
        if rows:
            matrix, low, high = _matrix(ordered, rows, model)
            constraint = LinearConstraint(matrix, low, high)
        if not any(row.origin is not None for row in rows):
            checked += len(targets)
            continue  # nothing shown bounds them
        shown = frozenset((tuple(row.terms), row.low, row.high) for row in rows)
        truth = np.array([model.value_of(var) for var in ordered])
        points = memory.points.feasible(view, ordered, truth, constraint)
        for target in targets:
            checked += 1
            key = (target.threshold, frozenset(target.terms.items()))
            wide = memory.recall(key, shown)
            if wide is None:
                wide, found = _wide_enough(target, constraint, ordered, points)
                for x in found:
                    memory.points.add(view, ordered, x)
                if found:
                    points = np.vstack([points, *found])
                memory.learn(key, shown, wide)
            if not wide:
                narrowed.append(_Solved(target, rows, ordered))
    return checked, narrowed


def _wide_enough(
    target: _Target, constraint: LinearConstraint | None, ordered: list[Var], points: np.ndarray
) -> tuple[bool, list[np.ndarray]]:
    """Whether the intruder's range for `target` is at least its threshold wide, and the new
    feasible points solving it found. Known feasible points settle most targets without a
    solve: the range holds the true value and the target's value at each of them."""
    c = _objective(target, ordered)
    if len(points) and np.max(np.abs(points @ c - target.value)) >= target.threshold:
        return True, []
    highest_point = _extreme(-c, constraint, len(ordered))
    highest = float(c @ highest_point)
    if highest - target.value >= target.threshold:
        return True, [highest_point]  # the true value plus the threshold is possible
    lowest_point = _extreme(c, constraint, len(ordered))
    return highest - float(c @ lowest_point) >= target.threshold, [highest_point, lowest_point]


def _views(publications: Sequence[Publication]) -> list[tuple[str, list[Publication], int]]:
    """Members see every copy; the public only public copies. The public's view needs its
    own audit only when its threshold is higher: otherwise it knows less and needs no more."""
    lowest = min(p.threshold for p in publications)
    views = [(MEMBERS, list(publications), lowest)]
    public = [p for p in publications if p.audience == PUBLIC]
    if public and min(p.threshold for p in public) > lowest:
        views.append((PUBLIC, public, min(p.threshold for p in public)))
    return views


def _within_reach(publications: Sequence[Publication], candidates: Sequence[Publication]) -> list[Publication]:
    """`publications` with only the figures that can share an unknown with the candidates',
    directly or through a chain of figures over common region-quarters. The rest form parts
    of the problem the candidates do not touch, which the audit skips anyway: leaving them
    out only saves building them (a long ledger holds many quarters). Every publication is
    kept, possibly empty, so positions in the list still name the same copy."""
    reach = {block for candidate in candidates for scope in candidate.figures for block in scope.blocks()}
    spans = [frozenset(scope.blocks()) for publication in publications for scope in publication.figures]
    growing = True
    while growing:
        growing = False
        for blocks in spans:
            if not blocks <= reach and not blocks.isdisjoint(reach):
                reach |= blocks
                growing = True
    return [
        replace(publication, figures={s: v for s, v in publication.figures.items() if not reach.isdisjoint(s.blocks())})
        for publication in publications
    ]


def _candidate_variables(candidates: Sequence[Publication]) -> set[Var]:
    variables: set[Var] = set()
    for publication in candidates:
        for scope in publication.figures:
            keys = publication.source_keys(scope) or ()
            variables.update((key, scope.category) for key in keys)
            variables.update((key, TOTAL) for key in keys)
    return variables


def audit(
    *,
    ledger: Sequence[Publication],
    candidates: Sequence[Publication] = (),
    sources: Mapping[str, Source],
    structure: Structure,
    memory: _Memory | None = None,
) -> AuditResult:
    """Audit the ledger plus the candidate copies. With candidates, only the parts of the
    problem they touch are solved (the ledger passed before); without, everything."""
    everything = [*ledger, *candidates]
    if not everything:
        return AuditResult(True, 0, [])
    only = _candidate_variables(candidates) if candidates else None
    checked, failures = 0, []
    for audience, publications, threshold in _views(everything):
        if candidates:
            publications = _within_reach(publications, candidates)
        model = _Model(publications, sources, structure, threshold=threshold, audience=audience)
        count, narrowed = _narrowed(model, only=only, memory=memory)
        checked += count
        failures += [Failure(solved.target.description, audience) for solved in narrowed]
    return AuditResult(not failures, checked, failures)


# Protection


@dataclass
class Candidate:
    """A copy to publish: its audience, threshold and sources, the figures it shows, and the
    release's own quarter and regions (to rank what matters most)."""

    audience: str
    threshold: int
    sources: Mapping[Block, str]
    scopes: Sequence[Scope]
    quarter: str


@dataclass
class Protected:
    """What protection chose for each copy: the publications to record, why each hidden
    figure is hidden, the audit that passed, and the share of figures at or above the
    threshold that are shown."""

    publications: list[Publication]
    reasons: list[dict[Scope, str]]
    result: AuditResult
    information_kept: list[float]
    rounds: int


PRIMARY = "primary"
DOMINANCE = "dominance"
SECONDARY = "secondary"


def figure_value(scope: Scope, sources: Mapping[Block, str], data: Mapping[str, Source]) -> int:
    return sum(data[sources[block]].counts.get(scope.category, 0) for block in scope.blocks())


def _organisations(scope: Scope, sources: Mapping[Block, str], data: Mapping[str, Source]) -> int:
    return max((data[sources[b]].organisations.get(scope.category, 2) for b in scope.blocks()), default=2)


def importance(scope: Scope, value: int, *, quarter: str, structure: Structure, threshold: int) -> float:
    """How much hiding a figure costs: the all-regions quarterly total most, then a region's
    quarterly total of at least the threshold, a trend's earlier quarters, breakdown cells
    least; within a class, larger figures a little more."""
    everywhere = bool(structure.regions) and scope.regions == structure.regions
    if scope.category == TOTAL:
        if scope.quarters == {quarter}:
            base = 100_000.0 if everywhere else (5_000.0 if value >= threshold else 500.0)
        else:
            base = 1_000.0 if everywhere else 300.0
    else:
        base = 12.0 if everywhere else 10.0
    return base + min(value, 1_000) / 200


def protect_release(
    *,
    ledger: Sequence[Publication],
    candidates: Sequence[Candidate],
    sources: Mapping[str, Source],
    structure: Structure,
) -> Protected:
    """Choose each candidate copy's hidden figures, in order (members' copy first), so that
    the audit of the ledger plus every copy passes; raise AuditRefused when none can.

    A later copy of the same release hides at least what an earlier one hid, so a public
    copy tells members nothing their own copy did not.

    A candidate may hold the figures of several tables (a quarter's regional and
    all-regions summaries: `selectors.trend_release_prepare`): they are then protected
    jointly, the cheapest hidden set chosen for the union and the audit run on all of
    them at once, whatever order they would otherwise have gone live in.
    """
    done: list[Publication] = []
    reasons: list[dict[Scope, str]] = []
    kept: list[float] = []
    rounds = 0
    hidden_before: set[Scope] = set()
    memory = _Memory()
    for candidate in candidates:
        publication, why, used = _protect_copy(
            ledger=[*ledger, *done],
            candidate=candidate,
            sources=sources,
            structure=structure,
            must_hide=hidden_before,
            memory=memory,
        )
        rounds += used
        done.append(publication)
        reasons.append(why)
        hidden_before = {scope for scope, shown in publication.figures.items() if shown is None}
        values = {scope: figure_value(scope, candidate.sources, sources) for scope in candidate.scopes}
        large = [scope for scope, value in values.items() if value >= candidate.threshold]
        shown = [scope for scope in large if publication.figures[scope] is not None]
        kept.append(len(shown) / len(large) if large else 1.0)
    result = audit(ledger=ledger, candidates=done, sources=sources, structure=structure, memory=memory)
    if not result.passed:  # e.g. a public copy's higher threshold told members something
        raise AuditRefused(result)
    return Protected(done, reasons, result, kept, rounds)


def _protect_copy(
    *,
    ledger: Sequence[Publication],
    candidate: Candidate,
    sources: Mapping[str, Source],
    structure: Structure,
    must_hide: set[Scope],
    memory: _Memory,
) -> tuple[Publication, dict[Scope, str], int]:
    threshold = candidate.threshold
    scopes = list(dict.fromkeys(candidate.scopes))
    values = {scope: figure_value(scope, candidate.sources, sources) for scope in scopes}
    reasons: dict[Scope, str] = {}
    for scope in scopes:
        value = values[scope]
        if 1 <= value < threshold:
            reasons[scope] = PRIMARY
        elif value > 0 and _organisations(scope, candidate.sources, sources) < 2:
            reasons[scope] = DOMINANCE
        elif scope in must_hide:
            reasons[scope] = SECONDARY
    fixed = set(reasons)
    weights = np.array(
        [importance(s, values[s], quarter=candidate.quarter, structure=structure, threshold=threshold) for s in scopes]
    )
    position = {scope: k for k, scope in enumerate(scopes)}
    # Hiding every figure is the most any protection can do: if the intruder still narrows
    # something then, no choice passes, so refuse at once.
    everything_hidden = Publication(candidate.audience, threshold, candidate.sources, dict.fromkeys(scopes))
    hopeless = _failures_with_causes(ledger, everything_hidden, sources, structure, memory)
    if hopeless:
        raise AuditRefused(AuditResult(False, 0, [Failure(d, audience) for d, audience, _ in hopeless]))
    cuts: list[set[int]] = []
    hidden = set(fixed)
    for round_number in range(1, MAX_ROUNDS + 1):
        publication = Publication(
            audience=candidate.audience,
            threshold=threshold,
            sources=candidate.sources,
            figures={s: None if s in hidden else shown_value(values[s], threshold) for s in scopes},
        )
        failures = _failures_with_causes(ledger, publication, sources, structure, memory)
        if not failures:
            for scope in hidden - fixed:
                reasons[scope] = SECONDARY
            return publication, reasons, round_number
        for description, audience, causes in failures:
            cut = {position[s] for s in causes if s not in fixed}
            if not cut:
                raise AuditRefused(AuditResult(False, 0, [Failure(description, audience)]))
            cuts.append(cut)
        hidden = fixed | {scopes[k] for k in _cheapest_cover(weights, cuts, {position[s] for s in fixed})}
    raise AuditRefused(AuditResult(False, 0, [Failure("the release as a whole (too many rounds)", candidate.audience)]))


def _cheapest_cover(weights: np.ndarray, cuts: list[set[int]], fixed: set[int]) -> list[int]:
    """The cheapest set of figures to hide that meets every cut (hide at least one of each)."""
    n = len(weights)
    matrix = np.zeros((len(cuts), n))
    for row, cut in enumerate(cuts):
        matrix[row, sorted(cut)] = 1
    low = np.zeros(n)
    low[sorted(fixed)] = 1
    result = milp(
        weights,
        constraints=[LinearConstraint(matrix, 1, np.inf)],
        integrality=np.ones(n),
        bounds=Bounds(low, np.ones(n)),
    )
    if result.status != 0:
        raise RuntimeError(f"The protection's integer programme did not solve: {result.message}")
    return [k for k in range(n) if result.x[k] > 0.5]


def _failures_with_causes(
    ledger: Sequence[Publication],
    publication: Publication,
    sources: Mapping[str, Source],
    structure: Structure,
    memory: _Memory,
) -> list[tuple[str, str, set[Scope]]]:
    """Each target the intruder narrows, with the candidate's shown figures that bind it (the
    linear relaxation's dual values say which constraints hold each end of the range; when
    they name none of the candidate's, every shown candidate figure in the part may)."""
    everything = [*ledger, publication]
    only = _candidate_variables([publication])
    found = []
    for audience, publications, threshold in _views(everything):
        if publication not in publications:
            continue
        index_in_view = publications.index(publication)
        model = _Model(
            _within_reach(publications, [publication]), sources, structure, threshold=threshold, audience=audience
        )
        _, narrowed = _narrowed(model, only=only, memory=memory)
        for solved in narrowed:
            mine = [row for row in solved.rows if row.origin is not None and row.origin[0] == index_in_view]
            causes = _binding(solved, model) & {row.origin[1] for row in mine if row.origin}
            if not causes:
                causes = {row.origin[1] for row in mine if row.origin}
            found.append((solved.target.description, audience, causes))
    return found


def _binding(solved: _Solved, model: _Model) -> set[Scope]:
    variables, rows = solved.variables, solved.rows
    matrix, low, high = _matrix(variables, rows, model)
    upper = [k for k in range(len(rows)) if math.isfinite(high[k])]
    lower = [k for k in range(len(rows)) if math.isfinite(low[k])]
    a_ub = np.vstack([matrix.toarray()[upper], -matrix.toarray()[lower]])
    b_ub = np.concatenate([high[upper], -low[lower]])
    origins = [rows[k].origin for k in upper] + [rows[k].origin for k in lower]
    c = _objective(solved.target, variables)
    binding: set[Scope] = set()
    for sign in (1, -1):
        result = linprog(sign * c, A_ub=a_ub, b_ub=b_ub, bounds=(0, CAP), method="highs")
        if result.status != 0:
            continue
        for origin, marginal in zip(origins, result.ineqlin.marginals, strict=True):
            if origin is not None and abs(marginal) > 1e-9:
                binding.add(origin[1])
    return binding
