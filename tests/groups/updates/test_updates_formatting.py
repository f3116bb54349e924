"""Security row I01 for the formatting of updates: whatever a member types, the only
markup that comes out is paragraphs, line breaks, bullet lists and https links."""

import html
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from groups.updates.formatting import LINK_REL, format_plain_text
from tests.hypothesis_profiles import scaled

ALLOWED = {"p": {"class"}, "br": set(), "ul": {"class"}, "li": set(), "a": {"class", "href", "rel"}}

# Pieces of known attacks, mixed with text, newlines and https addresses by hypothesis.
ATTACKS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "<a href='javascript:alert(1)'>x</a>",
    'https://example.org/"onmouseover=alert(1)',
    "https://example.org/'><script>alert(1)</script>",
    'https://"><script>',
    "&lt;script&gt;",
    "&#60;script&#62;",
    "<<script>script>",
    "<iframe src=//evil>",
    "</p><p onclick=x>",
    "- <b>bold</b>",
    "\x00",
    "`${alert(1)}`",
    "https://example.org/path?a=1&b=<2>",
]
pieces = st.one_of(
    st.sampled_from(ATTACKS),
    st.text(max_size=30),
    st.sampled_from(["\n", "\n\n", "- ", "\r\n", "https://", "https://example.org/x"]),
)
texts = st.lists(pieces, max_size=12).map("".join)


def assert_only_allowed_markup(output):
    tree = BeautifulSoup(output, "html.parser")
    for tag in tree.find_all(True):
        assert tag.name in ALLOWED, tag
        assert set(tag.attrs) <= ALLOWED[tag.name], tag
        assert not any(name.startswith("on") for name in tag.attrs)
        if tag.name == "a":
            assert tag["href"].lower().startswith("https://")
            assert urlsplit(tag["href"]).hostname
            assert tag["rel"] == LINK_REL.split()


@settings(max_examples=scaled(5))
@given(texts)
def test_nothing_typed_becomes_markup(text):
    output = str(format_plain_text(text))
    assert_only_allowed_markup(output)
    assert "<script" not in output.lower()


@settings(max_examples=scaled(3))
@given(texts)
def test_every_character_typed_is_still_there(text):
    """Escaping, not stripping: the reader sees what was typed (less the list markers and spacing)."""
    shown = BeautifulSoup(str(format_plain_text(text)), "html.parser").get_text()
    typed = "".join(line.strip().removeprefix("- ") for line in text.splitlines())
    assert "".join(shown.split()) == "".join(typed.split())


def test_paragraphs_line_breaks_and_lists():
    text = "First line\nsecond line\n\n- one\n- two\n\nAfter the list"
    assert str(format_plain_text(text)) == (
        '<p class="govuk-body">First line<br>second line</p>'
        '<ul class="govuk-list govuk-list--bullet"><li>one</li><li>two</li></ul>'
        '<p class="govuk-body">After the list</p>'
    )


def test_https_addresses_become_links_without_the_full_stop():
    output = str(format_plain_text("See https://www.ceop.police.uk/safety-centre/. Thanks"))
    link = BeautifulSoup(output, "html.parser").a
    assert link["href"] == "https://www.ceop.police.uk/safety-centre/"
    assert link["rel"] == ["nofollow", "noopener", "noreferrer"]
    assert output.endswith("</a>. Thanks</p>")


def test_other_schemes_stay_text():
    for text in ("http://example.org", "javascript:alert(1)", "ftp://example.org", "www.example.org"):
        assert "<a" not in str(format_plain_text(text))


def test_quotes_cannot_leave_the_href():
    output = str(format_plain_text('https://example.org/"onmouseover="alert(1)'))
    link = BeautifulSoup(output, "html.parser").a
    assert set(link.attrs) == {"class", "href", "rel"}
    assert html.unescape(output).count("onmouseover") == 1


def test_empty_text():
    assert format_plain_text("") == ""
    assert format_plain_text(None) == ""
