"""Fixtures shared by the trends tests: a quarter's release needs every region."""

import pytest

from tests.factories import OrganisationFactory, WorkingGroupPageFactory, add_trend_return


@pytest.fixture
def regional_groups(members_area, cumbria, yorkshire):
    """The four regional working groups."""
    return [
        cumbria,
        yorkshire,
        WorkingGroupPageFactory(parent=members_area, region="northumbria"),
        WorkingGroupPageFactory(parent=members_area, region="durham-cleveland"),
    ]


@pytest.fixture
def regional_returns(regional_groups):
    """Three organisations' returns in each region, one with a few girls."""
    for group in regional_groups:
        for total in (20, 25):
            add_trend_return(group, total)
        add_trend_return(group, 15, gender_boys=12, gender_girls=3)
    return regional_groups


@pytest.fixture
def short_trend(settings):
    """Two quarters of trend: keeps a release's joint audit (and the intruder) quick, for
    tests where nothing depends on how far back the trend goes."""
    settings.TREND_SUMMARY_QUARTERS = 2


@pytest.fixture
def charity():
    """The coordinating charity: an organisation apart from the groups' members'."""
    return OrganisationFactory(name="Coordinating charity")
