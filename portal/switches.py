"""A per-thread switch that is on inside `with` blocks, which nest: how the demo loader
and imports mute what would otherwise tell people about made-up or past content
(`groups.notifications.services.notifications_muted`, `portal.mail.admin_mail_muted`)."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class ThreadSwitch:
    """On within `with switch.on():` in this thread only; blocks nest."""

    def __init__(self) -> None:
        self._local = threading.local()

    @contextmanager
    def on(self) -> Iterator[None]:
        depth = getattr(self._local, "depth", 0)
        self._local.depth = depth + 1
        try:
            yield
        finally:
            self._local.depth = depth

    def is_on(self) -> bool:
        return getattr(self._local, "depth", 0) > 0
