"""Log formatting that cannot be used to forge log lines."""

import logging
import re

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def escape_control_characters(text):
    """Show newlines, escape sequences and other control characters as visible escapes."""
    return CONTROL_CHARACTERS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class EscapingFormatter(logging.Formatter):
    """Escapes control characters in the message (request paths, user agents…), so a
    crafted value cannot start a new log line or colour a terminal. Tracebacks, which
    are the server's own text, keep their line breaks."""

    def formatMessage(self, record):
        return escape_control_characters(super().formatMessage(record))
