"""How a signed-in person is loaded for each request.

Every signed-in request loads the person from their session, and nearly every one then
asks whether they have an authenticator (portal.middleware.MFARequiredMiddleware). Both
are answered by one query here rather than two, which also says which Django groups the
person is in (for the members' area's page view restrictions, home.frame). The user
object lives for one request, and says so (`loaded_for_request`), so per-request reads
may be kept on it (see groups.permissions).

The query is written once, as SQL: building and compiling it through the ORM on every
request cost more CPU than anything else a signed-in request does before its view.

Where the shared cache is Redis (settings.AUTH_USER_CACHE_SECONDS above 0), what the query
answers is kept beside the session for a minute and read with it, in the session's one
round trip to Redis (portal.sessions.cached_db): a signed-in request that needs nothing
else from the database then asks it nothing (nor runs the connection's health check). A
kept person counts only under the generation token they were kept with, and every change
that could alter any answer replaces the token, for every app server at once: a save or
deletion of a person or an authenticator, a change to anyone's groups (from either side),
a group's deletion. People change rarely (a sign-in, an edit), so retiring everyone kept
costs each active person one query. A change made behind the ORM's back (SQL, or
`QuerySet.update()` in a shell) shows within the minute; the admin's bulk actions save
each person (portal.wagtail_hooks). The password's hash is never kept (`_keepable`).
"""

import copy
import uuid
import zlib
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.mfa.models import Authenticator

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache as shared_cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils.crypto import salted_hmac

# The kinds of authenticator that count as MFA being set up (recovery codes alone do not).
MFA_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


# Each database's way of joining the ids of the person's groups into one text column.
_GROUP_IDS_AGGREGATES = {
    "postgresql": "string_agg(CAST(g.{column} AS text), ',')",
    "sqlite": "group_concat(g.{column}, ',')",
}


@cache
def _user_sql():
    """SELECT every column of the user, whether they have MFA and, where the database can
    say it in one column, the ids of their groups, by primary key."""
    quote = connection.ops.quote_name
    user_model = get_user_model()
    columns = ", ".join(f"u.{quote(field.column)}" for field in user_model._meta.concrete_fields)
    user_table, pk = quote(user_model._meta.db_table), quote(user_model._meta.pk.column)
    mfa_table = quote(Authenticator._meta.db_table)
    mfa_user = quote(Authenticator._meta.get_field("user").column)
    mfa_type = quote(Authenticator._meta.get_field("type").column)
    types = ", ".join(["%s"] * len(MFA_TYPES))
    groups = user_model._meta.get_field("groups").remote_field.through._meta
    aggregate = _GROUP_IDS_AGGREGATES.get(connection.vendor)
    group_ids = ""
    if aggregate:
        group_column = quote(groups.get_field("group").column)
        group_user = quote(groups.get_field("user").column)
        group_ids = (
            f", (SELECT {aggregate.format(column=group_column)} FROM {quote(groups.db_table)} g"  # noqa: S608
            f" WHERE g.{group_user} = u.{pk}) AS portal_group_id_list"
        )
    # Only quoted table and column names go into the text; every value is a parameter.
    return (
        f"SELECT {columns}, EXISTS (SELECT 1 FROM {mfa_table} a"  # noqa: S608
        f" WHERE a.{mfa_user} = u.{pk} AND a.{mfa_type} IN ({types})) AS portal_has_mfa{group_ids}"
        f" FROM {user_table} u WHERE u.{pk} = %s"
    )


def _load_user(user_id):
    """The person with `user_id` from the database, with `portal_has_mfa` and, where the
    database can say it, `portal_group_ids`; None if there is none."""
    user_model = get_user_model()
    found = list(user_model._default_manager.raw(_user_sql(), [*MFA_TYPES, user_id]))
    if not found:
        return None
    user = found[0]
    user.portal_has_mfa = bool(user.portal_has_mfa)  # SQLite answers 0 or 1
    if hasattr(user, "portal_group_id_list"):
        # For the members' area's view restrictions (home.frame.user_group_ids).
        listed = user.__dict__.pop("portal_group_id_list") or ""
        user.portal_group_ids = frozenset(int(pk) for pk in str(listed).split(",") if pk)
    return user


