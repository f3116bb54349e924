"""D01: through the production protection (`audit.protect_release`), small counts are never
published, everything shown is a multiple of 5 within 2 of the true count (totals rounded
from their own true values), and zero is shown as 0; the notes use the GSS shorthand."""

from hypothesis import given, settings
from hypothesis import strategies as st

from groups.trends.disclosure import NOT_APPLICABLE, SUPPRESSED, legend
from tests.disclosure_attacker import World, counts
from tests.hypothesis_profiles import scaled

QUARTER = "2025-Q1"


def true_value(world, publication, scope):
    return sum(world.truth[publication.sources[block]][scope.category] for block in scope.blocks())


@settings(max_examples=scaled(0.5))
@given(
    returns=st.lists(st.tuples(counts, counts), min_size=1, max_size=4),
    members=st.sampled_from([5, 10]),
)
def test_small_counts_are_hidden_and_the_rest_rounded_to_5(returns, members):
    world = World(regions=("r",), members=members, public=10)
    for n, (boys, girls) in enumerate(returns):
        world.submit(f"organisation-{n}", "r", QUARTER, boys=boys, girls=girls, police=min(boys, 3))

    protected = world.release([{"r"}], quarter=QUARTER, audiences=("members", "public"))

    for publication in protected.publications:
        for scope, shown in publication.figures.items():
            true = true_value(world, publication, scope)
            if 1 <= true < publication.threshold:
                assert shown is None, (publication.audience, scope, true, shown)
            if shown is not None:
                assert shown % 5 == 0 and abs(shown - true) <= 2, (scope, true, shown)
                assert (shown == 0) == (true == 0), (scope, true, shown)


def test_zero_is_shown_as_zero_and_never_hidden_for_being_small():
    world = World(regions=("r",))
    for organisation in ("a", "b"):
        world.submit(organisation, "r", QUARTER, boys=20, girls=0, police=0)

    (publication,) = world.release([{"r"}], quarter=QUARTER).publications

    shown = {scope.category: value for scope, value in publication.figures.items()}
    assert shown["girls"] == 0 and shown["police"] == 0 and shown["total"] == 40


def test_symbols_and_legend_follow_the_gss_shorthand():
    assert SUPPRESSED == "[c]" and NOT_APPLICABLE == "[z]"
    notes = legend(threshold=10)
    assert notes[0].startswith("[c] Confidential: fewer than 10")
    assert any("rounded to the nearest 5" in note for note in notes)
