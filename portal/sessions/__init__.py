"""Session stores that renew a session without writing it on every request.

Django renews a session on each request (SESSION_SAVE_EVERY_REQUEST), which is how the
idle timeout works: every request used to write the session back, a database UPDATE (or a
Redis SET) per signed-in page view. These stores write a session when its data changed,
and otherwise only when the last write is at least SESSION_WRITE_EVERY_SECONDS old. An
idle session therefore ends between SESSION_COOKIE_AGE minus that interval and
SESSION_COOKIE_AGE after its last request; the absolute limit is checked on every
request by portal.middleware.SessionTimeoutMiddleware, from a time kept in the session.

Use `portal.sessions.db` (the database) or `portal.sessions.cached_db` (read from the
shared cache first, e.g. Redis; written to both) as SESSION_ENGINE.
"""

import time

from django.conf import settings

# When the session was last written, in whole seconds since the epoch.
SAVED_AT_KEY = "_portal_session_saved_at"


class WriteWhenChangedMixin:
    """save() writes only a new or changed session, or one last written a while ago."""

    def _may_skip(self, must_create):
        return not must_create and self.session_key is not None and not self.modified

    def _written_lately(self, data, now):
        saved_at = data.get(SAVED_AT_KEY)
        return isinstance(saved_at, int) and 0 <= now - saved_at < settings.SESSION_WRITE_EVERY_SECONDS

    def save(self, must_create=False):
        now = int(time.time())
        if self._may_skip(must_create) and self._written_lately(self._get_session(), now):
            return
        self._get_session(no_load=must_create)[SAVED_AT_KEY] = now
        super().save(must_create)

    async def asave(self, must_create=False):
        now = int(time.time())
        if self._may_skip(must_create) and self._written_lately(await self._aget_session(), now):
            return
        (await self._aget_session(no_load=must_create))[SAVED_AT_KEY] = now
        await super().asave(must_create)
