"""`manage.py trends_ledger`: every figure ever published, read from the ledger, as one
JSON list, for the public, the members or both."""

import datetime
import io
import json

import pytest

from django.core.management import CommandError, call_command

from groups.models import TrendLedgerEntry
from groups.trends.quarters import reporting_quarter
from groups.trends.selectors import ledger_figures
from tests.factories import (
    OrganisationFactory,
    TrendReturnFactory,
    make_trend_summary,
    publish_with_approval,
    trend_counts,
)

pytestmark = pytest.mark.django_db

KEYS = {"release_quarter", "revision", "audience", "threshold", "published_at", "scope", "value", "revised", "no_data"}


def add_return(group, total, **given):
    TrendReturnFactory(
        working_group=group, organisation=OrganisationFactory(), total=total, counts=trend_counts(total, **given)
    )


def ledger(*args):
    out = io.StringIO()
    call_command("trends_ledger", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def published(cumbria, yorkshire):
    """Cumbria's summary published to members and the public, then revised after a late
    return; Yorkshire's to members only."""
    for total, given in ((20, {}), (20, {}), (4, {"gender_boys": 4})):
        add_return(cumbria, total, **given)
    page = make_trend_summary(cumbria, publish_publicly=True)
    add_return(cumbria, 30)
    publish_with_approval(page)
    for total in (25, 25, 25):
        add_return(yorkshire, total)
    make_trend_summary(yorkshire)
    return page


def total_of(items, revision, audience, region="cumbria"):
    quarter = reporting_quarter().code
    (item,) = [
        i
        for i in items
        if i["revision"] == revision
        and i["audience"] == audience
        and i["scope"] == {"regions": [region], "quarters": [quarter], "category": "total"}
    ]
    return item


def test_every_figure_ever_published_is_printed_once(published):
    items = ledger()

    assert len(items) == TrendLedgerEntry.objects.count()
    assert all(set(item) == KEYS for item in items)
    first, revised = total_of(items, 1, "members"), total_of(items, 2, "members")
    assert (first["value"], first["revised"]) == (45, False)
    assert (revised["value"], revised["revised"]) == (75, True)
    assert first["release_quarter"] == reporting_quarter().code and first["threshold"] == 10
    assert datetime.datetime.fromisoformat(first["published_at"]).tzinfo is not None
    assert any(item["value"] == "[c]" for item in items)
    # The public copies carry the revision number of the members' copy published with them.
    assert total_of(items, 2, "public")["value"] == 75
    assert total_of(items, 1, "members", region="yorkshire")["value"] == 75
    # Quarters of the trend without returns: shown as 0 and marked no data.
    quarter = reporting_quarter().previous().code
    earlier = next(i for i in items if i["scope"]["quarters"] == [quarter] and i["scope"]["category"] == "total")
    assert (earlier["value"], earlier["no_data"]) == (0, True)


def test_the_audience_option_picks_whose_copies(published):
    public = ledger("--audience", "public")
    members = ledger("--audience", "members")

    assert public and {item["audience"] for item in public} == {"public"}
    assert members and {item["audience"] for item in members} == {"members"}
    assert len(public) + len(members) == len(ledger("--audience", "all"))
    assert not any("yorkshire" in item["scope"]["regions"] for item in public)
    with pytest.raises(CommandError):
        ledger("--audience", "everyone")


def test_the_ledger_is_read_in_two_queries_however_large(published, django_assert_num_queries):
    with django_assert_num_queries(2):
        ledger_figures(audiences=["members", "public"])