def _cache_seconds() -> int:
    return getattr(settings, "AUTH_USER_CACHE_SECONDS", 0)


# The token that every kept person is checked against; any change to anyone replaces it.
GENERATION_KEY = "portal.auth.generation"


@cache
def _person_key_prefix() -> str:
    # The query's text is in the key, so a release that loads other columns never reads
    # what an earlier one kept; so is a tag of the secret key (which signs the session's
    # check of the password), so a new secret key never trusts what the old one kept.
    secret_tag = salted_hmac("portal.auth.kept", "person").hexdigest()[:8]
    return f"portal.auth.person:{zlib.crc32(_user_sql().encode()):08x}:{secret_tag}:"


def _keepable(user):
    """A copy of `user` to keep in the shared cache, without the password's hash: nobody who
    can read the cache should be able to collect the hashes. The copy's password is a
    deferred field, read from the database only if something asks for it (changing the
    password, say); the session's check of it uses the keyed hash kept beside it."""
    keepable = copy.copy(user)
    keepable.__dict__ = {name: value for name, value in user.__dict__.items() if name != "password"}
    return keepable, user.get_session_auth_hash()


class _SessionAuthHash:
    """`get_session_auth_hash` for a kept person, whose password was not kept: the hash kept
    beside them while their password is not loaded, and the real one once it is (read, or
    set anew). A class, not a closure, so that the person can still be pickled."""

    def __init__(self, user, kept_hash):
        self.user, self.kept_hash = user, kept_hash

    def __call__(self):
        if "password" in self.user.__dict__:
            return type(self.user).get_session_auth_hash(self.user)
        return self.kept_hash


# What else is kept beside the session with the person (`kept_with_person`), by name.
_KEPT_NAMES: list[str] = []


def kept_name(name: str) -> str:
    """Declare `name` as something kept with the person (see `kept_with_person`), so that it
    is read in the session's round trip too; returns `name`."""
    if name not in _KEPT_NAMES:
        _KEPT_NAMES.append(name)
    return name


def _kept_key(session_key: str, name: str | None = None) -> str:
    return f"{_person_key_prefix()}{name}:{session_key}" if name else _person_key_prefix() + session_key


def kept_person_keys(session_key: str) -> list[str]:
    """The shared cache's keys to read with the session `session_key`, in the same round
    trip (portal.sessions.cached_db): the person kept beside it, the generation, and what
    else is kept with the person."""
    return [_kept_key(session_key), GENERATION_KEY, *(_kept_key(session_key, name) for name in _KEPT_NAMES)]


@dataclass(frozen=True)
class _Kept:
    session_key: str
    generation: str | None
    person: tuple | None  # (generation, user without the password, session auth hash) as stored
    extras: dict  # name: (generation, user id, value) as stored


# What the session being loaded for this request found beside it.
_kept: ContextVar[_Kept | None] = ContextVar("portal_auth_kept", default=None)


def note_kept_person(session_key: str, found: dict) -> None:
    """Called by the session store with what its read found under `kept_person_keys`."""
    extras = {name: found.get(_kept_key(session_key, name)) for name in _KEPT_NAMES}
    _kept.set(_Kept(session_key, found.get(GENERATION_KEY), found.get(_kept_key(session_key)), extras))


# On the request's user: (session key, generation, {name: value}) for `kept_with_person`.
_KEPT_ATTRIBUTE = "portal_kept"


