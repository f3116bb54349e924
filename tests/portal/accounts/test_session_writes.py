"""Sessions are renewed by each request without being written by each: a signed-in
request writes the session only when it changed, or when the last write is a minute
old; the idle and absolute timeouts still end it (portal.sessions)."""

import datetime

import pytest
import time_machine

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches

from portal.sessions import SAVED_AT_KEY
from tests.accounts import make_account, sign_in

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 12, 5, 9, 0, tzinfo=datetime.UTC)
ENGINES = ["portal.sessions.db", "portal.sessions.cached_db"]


@pytest.fixture(params=ENGINES)
def engine(request, settings):
    settings.SESSION_ENGINE = request.param
    return request.param


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def signed_in_administrator(engine, clock, client, home_page):
    user, secret = make_account(is_staff=True, is_superuser=True)
    sign_in(client, user, secret)
    assert client.get("/admin/").status_code == 200
    return user


def stored(client):
    """The session as last written: its database row's expiry and its data."""
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    row = Session.objects.get(session_key=key)
    return row.expire_date, row.get_decoded()


def test_the_settings_choose_a_store_that_writes_when_changed():
    assert settings.SESSION_ENGINE in ENGINES
    assert settings.SESSION_WRITE_EVERY_SECONDS == 60


@pytest.mark.parametrize("path", ["/", "/admin/"])
def test_a_signed_in_request_within_a_minute_does_not_write_the_session(client, signed_in_administrator, clock, path):
    before = stored(client)
    clock.shift(datetime.timedelta(seconds=59))

    response = client.get(path)

    assert response.status_code == 200
    assert stored(client) == before
    # The browser's cookie is still sent back (sign-in makes it a browser-session cookie).
    assert response.cookies[settings.SESSION_COOKIE_NAME].value == client.cookies[settings.SESSION_COOKIE_NAME].value


def test_a_request_a_minute_after_the_last_write_renews_the_stored_session(client, signed_in_administrator, clock):
    expire_date, _ = stored(client)
    clock.shift(datetime.timedelta(seconds=61))

    assert client.get("/").status_code == 200

    renewed, data = stored(client)
    assert renewed == expire_date + datetime.timedelta(seconds=61)
    assert data[SAVED_AT_KEY] == int(START.timestamp()) + 61


def test_a_changed_session_is_written_at_once(client, signed_in_administrator, clock):
    clock.shift(datetime.timedelta(seconds=5))
    session = client.session
    session["portal_test_value"] = "changed"
    session.save()

    assert stored(client)[1]["portal_test_value"] == "changed"


def test_the_cached_db_store_keeps_a_copy_in_the_shared_cache(client, signed_in_administrator, clock, engine):
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    cached = caches[settings.SESSION_CACHE_ALIAS].get(f"django.contrib.sessions.cached_db{key}")

    assert cached == (stored(client)[1] if engine == "portal.sessions.cached_db" else None)


def test_an_idle_session_still_ends_after_thirty_minutes(client, signed_in_administrator, clock):
    clock.shift(datetime.timedelta(minutes=10))
    assert client.get("/admin/").status_code == 200  # written: the last write was 10 minutes ago
    clock.shift(datetime.timedelta(minutes=25))
    assert client.get("/admin/").status_code == 200  # 35 minutes after sign-in, 25 idle
    clock.shift(datetime.timedelta(seconds=30))
    assert client.get("/admin/").status_code == 200  # not written: 30 seconds since the last write

    clock.shift(datetime.timedelta(minutes=30))

    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_active_session_still_ends_at_the_absolute_limit(client, signed_in_administrator, clock):
    elapsed = datetime.timedelta()
    step = datetime.timedelta(minutes=20)
    while elapsed + step <= datetime.timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS):
        clock.shift(step)
        elapsed += step
        assert client.get("/admin/").status_code == 200

    clock.shift(datetime.timedelta(minutes=1))

    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_the_async_store_skips_the_write_too(signed_in_administrator, client, clock, engine, monkeypatch):
    import asyncio
    from importlib import import_module

    store_class = import_module(engine).SessionStore
    writes = []

    async def write(self, must_create=False):
        writes.append(must_create)

    monkeypatch.setattr(store_class.__mro__[2], "asave", write)  # the Django store under the mixin
    store = store_class(client.cookies[settings.SESSION_COOKIE_NAME].value)
    store._get_session()  # loaded here: an async load would read the database from another thread

    clock.shift(datetime.timedelta(seconds=30))
    asyncio.run(store.asave())
    assert writes == []

    clock.shift(datetime.timedelta(seconds=31))
    asyncio.run(store.asave())
    assert writes == [False]
