"""Wagtail's bulk-action confirmation pages name every object asked for by id, even ones
the person may not change. Pages of a working group the person cannot see must not be
named (row C11): they answer 404, as if they did not exist."""

import pytest

from tests.factories import make_administrator, make_editor, make_meeting, make_member
from tests.html import main_text

pytestmark = pytest.mark.django_db

ACTIONS = ["delete", "move", "publish", "unpublish"]


@pytest.fixture
def people(cumbria, yorkshire):
    return {
        "editor": make_editor(),
        "coordinator of Yorkshire": make_member(yorkshire, role="coordinator"),
        "coordinator of Cumbria": make_member(cumbria, role="coordinator"),
        "administrator": make_administrator(),
    }


def bulk_url(action, *pages):
    return f"/admin/bulk/wagtailcore/page/{action}/?" + "&".join(f"id={page.pk}" for page in pages)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("persona", ["editor", "coordinator of Yorkshire"])
def test_outsiders_are_not_told_a_groups_pages_exist(client, people, cumbria, action, persona):
    meeting = make_meeting(cumbria, title="Wombat strategy meeting")
    client.force_login(people[persona])
    for pages in [(cumbria,), (meeting,), (cumbria, meeting)]:
        response = client.get(bulk_url(action, *pages))
        assert response.status_code == 404, (action, persona, pages)
        body = response.content.decode()
        assert "Cumbria working group" not in body and "Wombat" not in body


@pytest.mark.parametrize("persona", ["coordinator of Cumbria", "administrator"])
def test_people_who_see_the_group_still_get_the_confirmation(client, people, cumbria, persona):
    meeting = make_meeting(cumbria, title="Wombat strategy meeting")
    client.force_login(people[persona])
    response = client.get(bulk_url("unpublish", meeting))
    assert response.status_code == 200
    assert "Wombat strategy meeting" in main_text(response)