def _request_user(user_id):
    """The person with `user_id`, from beside the request's session when kept there and
    nothing about anyone has changed since; else from the database, and kept."""
    kept = _kept.get()
    _kept.set(None)  # for this load only
    seconds = _cache_seconds()
    if seconds <= 0 or kept is None:
        return _load_user(user_id)
    if kept.person is not None and kept.generation is not None:
        generation, user, session_auth_hash = kept.person
        if generation == kept.generation and user.pk == user_id:
            # The password was not kept (`_keepable`): the session's check reads this.
            user.get_session_auth_hash = _SessionAuthHash(user, session_auth_hash)
            extras = {
                name: stored[2]
                for name, stored in kept.extras.items()
                if stored is not None and stored[:2] == (generation, user_id)
            }
            setattr(user, _KEPT_ATTRIBUTE, (kept.session_key, generation, extras))
            return user
    generation = kept.generation
    if generation is None:
        generation = uuid.uuid4().hex
        if not shared_cache.add(GENERATION_KEY, generation, timeout=None):
            return _load_user(user_id)  # another request set it first: keep nothing now
    user = _load_user(user_id)
    if user is not None:
        shared_cache.set(_kept_key(kept.session_key), (generation, *_keepable(user)), seconds)
        setattr(user, _KEPT_ATTRIBUTE, (kept.session_key, generation, {}))
    return user


def kept_with_person(user, name: str, load: Callable[[], object]):
    """Something about the signed-in `user` that changes only when people do (their
    memberships, say), kept beside their session with the person and under the same
    generation, so any change that calls `people_changed` retires it with them. Declared
    with `kept_name`, it is read in the session's round trip. `load()` answers when nothing
    is kept, and always for a user object that is not a request's. The app whose data it
    is calls `people_changed` when that data changes."""
    kept = getattr(user, _KEPT_ATTRIBUTE, None)
    if kept is None:
        return load()
    session_key, generation, extras = kept
    if name not in extras:
        extras[name] = load()
        shared_cache.set(_kept_key(session_key, name), (generation, user.pk, extras[name]), _cache_seconds())
    return extras[name]


def forget_kept(user, name: str) -> None:
    """Drop what `kept_with_person` answered for `name` within this request (after changing
    it): the next ask loads it afresh."""
    kept = getattr(user, _KEPT_ATTRIBUTE, None)
    if kept is not None:
        kept[2].pop(name, None)


def people_changed() -> None:
    """Retire every kept person (something about someone changed): now, and again once the
    change is committed, since a request reading the database in between would keep what
    it read before the change, against the generation of the moment.

    Done whatever this process's AUTH_USER_CACHE_SECONDS says: the servers reading the
    shared cache may keep people even where this one (a worker, a shell) does not."""
    shared_cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    transaction.on_commit(lambda: shared_cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None))


class AuthenticationBackend(AllauthBackend):
    """allauth's backend, loading the user with whether they have set up MFA."""

    def get_user(self, user_id):
        try:
            user_id = get_user_model()._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = _request_user(user_id)
        if user is None or not self.user_can_authenticate(user):
            return None
        user.loaded_for_request = True
        return user


# What clears a kept person: any change to what `_user_sql` reads.


@receiver(post_save, sender=get_user_model(), dispatch_uid="portal_auth_forget_saved_user")
@receiver(post_delete, sender=get_user_model(), dispatch_uid="portal_auth_forget_deleted_user")
@receiver(post_save, sender=Authenticator, dispatch_uid="portal_auth_forget_saved_authenticator")
@receiver(post_delete, sender=Authenticator, dispatch_uid="portal_auth_forget_deleted_authenticator")
# Deleting a group deletes its memberships with no m2m_changed.
@receiver(post_delete, sender=Group, dispatch_uid="portal_auth_forget_deleted_group_members")
def _forget_people(sender, **kwargs):
    people_changed()


@receiver(m2m_changed, sender=get_user_model().groups.through, dispatch_uid="portal_auth_forget_group_members")
def _forget_group_members(sender, action, **kwargs):
    """Someone's groups changed, from the person's side (`user.groups.add`) or the
    group's (`group.user_set.remove`)."""
    if action in ("post_add", "post_remove", "post_clear"):
        people_changed()


def has_mfa(user):
    """Whether `user` has a TOTP or WebAuthn authenticator: from the sign-in load when
    there was one, else asked now."""
    known = getattr(user, "portal_has_mfa", None)
    if known is not None:
        return known
    return Authenticator.objects.filter(user=user, type__in=MFA_TYPES).exists()
