"""The personal-data screen stays linear on hostile input: a structural check, then a plain run.

No timed assertion: a regex that backtracks catastrophically would make the plain run
hang, and the structural checks explain why none does. Every pattern's longest possible
match is bounded, so each attempt at a position does a bounded amount of work whatever
the text, and a scan is linear in the length of the text.
"""

import inspect
import re
import re._parser as regex_parser

import pytest

from portal import pii

LONGEST_MATCH = 1000


def compiled_patterns():
    for name, value in vars(pii).items():
        if isinstance(value, re.Pattern):
            yield name, value
        elif isinstance(value, tuple) and value and all(isinstance(item, re.Pattern) for item in value):
            for index, pattern in enumerate(value):
                yield f"{name}[{index}]", pattern


def test_every_pattern_has_a_bounded_longest_match():
    patterns = dict(compiled_patterns())
    assert len(patterns) >= 20  # the review below really covers the module's patterns
    for name, pattern in patterns.items():
        _, longest = regex_parser.parse(pattern.pattern, pattern.flags).getwidth()
        assert longest <= LONGEST_MATCH, f"{name} can match {longest} characters"


def test_no_pattern_is_compiled_outside_the_reviewed_constants():
    source = inspect.getsource(pii)
    assert not re.search(r"\bre\.(search|match|fullmatch|sub|findall|finditer|split)\(", source)


HOSTILE = {
    "one long word": "a" * 100_000,
    "digits": "0" * 100_000,
    "spaced digits": "0 " * 50_000,
    "mobile prefixes": "07700 " * 17_000,
    "at signs": "@" * 100_000,
    "almost emails": "a@" * 50_000,
    "dots": "a." * 50_000,
    "dates without end": "12/" * 34_000,
    "dates": "12/03/2011 " * 9_000,
    "ages and dates": "aged 14 12 March 2011 " * 4_500,
    "birth words": "born DOB " * 11_000,
    "titles": "Mr " * 34_000,
    "names": "Grace " * 17_000,
    "possessives": "May's " * 17_000,
    "capitalised words": "Will Grace Hope Mark " * 5_000,
    "links": "instagram.com/" * 7_000,
    "handles": "@a" * 50_000,
    "postcode starts": "CA1 " * 25_000,
    "nhs starts": "943 476 " * 12_500,
    "hyphens": "-" * 100_000,
    "apostrophes": "O'" * 50_000,
    "newlines": "\n" * 100_000,
    "mixed": "Spoke to 07700 900123 re: DOB 12/03/11 @x CA1 1AA Mrs O'Brien. " * 1_600,
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_100_kb_hostile_text_is_screened(text):
    assert len(text) >= 95_000
    findings = pii.find_personal_data(text)
    assert isinstance(findings, list)
