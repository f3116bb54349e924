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

    def save(self, must_create=False):
        now = int(time.time())
        if not must_create and self.session_key is not None and not self.modified:
            saved_at = self._get_session().get(SAVED_AT_KEY)
            if isinstance(saved_at, int) and 0 <= now - saved_at < settings.SESSION_WRITE_EVERY_SECONDS:
                return
        self._get_session(no_load=must_create)[SAVED_AT_KEY] = now
        super().save(must_create)
