"""The personal-data screen stays linear on hostile input: a structural check, then plain runs.

No timed assertion: a regex that backtracks catastrophically would make the plain run
hang, and the structural checks explain why none does. Every pattern's longest possible
match is bounded, so each attempt at a position does a bounded amount of work whatever
the text, and a scan is linear in the length of the text. For the detectors that scan
tokens and look around each candidate (addresses, schools, references, registrations,
handles after a platform's name, nicknames), the steps they take (lines of the screen's
code run, counted, not timed) are compared between a 16 KB and a 64 KB hostile text: four
times the text must take about four times the steps, never the sixteen times of a
quadratic scan. `make pii-report` times the same texts at 256 KB and 1 MB.
"""

import inspect
import re
import re._parser as regex_parser
import sys
from datetime import date

import pytest

from bench import pii_report
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


def _steps(detect, text):
    """How many lines of the screen's own code run while `detect` reads `text`: a count of
    the work that does not depend on the machine. Each regex call counts as one step; the
    structural checks above bound what one call can do."""
    steps = 0

    def in_the_screen(frame, event, arg):
        nonlocal steps
        if event == "line":
            steps += 1
        return in_the_screen

    def on_call(frame, event, arg):
        return in_the_screen if frame.f_code.co_filename == pii.__file__ else None

    detect(text[:200], {"today": date(2026, 11, 1)})  # the word lists load once a process: not counted
    sys.settrace(on_call)
    try:
        detect(text, {"today": date(2026, 11, 1)})
    finally:
        sys.settrace(None)
    return steps


CASES = [(kind, unit) for kind, units in pii_report.HOSTILE_UNITS.items() for unit in units]


@pytest.mark.parametrize(("kind", "unit"), CASES, ids=[f"{kind}:{unit[:20]!r}" for kind, unit in CASES])
def test_four_times_the_hostile_text_takes_about_four_times_the_steps(kind, unit):
    detect = pii.DETECTORS[kind]
    small, large = pii_report.hostile_text(unit, 16_000), pii_report.hostile_text(unit, 64_000)
    ratio = _steps(detect, large) / max(_steps(detect, small), 1)
    assert ratio < 6, f"{kind} on {unit[:20]!r}: 4x the text took {ratio:.1f}x the steps"
