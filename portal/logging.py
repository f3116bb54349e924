"""Log formatting that cannot be used to forge log lines."""

import logging
import re

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def escape_control_characters(text):
    """Show newlines, escape sequences and other control characters as visible escapes."""
    return CONTROL_CHARACTERS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class QuietLoggersFilter(logging.Filter):
    """Drops the records below WARNING of the named loggers (and their children): those
    that write a line for every task run or page change (settings.QUIET_LOGGERS). On the
    handler rather than as logger levels, because `db_worker` sets its own loggers' levels
    (to INFO, at its default verbosity) after the settings have been read."""

    def __init__(self, loggers=()):
        super().__init__()
        self.names = tuple(loggers)
        self.prefixes = tuple(f"{name}." for name in self.names)

    def filter(self, record):
        if record.levelno >= logging.WARNING or not self.names:
            return True
        return record.name not in self.names and not record.name.startswith(self.prefixes)


class EscapingFormatter(logging.Formatter):
    """Escapes control characters in the message (request paths, user agents…), so a
    crafted value cannot start a new log line or colour a terminal. Tracebacks, which
    are the server's own text, keep their line breaks."""

    def formatMessage(self, record):
        return escape_control_characters(super().formatMessage(record))


# A %-style placeholder, and whether it is a quoted title ("%s") or a page path (path=%s).
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa%]")
WITHHELD = "[withheld]"


class NoPageTitlesFilter(logging.Filter):
    """Wagtail logs each page's title (and its path, made from the title) when a page is
    created, edited, published, moved, copied or deleted: a working group's meeting or
    summary titles are members' words, and do not belong in server logs. The title and
    path arguments of Wagtail's records are replaced; the ids that remain are enough to
    find the page in the admin."""

    def filter(self, record):
        if not record.name.startswith("wagtail") or not isinstance(record.msg, str) or not record.args:
            return True
        args = record.args if isinstance(record.args, tuple) else None
        if args is None:
            return True
        redacted, index = list(args), 0
        for match in PLACEHOLDER.finditer(record.msg):
            if match.group() == "%%":
                continue
            before = record.msg[: match.start()]
            if index < len(redacted) and (before.endswith('"') or before.endswith("path=")):
                redacted[index] = WITHHELD
            index += 1
        record.args = tuple(redacted)
        return True
