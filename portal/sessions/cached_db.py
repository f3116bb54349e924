"""Sessions read from the shared cache (Redis) and kept in the database too, written when
they change or at most once a minute."""

from django.contrib.sessions.backends import cached_db

from portal.auth import kept_person_keys, note_kept_person

from . import WriteWhenChangedMixin


class SessionStore(WriteWhenChangedMixin, cached_db.SessionStore):
    def load(self):
        """The session, and in the same round trip the person kept beside it (portal.auth)."""
        keys = [self.cache_key, *kept_person_keys(self.session_key)]
        try:
            found = self._cache.get_many(keys)
        except Exception:  # As Django's own: an unreadable key loads the session afresh.
            found = {}
        note_kept_person(self.session_key, found)
        data = found.get(keys[0])
        return super().load() if data is None else data
