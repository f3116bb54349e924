"""The personal-data screen: free text that members or the public write is checked here.

The portal must never hold details that could identify a child or family, so every
free-text field that members or the public fill in (update title and body, action
progress notes, the trend-return note, the feedback message) is refused when it seems
to contain an email address, a phone number, a postcode, an NHS number, a date of
birth, a social-media handle or profile link, or a person's name.

Three public functions:

- `find_personal_data(text)` returns the distinct kinds found, in a fixed order, as
  `Finding(kind, label)`. A finding never carries the matched text, so nothing
  downstream can store or log it by accident.
- `describe_findings(findings)` joins the labels for a message.
- `validate_no_personal_data(value)` is a Django validator for form and model fields.

Every pattern is compiled once, and each is built so that the regex engine's work stays
linear in the length of the text: each unbounded repetition starts only where its
character class starts (a negative look-behind on the same class), and no unbounded
repetition is nested inside another (tests/test_pii_performance.py checks both).
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Finding:
    """One kind of personal data found in a text; deliberately without the text itself."""

    kind: str
    label: str


# Kinds in the order they are reported.
LABELS = {
    "email": "an email address",
    "phone": "a phone number",
    "postcode": "a postcode",
    "nhs_number": "an NHS number",
}

# --- email addresses -------------------------------------------------------------------

EMAIL = re.compile(
    r"(?<![\w.%+-])[\w.%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}",
    re.ASCII,
)


def _has_email(text, context):
    return EMAIL.search(text) is not None


# --- UK phone numbers -------------------------------------------------------------------

# A UK number after its prefix (+44, 0044 or 0, area code possibly in brackets): the
# first digit says geographic (1, 2), non-geographic (3) or mobile (7); nine or ten
# digits follow with spaces, dots, dashes or brackets between them. 08 (freephone) and
# 09 (premium) numbers belong to services, not people, and are not matched.
PHONE = re.compile(
    r"""
    (?<![\w+/])
    (?: (?:\+|00)[ ]?44[ ]?(?:\(0\)[ ]?)? | \(?0 )
    [1237]
    (?:[ .()-]{0,2}\d){8,9}
    (?!\d)
    """,
    re.VERBOSE | re.ASCII,
)

# Well-known services people legitimately cite, as digits (the 3- and 6-digit numbers
# 999, 101, 111, 116 123 and 116 111 never match the pattern and need no entry).
HELPLINES = {
    "08001111": "Childline",
    "08088005000": "NSPCC helpline",
    "08081000900": "Stop It Now",
    "0800555111": "Crimestoppers",
    "03001233393": "Mind infoline",
    "03456000459": "Revenge Porn Helpline",
    "03443814772": "Professionals Online Safety Helpline",
    "08088025544": "YoungMinds parents helpline",
    "08000684141": "Papyrus HOPELINE247",
    "03001231053": "Stop Hate UK",
}


def _national_digits(match_text):
    digits = re.sub(r"\D", "", match_text)
    if digits.startswith("0044"):
        digits = "0" + digits[4:]
    elif digits.startswith("44"):
        digits = "0" + digits[2:]
    if digits.startswith("00"):  # +44 (0)7... keeps its trunk zero once
        digits = digits[1:]
    return digits


def _has_phone(text, context):
    for match in PHONE.finditer(text):
        digits = _national_digits(match.group())
        if len(digits) in (10, 11) and digits not in HELPLINES:
            return True
    return False


# --- UK postcodes ----------------------------------------------------------------------

# The postcode areas in use, so that "A6 2nd" or "Q3 2AB" are not postcodes.
POSTCODE_AREAS = (
    "AB|AL|B|BA|BB|BD|BF|BH|BL|BN|BR|BS|BT|BX|CA|CB|CF|CH|CM|CO|CR|CT|CV|CW|DA|DD|DE|DG|DH|DL|DN|DT|DY|"
    "E|EC|EH|EN|EX|FK|FY|G|GL|GU|GY|HA|HD|HG|HP|HR|HS|HU|HX|IG|IM|IP|IV|JE|KA|KT|KW|KY|L|LA|LD|LE|LL|LN|"
    "LS|LU|M|ME|MK|ML|N|NE|NG|NN|NP|NR|NW|OL|OX|PA|PE|PH|PL|PO|PR|RG|RH|RM|S|SA|SE|SG|SK|SL|SM|SN|SO|SP|"
    "SR|SS|ST|SW|SY|TA|TD|TF|TN|TQ|TR|TS|TW|UB|W|WA|WC|WD|WF|WN|WR|WS|WV|YO|ZE"
)

POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(?:"
    + POSTCODE_AREAS
    # district (with an optional letter: EC1A, W1A), optional space, sector and unit;
    # the unit's letters never include C, I, K, M, O or V.
    + r")\d[A-Z\d]?[ \t\u00a0]{0,2}\d[ABD-HJLNP-UW-Z]{2}(?![A-Za-z0-9])",
    re.IGNORECASE,
)


def _has_postcode(text, context):
    return POSTCODE.search(text) is not None


# --- NHS numbers -----------------------------------------------------------------------

NHS_NUMBER = re.compile(r"(?<![\w/.-])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\w/-])", re.ASCII)


def nhs_number_is_valid(digits):
    """True when ten digits pass the NHS number's modulus-11 check."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _has_nhs_number(text, context):
    return any(nhs_number_is_valid(a + b + c) for a, _, b, c in NHS_NUMBER.findall(text))


DETECTORS = {
    "email": _has_email,
    "phone": _has_phone,
    "postcode": _has_postcode,
    "nhs_number": _has_nhs_number,
}


# --- the public interface ----------------------------------------------------------------


def find_personal_data(text):
    """The kinds of personal data that `text` seems to contain, in a fixed order."""
    if not text:
        return []
    text = str(text)
    context = {}
    return [Finding(kind, LABELS[kind]) for kind, detect in DETECTORS.items() if detect(text, context)]


def describe_findings(findings):
    """'an email address', 'an email address and a phone number', 'a, b and c'."""
    labels = [finding.label for finding in findings]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def personal_data_message(findings):
    """Why the text was refused and what to do, naming what looked personal and never repeating it."""
    return (
        f"This seems to include {describe_findings(findings)}. The portal must not hold details that "
        "could identify a child or family, so please remove them and try again. If you are worried "
        "that a child is at risk, do not report it here: contact your local children's social care "
        "or the police (999 in an emergency)."
    )


def validate_no_personal_data(value):
    """Django validator: refuse text that seems to contain personal data.

    The message names the kinds found, never the text; nothing is logged.
    """
    findings = find_personal_data(value)
    if findings:
        raise ValidationError(personal_data_message(findings), code="personal_data")
