"""Security rows C09 and C10 for trend returns: who may see and submit which return.

Raw returns are read only by the owner organisation's members in that group and the
group's coordinators (and administrators); everyone else gets 404 (anonymous people
are sent to sign in), whatever the id. Extra POST fields cannot choose the organisation,
version, submitter or group.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groups.models import TrendReturn
from groups.trends.quarters import reporting_quarter
from tests.factories import (
    OrganisationFactory,
    TrendReturnFactory,
    make_administrator,
    make_editor,
    make_member,
    with_authenticator,
)
from tests.html import main_text
from tests.hypothesis_profiles import scaled

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "member of another group",
    "editor",
    "member of another organisation",
    "member of the owner organisation",
    "coordinator",
    "administrator",
]
SECRET_NOTE = "Approaches through a sandbox game"


@pytest.fixture
def owned_return(cumbria, yorkshire, police):
    """(a Cumbria Constabulary return to the Cumbria group, who asks for it): its own people,
    since the member of another group here is from the owner organisation."""
    other_organisation = OrganisationFactory(name="Cumbria County Council")
    personas = {
        "anonymous": None,
        "member of another group": make_member(yorkshire, organisation=police),
        "editor": make_editor(),
        "member of another organisation": make_member(cumbria, organisation=other_organisation),
        "member of the owner organisation": make_member(cumbria, organisation=police),
        "coordinator": make_member(cumbria, role="coordinator", organisation=other_organisation),
        "administrator": make_administrator(),
    }
    for user in personas.values():
        if user is not None:
            with_authenticator(user)
    trend_return = TrendReturnFactory(
        working_group=cumbria,
        organisation=police,
        submitted_by=personas["member of the owner organisation"],
        note=SECRET_NOTE,
        total=7,
    )
    return trend_return, personas


# URL name -> who gets a 200 (or a redirect after a POST); everyone else is denied.
READERS = {"member of the owner organisation", "coordinator", "administrator"}
MEMBERS = {"member of another organisation", "member of the owner organisation", "coordinator", "administrator"}
SUBMITTERS = {"member of another organisation", "member of the owner organisation", "coordinator"}
COORDINATORS = {"coordinator", "administrator"}
URLS = [
    ("/members/cumbria/returns/", MEMBERS),
    ("/members/cumbria/returns/new/", SUBMITTERS),
    ("/members/cumbria/returns/{pk}/", READERS),
    ("/members/cumbria/returns/tracking/", COORDINATORS),
    ("/members/cumbria/returns/tracking/remind/", COORDINATORS),
    ("/members/cumbria/returns/import/", COORDINATORS),
    ("/members/cumbria/returns/import/template.csv", COORDINATORS),
    ("/members/cumbria/returns/import/template.xlsx", COORDINATORS),
]


def fetch(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url)
    return response


@pytest.mark.parametrize(("pattern", "allowed"), URLS, ids=[u for u, _ in URLS])
def test_every_url_for_every_persona(client, owned_return, pattern, allowed):
    trend_return, personas = owned_return
    url = pattern.format(pk=trend_return.pk)
    for persona in PERSONAS:
        response = fetch(client, personas[persona], url)
        if persona in allowed:
            assert response.status_code in (200, 302), (persona, response.status_code)
            if response.status_code == 302:
                assert response["Location"].startswith("/members/cumbria/returns/"), persona
        elif persona == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/")
        else:
            assert response.status_code == 404, (persona, response.status_code)
            assert SECRET_NOTE not in response.content.decode()


def test_the_return_shows_its_figures_to_those_allowed(client, owned_return):
    trend_return, personas = owned_return
    for persona in READERS:
        text = main_text(fetch(client, personas[persona], f"/members/cumbria/returns/{trend_return.pk}/"))
        assert SECRET_NOTE in text
        assert "Cumbria Constabulary" in text


def test_another_organisations_list_never_shows_the_return(client, owned_return):
    trend_return, personas = owned_return
    text = main_text(fetch(client, personas["member of another organisation"], "/members/cumbria/returns/"))
    assert "Cumbria County Council" in text
    assert "Cumbria Constabulary" not in text
    assert f"/returns/{trend_return.pk}/" not in text
    own = main_text(fetch(client, personas["member of the owner organisation"], "/members/cumbria/returns/"))
    assert trend_return.period.label in own and "Cumbria Constabulary's returns" in own


def test_the_return_is_not_found_under_another_groups_url(client, owned_return, yorkshire):
    trend_return, personas = owned_return
    make_member(yorkshire, user=personas["member of the owner organisation"], organisation=trend_return.organisation)
    response = fetch(
        client, personas["member of the owner organisation"], f"/members/yorkshire/returns/{trend_return.pk}/"
    )
    assert response.status_code == 404


@settings(max_examples=scaled(0.6), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offset=st.integers(min_value=-1000, max_value=10**12))
def test_idor_any_other_id_is_404(client, owned_return, offset):
    """Whatever id another organisation's member or a member of another group tries,
    the answer is 404: nothing tells an existing return from a missing one."""
    trend_return, personas = owned_return
    pk = max(trend_return.pk + offset, 0)
    for persona in ("member of another organisation", "member of another group", "editor"):
        response = fetch(client, personas[persona], f"/members/cumbria/returns/{pk}/")
        assert response.status_code == 404


def test_mass_assignment_is_ignored(client, owned_return, yorkshire):
    """C10: a member cannot choose the organisation, group, version, submitter or status."""
    trend_return, personas = owned_return
    member = personas["member of another organisation"]
    client.force_login(member)
    data = {
        "quarter": reporting_quarter().code,
        "total": "0",
        "organisation": trend_return.organisation_id,
        "organisation_id": trend_return.organisation_id,
        "working_group": yorkshire.pk,
        "version": "99",
        "is_current": "false",
        "submitted_by": personas["administrator"].pk,
        "submitted_at": "2000-01-01T00:00:00Z",
        "is_staff": "on",
        "groups": "1",
    }
    response = client.post("/members/cumbria/returns/new/", data)
    assert response.status_code == 302
    created = TrendReturn.objects.latest("pk")
    assert created.organisation.name == "Cumbria County Council"
    assert created.working_group.slug == "cumbria"
    assert (created.version, created.is_current, created.submitted_by) == (1, True, member)
    assert created.submitted_at.year != 2000
    member.refresh_from_db()
    assert not member.is_staff
    trend_return.refresh_from_db()
    assert trend_return.is_current and trend_return.version == 1  # the police return is untouched


def test_an_administrator_without_a_membership_cannot_submit(client, owned_return):
    _, personas = owned_return
    response = fetch(client, personas["administrator"], "/members/cumbria/returns/new/")
    assert response.status_code == 404
