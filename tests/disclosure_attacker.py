"""An intruder for the disclosure tests: what can be worked out from the whole ledger.

The intruder knows every published figure, the rounding rule (a published figure p is a
true value from p - 2 to p + 2, and 0 means exactly 0), the threshold (a non-zero
published figure is at least the threshold, since smaller ones are hidden), the structure
of the tables and that counts are whole numbers from 0. It computes, by exact integer
programming (scipy's HiGHS `milp`), the interval each small figure, single organisation's
figure or small change between revisions can lie in (Hundepool et al.'s feasible
interval). `World` holds a scenario's ground truth and releases it through the production
code; `counts` is the hypothesis strategy for counts.
"""

from hypothesis import strategies as st

counts = st.one_of(st.just(0), st.integers(1, 9), st.integers(10, 80))
"""Counts weighted towards the cases that matter: zeros, small numbers, ordinary ones."""


# The ledger intruder: written apart from groups.trends.audit, with another formulation.
#
# The audit has one unknown per version of a region-quarter's returns and category, splits
# the problem into independent parts and solves only the parts a release touches. Here every
# copy ever published gets unknowns of its own for every region, quarter and category it
# covers, copies that used the same returns are tied together by equalities, and the whole
# ledger is solved at once, with integrality enforced (scipy's milp). The targets are worked
# out from the ground truth the scenario holds, not from anything the audit computed.


def _copy_parts(copy):
    """(audience, threshold, {(region, quarter): source key}, {(regions, quarters, category): shown})."""
    figures = {
        (tuple(sorted(scope.regions)), tuple(sorted(scope.quarters)), scope.category): shown
        for scope, shown in copy.figures.items()
    }
    return copy.audience, copy.threshold, dict(copy.sources), figures


