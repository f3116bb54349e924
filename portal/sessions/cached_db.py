"""Sessions read from the shared cache (Redis) and kept in the database too, written when
they change or at most once a minute."""

from django.contrib.sessions.backends import cached_db

from . import WriteWhenChangedMixin


class SessionStore(WriteWhenChangedMixin, cached_db.SessionStore):
    pass
