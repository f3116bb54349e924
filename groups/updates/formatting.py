"""Safe, limited formatting for text members write (an update's body).

Everything is escaped first; the only markup ever produced is paragraphs (a blank line),
line breaks, bulleted lists (lines starting "- ") and links for https addresses. No
HTML a member types can survive, so there is nothing to sanitise and no new dependency.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.html import escape
from django.utils.safestring import mark_safe

# An https address up to the first space, quote or angle bracket; trailing punctuation
# that usually ends the sentence rather than the address is left out of the link.
URL_RE = re.compile(r"https://[^\s<>\"'`]+", re.IGNORECASE)
TRAILING_PUNCTUATION = ".,;:!?)]}*"
LINK_REL = "nofollow noopener noreferrer"
BULLET = "- "
validate_https_url = URLValidator(schemes=["https"])


def _link(url):
    trailing = ""
    while url and url[-1] in TRAILING_PUNCTUATION:
        # Keep a closing bracket that closes one opened inside the address.
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        trailing = url[-1] + trailing
        url = url[:-1]
    try:
        validate_https_url(url)
    except ValidationError:  # "https://[" and the like stay text
        return escape(url + trailing)
    return f'<a class="govuk-link" href="{escape(url)}" rel="{LINK_REL}">{escape(url)}</a>{escape(trailing)}'


def _inline(text):
    """Escape a line, turning each https address into a link."""
    parts, position = [], 0
    for match in URL_RE.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(_link(match.group()))
        position = match.end()
    parts.append(escape(text[position:]))
    return "".join(parts)


def _blocks(text):
    """Runs of non-blank lines, split by blank lines."""
    block = []
    for line in text.splitlines():
        if line.strip():
            block.append(line.strip())
        elif block:
            yield block
            block = []
    if block:
        yield block


def format_plain_text(text):
    """`text` as safe HTML: paragraphs, line breaks, "- " bullet lists and https links."""
    html = []
    for block in _blocks(text or ""):
        # Within a block, consecutive bullet lines make a list and other lines a paragraph.
        run, run_is_list = [], None
        for line in [*block, None]:
            is_list = line is not None and line.startswith(BULLET) and bool(line[len(BULLET) :].strip())
            if run and (line is None or is_list != run_is_list):
                if run_is_list:
                    items = "".join(f"<li>{_inline(item[len(BULLET) :].strip())}</li>" for item in run)
                    html.append(f'<ul class="govuk-list govuk-list--bullet">{items}</ul>')
                else:
                    html.append('<p class="govuk-body">' + "<br>".join(_inline(item) for item in run) + "</p>")
                run = []
            if line is not None:
                run.append(line)
                run_is_list = is_list
    return mark_safe("".join(html))  # every piece of the input was escaped above