def ledger_attack(copies, truth, *, partitions, at_most, view="members"):
    """Attack `copies` (everything published, oldest first) as `view` sees them ("members":
    every copy; "public": public copies only). `truth` maps a source key to its true counts
    ({category or "total": n}) and, under "organisations", its contributors per category.

    Returns (attacked, narrowed): how many small or single-organisation figures and small
    changes were attacked, and a list of (description, low, high, threshold) for each the
    intruder pins to a range narrower than the threshold."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    parts = [_copy_parts(copy) for copy in copies if view == "members" or copy.audience == "public"]
    if not parts:
        return 0, []
    threshold = min(part[1] for part in parts)
    categories = [c for partition in partitions for c in partition] + list(at_most) + ["total"]
    index = {}
    for p, (_, _, sources, _) in enumerate(parts):
        for block in sources:
            for category in categories:
                index[(p, block, category)] = len(index)
    n = len(index)
    rows, low, high = [], [], []

    def constrain(coefficients, lo, hi):
        row = np.zeros(n)
        for var, c in coefficients:
            row[index[var]] += c
        rows.append(row)
        low.append(lo)
        high.append(hi)

    first_use = {}  # source key -> (copy, block) where its unknowns first appear
    for p, (_, copy_threshold, sources, figures) in enumerate(parts):
        for block, key in sources.items():
            for partition in partitions:
                constrain([((p, block, c), 1) for c in partition] + [((p, block, "total"), -1)], 0, 0)
            for c in at_most:
                constrain([((p, block, c), 1), ((p, block, "total"), -1)], -np.inf, 0)
            if key in first_use:
                q, other = first_use[key]
                for c in categories:
                    constrain([((p, block, c), 1), ((q, other, c), -1)], 0, 0)
            else:
                first_use[key] = (p, block)
        for (regions, quarters, category), shown in figures.items():
            if shown is None:
                continue
            terms = [((p, (r, q), category), 1) for r in regions for q in quarters]
            if shown == 0:
                constrain(terms, 0, 0)
            else:
                constrain(terms, max(shown - 2, copy_threshold), shown + 2)

    def true_of(key, category):
        return truth[key].get(category, 0)

    targets = {}  # frozenset of (var, coefficient) -> description, true value, organisations

    def target(terms, description, value, organisations):
        terms = {var: c for var, c in terms.items() if c}
        if terms and (1 <= abs(value) < threshold or (organisations is not None and value > 0 and organisations < 2)):
            targets.setdefault(frozenset(terms.items()), (description, value))

    versions = {}  # (regions, quarters, category) -> list of key tuples, in order of publication
    cells = {}  # (region, quarter, category) -> list of keys
    for _, _, sources, figures in parts:
        for regions, quarters, category in figures:
            keys = tuple(sources[(r, q)] for r in regions for q in quarters)
            versions.setdefault((regions, quarters, category), [])
            if keys not in versions[(regions, quarters, category)]:
                versions[(regions, quarters, category)].append(keys)
            for r in regions:
                for q in quarters:
                    cells.setdefault((r, q, category), [])
                    if sources[(r, q)] not in cells[(r, q, category)]:
                        cells[(r, q, category)].append(sources[(r, q)])

    def unknowns(keys, blocks, category):
        assert len(keys) == len(blocks)
        terms = {}
        for key in keys:
            p, first_block = first_use[key]
            terms[(p, first_block, category)] = terms.get((p, first_block, category), 0) + 1
        return terms

    for (regions, quarters, category), all_keys in versions.items():
        blocks = [(r, q) for r in regions for q in quarters]
        for keys in all_keys:
            value = sum(true_of(k, category) for k in keys)
            organisations = max(truth[k]["organisations"].get(category, 2) for k in keys)
            target(unknowns(keys, blocks, category), f"{regions} {quarters} {category}", value, organisations)
        for a in range(len(all_keys)):
            for b in range(a + 1, len(all_keys)):
                terms = unknowns(all_keys[b], blocks, category)
                for var, c in unknowns(all_keys[a], blocks, category).items():
                    terms[var] = terms.get(var, 0) - c
                change = sum(true_of(k, category) for k in all_keys[b]) - sum(true_of(k, category) for k in all_keys[a])
                target(terms, f"change of {regions} {quarters} {category}", change, None)
    for (r, q, category), keys in cells.items():
        for a, key in enumerate(keys):
            organisations = truth[key]["organisations"].get(category, 2)
            target(unknowns([key], [(r, q)], category), f"{r} {q} {category}", true_of(key, category), organisations)
            for later in keys[a + 1 :]:
                terms = unknowns([later], [(r, q)], category)
                for var, c in unknowns([key], [(r, q)], category).items():
                    terms[var] = terms.get(var, 0) - c
                change = true_of(later, category) - true_of(key, category)
                target(terms, f"change of {r} {q} {category}", change, None)

    constraint = LinearConstraint(np.array(rows), np.array(low), np.array(high)) if rows else None
    narrowed = []
    for terms, (description, _) in targets.items():
        c = np.zeros(n)
        for var, coefficient in terms:
            c[index[var]] = coefficient
        ends = []
        for sign in (1, -1):
            result = milp(
                sign * c,
                constraints=[constraint] if constraint is not None else [],
                integrality=np.ones(n),
                bounds=Bounds(0, 10**6),
            )
            assert result.status == 0, result.message
            ends.append(sign * result.fun)
        if ends[1] - ends[0] < threshold:
            narrowed.append((description, ends[0], ends[1], threshold))
    return len(targets), narrowed


class World:
    """A scenario's ground truth and ledger, without a database: organisations' returns by
    region and quarter (changed by late returns and corrections), and releases protected by
    the production code (`groups.trends.audit.protect_release`) and recorded in order."""

    def __init__(
        self, *, regions, partitions=(("boys", "girls", "other"),), at_most=("police",), members=10, public=10
    ):
        from groups.trends.audit import Structure

        self.regions = tuple(regions)
        self.partitions = partitions
        self.at_most = at_most
        self.structure = Structure(partitions=partitions, at_most_total=at_most, regions=frozenset(regions))
        self.thresholds = {"members": members, "public": public}
        self.returns = {}  # (organisation, region, quarter) -> counts
        self.ledger = []
        self.sources = {}
        self.truth = {}
        self.kept = []

    def submit(self, organisation, region, quarter, **counts):
        """An organisation's return (a new one, a late one, or a correction replacing it).
        The first partition's counts make the total; the rest default to "other"."""
        first = self.partitions[0]
        total = sum(counts.get(c, 0) for c in first)
        full = {c: counts.get(c, 0) for partition in self.partitions for c in partition}
        for partition in self.partitions[1:]:
            full[partition[-1]] += total - sum(full[c] for c in partition)
        full.update({c: min(counts.get(c, 0), total) for c in self.at_most})
        full["total"] = total
        self.returns[(organisation, region, quarter)] = full

    def source(self, region, quarter):
        import hashlib
        import json

        from groups.trends.audit import Source

        categories = [c for partition in self.partitions for c in partition] + [*self.at_most, "total"]
        mine = [counts for (_, r, q), counts in self.returns.items() if (r, q) == (region, quarter)]
        counts = {c: sum(m[c] for m in mine) for c in categories}
        organisations = {c: sum(1 for m in mine if m[c] > 0) for c in categories}
        key = hashlib.sha256(json.dumps([region, quarter, counts, organisations], sort_keys=True).encode()).hexdigest()
        self.sources[key] = Source(key, counts, organisations)
        self.truth[key] = {**counts, "organisations": organisations}
        return key

    def release(self, tables, *, quarter, trend=(), audiences=("members",), categories=True):
        """Publish, as one protected whole, a table per entry of `tables` (a set of regions,
        or "all"): the total of each quarter in `trend` and of `quarter` (a code, or a tuple
        of codes for a figure over several quarters), and each category of `quarter`."""
        from groups.trends.audit import TOTAL, Candidate, Scope, protect_release

        span = quarter if isinstance(quarter, tuple) else (quarter,)
        scopes = []
        for regions in tables:
            regions = self.regions if regions == "all" else tuple(regions)
            scopes += [Scope.of(regions, [q], TOTAL) for q in trend]
            scopes.append(Scope.of(regions, span, TOTAL))
            if categories:
                scopes += [Scope.of(regions, span, c) for partition in self.partitions for c in partition] + [
                    Scope.of(regions, span, c) for c in self.at_most
                ]
        blocks = {(r, q) for scope in scopes for r in scope.regions for q in scope.quarters}
        sources = {block: self.source(*block) for block in sorted(blocks)}
        candidates = [
            Candidate(audience, self.thresholds[audience], sources, scopes, span[-1]) for audience in audiences
        ]
        protected = protect_release(
            ledger=self.ledger, candidates=candidates, sources=self.sources, structure=self.structure
        )
        self.ledger += protected.publications
        self.kept += protected.information_kept
        return protected

    def attack(self):
        """(figures attacked, what the intruder narrowed) for members and for the public."""
        attacked, narrowed = 0, []
        for view in ("members", "public"):
            count, found = ledger_attack(
                self.ledger, self.truth, partitions=self.partitions, at_most=self.at_most, view=view
            )
            attacked += count
            narrowed += [(view, *item) for item in found]
        return attacked, narrowed
