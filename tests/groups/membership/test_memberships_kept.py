"""A member's memberships are kept with their person where people are kept
(portal.auth.kept_with_person, groups.permissions.request_memberships): a members' page
asks the database nothing about who they are or which groups they belong to, and any
change to a membership counts on the very next request."""

import pytest

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from groups.membership.services import membership_leave, membership_suspend
from groups.models import Membership
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_a_members_page_asks_nothing_about_the_person_or_their_memberships(client, cumbria, people_kept):
    client.force_login(make_member(cumbria))
    with CaptureQueriesContext(connection) as first:
        assert client.get(cumbria.url).status_code == 200
    with CaptureQueriesContext(connection) as again:
        assert client.get(cumbria.url).status_code == 200
    membership_table = f'"{Membership._meta.db_table}"'
    assert any(membership_table in query["sql"] for query in first.captured_queries)
    assert not any(membership_table in query["sql"] for query in again.captured_queries)


def suspend(membership):
    membership_suspend(membership=membership)


def leave(membership):
    membership_leave(membership=membership)


def suspend_by_saving(membership):
    membership.status = Membership.Status.SUSPENDED
    membership.save()


def delete(membership):
    membership.delete()


@pytest.mark.parametrize("change", [suspend, leave, suspend_by_saving, delete])
def test_a_membership_ended_counts_on_the_next_request(client, cumbria, people_kept, change):
    member = make_member(cumbria)
    make_member(cumbria, role="coordinator")  # so that the member is not the last coordinator
    client.force_login(member)
    assert client.get(cumbria.url).status_code == 200
    assert client.get(cumbria.url).status_code == 200  # and now kept
    change(member.memberships.get())
    assert client.get(cumbria.url).status_code in (302, 404)  # signed out (left), or not theirs


def test_a_membership_added_counts_on_the_next_request(client, cumbria, yorkshire, people_kept):
    member = make_member(cumbria)
    client.force_login(member)
    assert client.get(yorkshire.url).status_code == 404
    make_member(yorkshire, user=member)
    assert client.get(yorkshire.url).status_code == 200


def test_memberships_forgotten_within_a_request_are_read_again(cumbria, people_kept):
    """After changing memberships within a request, `forget_memberships` makes the next
    check read them afresh, kept or not."""
    from django.contrib.auth import get_user
    from django.http import HttpRequest

    from groups.permissions import active_membership_of, forget_memberships
    from portal.sessions.cached_db import SessionStore

    member = make_member(cumbria)
    client = Client()
    client.force_login(member)
    client.get(cumbria.url)  # the memberships now kept

    request = HttpRequest()
    request.session = SessionStore(client.session.session_key)
    user = get_user(request)
    assert active_membership_of(user, cumbria) is not None
    member.memberships.get().delete()
    forget_memberships(user)
    assert active_membership_of(user, cumbria) is None
