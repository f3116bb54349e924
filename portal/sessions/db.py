"""Sessions in the database, written when they change or at most once a minute."""

from django.contrib.sessions.backends import db

from . import WriteWhenChangedMixin


class SessionStore(WriteWhenChangedMixin, db.SessionStore):
    pass
