"""Hypothesis profiles, chosen by the HYPOTHESIS_PROFILE environment variable.

- `dev` (the default): few examples, random, for the inner loop.
- `ci` (set by `make test` and CI): derandomised, so a run is repeatable, with the full
  example counts.

Example counts belong to the profile, not to a test. A test whose examples are much
cheaper or dearer than the usual one states how many it needs *relative to the profile*
with `scaled(factor)`: under `ci` (100 examples) `scaled(3)` is 300, under `dev` it is 30.
Pure functions (the disclosure engine, text formatting) scale up; tests whose every
example renders pages against the database scale down.
Every counterexample found is pinned with `@example` and runs under both profiles.
"""

import os

from hypothesis import settings

CI_EXAMPLES = 100  # Hypothesis' own default
DEV_EXAMPLES = 10

# The per-example deadline measures the machine, not the code: on a busy CI box a page
# render can take longer than 200 ms. Test speed is watched by benchmarks instead.
settings.register_profile("ci", max_examples=CI_EXAMPLES, derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", max_examples=DEV_EXAMPLES, deadline=None)


def load():
    """Load the profile named by HYPOTHESIS_PROFILE (`dev` when unset)."""
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def scaled(factor):
    """`factor` times the loaded profile's example count (at least one example)."""
    return max(1, round(settings.default.max_examples * factor))
