"""A signed-in request loads the person and whether they have MFA in one query
(portal.auth), and a lost authenticator still sends them to set one up."""

from importlib import import_module

import pytest
from allauth.mfa.models import Authenticator

from django.conf import settings
from django.contrib.auth import get_user, get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.auth import GENERATION_KEY, kept_person_keys
from tests.accounts import PASSWORD, make_account, sign_in
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_the_person_and_their_mfa_in_one_query(client, cumbria, django_assert_max_num_queries):
    client.force_login(make_member(cumbria))
    with django_assert_max_num_queries(30) as captured:
        assert client.get("/members/").status_code == 200
    sql = [query["sql"] for query in captured.captured_queries]
    assert len([query for query in sql if '"mfa_authenticator"' in query]) == 1
    assert any('FROM "auth_user"' in query and '"mfa_authenticator"' in query for query in sql)


def test_an_authenticator_removed_is_noticed_on_the_next_request(client, cumbria):
    member = make_member(cumbria)
    client.force_login(member)
    assert client.get("/members/").status_code == 200
    Authenticator.objects.filter(user=member).delete()
    response = client.get("/members/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate")


# The person kept beside the session (settings.AUTH_USER_CACHE_SECONDS) --------------------


def session_of(user):
    """The key of a new session of `user`'s, as signing in makes one."""
    client = Client()
    client.force_login(user)
    return client.session.session_key


def seen(session_key):
    """Whom a request with this session is signed in as, loaded as the request loads them."""
    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    return get_user(request)


def described(user):
    """What the kept person answers for: None when nobody is signed in."""
    if not user.is_authenticated:
        return None
    return (user.pk, user.first_name, user.portal_has_mfa, getattr(user, "portal_group_ids", None))


def person_queries(captured):
    return [query["sql"] for query in captured.captured_queries if 'FROM "auth_user" u' in query["sql"]]


def test_a_kept_person_costs_the_next_request_no_query_about_them(client, cumbria, people_kept):
    client.force_login(make_member(cumbria))
    with CaptureQueriesContext(connection) as first:
        assert client.get("/members/").status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get("/members/").status_code == 200
    assert len(person_queries(first)) == 1
    assert person_queries(second) == []


def test_without_the_setting_each_request_loads_the_person(client, cumbria, people_kept):
    people_kept.AUTH_USER_CACHE_SECONDS = 0
    client.force_login(make_member(cumbria))
    client.get("/members/")
    with CaptureQueriesContext(connection) as again:
        assert client.get("/members/").status_code == 200
    assert len(person_queries(again)) == 1


def rename(user):
    user.first_name = "Renamed"
    user.save(update_fields=["first_name"])


def switch_off(user):
    user.is_active = False
    user.save(update_fields=["is_active"])


def delete(user):
    user.delete()


def drop_authenticators(user):
    Authenticator.objects.filter(user=user).delete()


def drop_authenticator_one_by_one(user):
    for authenticator in Authenticator.objects.filter(user=user):
        authenticator.delete()


def join_from_the_person(user):
    user.groups.add(Group.objects.create(name="Joined"))


def join_from_the_group(user):
    Group.objects.create(name="Joined").user_set.add(user)


def leave_from_the_person(user):
    user.groups.remove(*user.groups.all())


def leave_from_the_group(user):
    for group in user.groups.all():
        group.user_set.remove(user)


def clear_from_the_person(user):
    user.groups.clear()


def clear_from_the_group(user):
    for group in user.groups.all():
        group.user_set.clear()


def set_from_the_person(user):
    user.groups.set([Group.objects.create(name="Instead")])


def delete_the_group(user):
    user.groups.all().delete()


@pytest.mark.parametrize(
    "change",
    [
        rename,
        switch_off,
        delete,
        drop_authenticators,
        drop_authenticator_one_by_one,
        join_from_the_person,
        join_from_the_group,
        leave_from_the_person,
        leave_from_the_group,
        clear_from_the_person,
        clear_from_the_group,
        set_from_the_person,
        delete_the_group,
    ],
)
def test_every_change_to_what_is_kept_shows_on_the_next_request(cumbria, people_kept, change):
    member = make_member(cumbria)
    session = session_of(member)
    before = described(seen(session))  # and now kept
    change(member)
    after = described(seen(session))
    people_kept.AUTH_USER_CACHE_SECONDS = 0
    assert after == described(seen(session))  # as the database says
    assert after != before


def test_a_change_behind_the_orms_back_shows_within_the_minute(cumbria, people_kept, time_machine):
    member = make_member(cumbria)
    time_machine.move_to(timezone.now(), tick=False)
    session = session_of(member)
    seen(session)
    get_user_model().objects.filter(pk=member.pk).update(first_name="Renamed")  # no signal
    time_machine.shift(59)
    assert seen(session).first_name != "Renamed"
    time_machine.shift(2)
    assert seen(session).first_name == "Renamed"


def test_what_another_request_kept_before_the_commit_is_retired_by_it(
    cumbria, people_kept, django_capture_on_commit_callbacks
):
    member = make_member(cumbria)
    session = session_of(member)
    stale = seen(session)
    with django_capture_on_commit_callbacks() as on_commit:
        rename(member)
        # Another request, which read the database before the change committed, keeps
        # what it read under the generation of the moment.
        cache.set(kept_person_keys(session)[0], (cache.get(GENERATION_KEY), stale, stale.get_session_auth_hash()), 60)
    assert seen(session).first_name == stale.first_name
    for callback in on_commit:
        callback()  # the commit
    assert seen(session).first_name == "Renamed"


def test_a_person_kept_beside_one_session_is_never_anothers(cumbria, people_kept):
    first, second = (make_member(cumbria) for _ in range(2))
    first_session, second_session = session_of(first), session_of(second)
    assert seen(first_session).pk == first.pk
    first_person = seen(first_session)
    kept = (cache.get(GENERATION_KEY), first_person, first_person.get_session_auth_hash())
    cache.set(kept_person_keys(second_session)[0], kept, 60)
    assert seen(second_session).pk == second.pk


def test_no_password_hash_is_kept_in_the_shared_cache(cumbria, people_kept):
    member = make_member(cumbria)
    session = session_of(member)
    seen(session)
    _generation, kept_user, session_auth_hash = cache.get(kept_person_keys(session)[0])
    assert "password" not in kept_user.__dict__
    assert member.password not in repr(cache.get(kept_person_keys(session)[0]))
    assert session_auth_hash == member.get_session_auth_hash()
    # Still there for whatever asks for it (a password change, say): read from the database.
    assert seen(session).check_password(PASSWORD)


def test_changing_the_password_keeps_the_person_signed_in(client, home_page, people_kept):
    user, secret = make_account()
    sign_in(client, user, secret)
    assert client.get("/accounts/password/change/").status_code == 200  # and now kept
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "a new long passphrase", "password2": "a new long passphrase"},
    )
    assert response.status_code == 302
    assert client.get("/accounts/password/change/").status_code == 200  # still signed in
    user.refresh_from_db()
    assert user.check_password("a new long passphrase")


def test_a_change_made_where_people_are_not_kept_still_retires_them(cumbria, people_kept):
    """A worker or a shell whose AUTH_USER_CACHE_SECONDS is 0 shares the cache with servers
    that keep people: its changes must retire them there too."""
    member = make_member(cumbria)
    session = session_of(member)
    seen(session)
    people_kept.AUTH_USER_CACHE_SECONDS = 0
    rename(member)
    people_kept.AUTH_USER_CACHE_SECONDS = 60
    assert seen(session).first_name == "Renamed"
