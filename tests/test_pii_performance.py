"""The personal-data screen stays linear on hostile input: a structural check, then plain runs.

No timed assertion: a regex that backtracks catastrophically would make the plain run
hang, and the structural checks explain why none does. Every pattern's longest possible
match is bounded, so each attempt at a position does a bounded amount of work whatever
the text, and a scan is linear in the length of the text. For the detectors that scan
tokens and look around each candidate (addresses, schools, references, registrations,
handles after a platform's name, nicknames), the work is compared between a 256 KB and a
1 MB hostile text: four times the text must cost about four times the work, never the
sixteen times of a quadratic scan (a ratio, not a time, so a slow machine does not fail it).
"""

import inspect
import re
import re._parser as regex_parser
import time
from datetime import date

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
    "zero-width characters": "\u200b\u200d\u00ad" * 34_000,
    "non-breaking spaces": "\u00a0" * 100_000,
    "look-alike letters": "\u0430\u03bf" * 50_000,
    "numbers abroad": "+2 " * 34_000,
    "street words": "14 Road " * 12_500,
    "repeated the": "the " * 25_000,
    "school words": "Grace House Academy " * 5_000,
    "platforms": "Snapchat is " * 8_500,
    "long handles": ("a" * 10_000 + "_1 ") * 10,
    "references": "crime number CAD " * 6_000,
    "registrations": "YK19 van P1 AB " * 7_000,
    "nicknames": "known to his friends as " * 4_200,
    "days in words": "born the third of " * 5_600,
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_100_kb_hostile_text_is_screened(text):
    assert len(text) >= 95_000
    findings = pii.find_personal_data(text)
    assert isinstance(findings, list)


# Hostile texts for the detectors that look around each candidate: long runs of spaced
# digits, Title Case runs, repeated "the", long handles, repeated street and school words.
HOSTILE_UNITS = {
    "phone": ["7 ", "0 ", "+2 ", "0 7 7 0 "],
    "address": ["Ashgrove ", "Road ", "14 Road ", "14 Ashgrove Ashgrove Ashgrove Lane1 ", "lives at 1 ", "Flat 1 x "],
    "school": ["Grace House Academy ", "School ", "Dyke House ", "St Academy "],
    "case_reference": ["crime number ", "CAD ", "NE/2026/", "log 12 of "],
    "vehicle_registration": ["YK19 ", "van P1 AB ", "ABC 1 "],
    "social_media": ["a_", "Snapchat is ", "username ", "Discord x_1 ", "a" * 5_000 + "_1 "],
    "date_of_birth": ["third of ", "born the third of "],
    "name": ["the ", "The Henderson ", "known as ", "known to his friends as "],
}
CASES = [(kind, unit) for kind, units in HOSTILE_UNITS.items() for unit in units]


def _work(detect, text):
    """The least time of two runs of a detector: a stand-in for the steps it takes."""
    context = {"today": date(2026, 11, 1)}
    best = None
    for _ in range(2):
        started = time.perf_counter()
        detect(text, context)
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return best


@pytest.mark.parametrize(("kind", "unit"), CASES, ids=[f"{kind}:{unit[:20]!r}" for kind, unit in CASES])
def test_four_times_the_hostile_text_costs_about_four_times_the_work(kind, unit):
    detect = pii.DETECTORS[kind]
    small = pii.normalise(unit * (256_000 // len(unit)))
    large = pii.normalise(unit * (1_024_000 // len(unit)))
    assert len(large) >= 1_000_000
    ratio = _work(detect, large) / max(_work(detect, small), 1e-4)
    assert ratio < 10, f"{kind} on {unit[:20]!r}: 4x the text took {ratio:.1f}x the time"
