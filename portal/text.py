"""Plain text from the HTML of rich text, for search snippets and page descriptions."""

import re

from django.utils.html import strip_tags

# Tags that end a paragraph, line or cell: their text is separated by a space, so that
# "<p>evening.</p><p>Most approaches" does not read "evening.Most approaches".
BLOCK_BOUNDARY_RE = re.compile(
    r"<(?:/?(?:p|div|li|ul|ol|h[1-6]|blockquote|td|th|tr|table|section)\b[^>]*|br\s*/?)>", re.I
)


def plain_text(html: str | None) -> str:
    """The words of an HTML fragment, with a space wherever one block of text ends."""
    return " ".join(strip_tags(BLOCK_BOUNDARY_RE.sub(" ", html or "")).split())
