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

What counts, in short: UK numbers (mobiles, landlines, 03; not the 08/09 service ranges
nor well-known helplines); postcodes of real postcode areas, with or without the space;
10-digit NHS numbers only when the modulus-11 check passes; dates only when the words
around them say birth or an age beside them fits; handles and profile links but not
organisations' accounts or a site's own pages; a title with a name, "the X family", and
first names from portal/data/first_names.txt, where names that are also everyday words
("Grace", "Will", "May") need strong context (a surname, "called Grace", "Grace's").

Every pattern is compiled once, here, and none can match more than a bounded number of
characters, so each attempt at a position does bounded work and a scan is linear in the
length of the text (tests/test_pii_performance.py checks this from the parsed patterns
and screens hostile 100 KB texts). `make pii-report` measures the screen on the corpus in
tests/pii_corpus/.
"""

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError

DATA = Path(__file__).resolve().parent / "data"


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
    "date_of_birth": "a date of birth",
    "social_media": "a social-media handle or profile link",
    "name": "a person's name",
}

# Kinds with a fixed shape, held to the highest recall; names and handles are fuzzier.
STRUCTURED_KINDS = ("email", "phone", "postcode", "nhs_number", "date_of_birth")

# --- email addresses -------------------------------------------------------------------

# The characters an address may have before its @ (RFC 5322's atext, and dots).
_LOCAL = r"[\w.!#$%&'*+/=?^`{|}~-]"
EMAIL = re.compile(
    rf"(?<!{_LOCAL}){_LOCAL}{{1,64}}@[A-Za-z0-9-]{{1,63}}(?:\.[A-Za-z0-9-]{{1,63}}){{1,8}}",
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


NOT_A_DIGIT = re.compile(r"\D")


def _national_digits(match_text):
    digits = NOT_A_DIGIT.sub("", match_text)
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
    # (the look-ahead is a cheap first test: re tries a long alternation slowly)
    r"(?<![A-Za-z0-9])(?=[A-Z]{1,2}\d)(?:"
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


# --- dates of birth ----------------------------------------------------------------------

# Notes are full of legitimate dates ("the meeting on 12 March 2026"), so a date counts
# as a date of birth only when the words around it say birth, or when an age beside it
# matches the years since the date ("aged 14, 12/03/2011").
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_ORDINAL = r"(?:st|nd|rd|th)?"

DATE_PATTERNS = (
    # 12/03/2011, 12-03-2011, 12.03.11
    re.compile(r"(?<![\d/.-])(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?![\d/]|\.\d)"),
    # 2011-03-12, 2011/03/12
    re.compile(r"(?<![\d/.-])(?P<y>\d{4})(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d/]|\.\d)"),
    # 12 March 2011, 12th of March, 12-Mar-11 (not "12 March 10:30")
    re.compile(
        rf"(?<![\w])(?P<d>\d{{1,2}}){_ORDINAL}[ -]{{1,2}}(?:of[ ]{{1,2}})?(?P<mon>{_MONTH})\.?"
        rf"(?:,?[ -]{{1,2}}(?P<y>\d{{4}}|'?\d{{2}}))?(?![\w:]|\.\d)",
        re.IGNORECASE,
    ),
    # March 2011 (the year in full: "January 10" is a day, not 2010)
    re.compile(rf"(?<![\w])(?=[a-z]{{3}})(?P<mon>{_MONTH})\.?,?[ ]{{1,2}}(?P<y>\d{{4}})(?![\w:]|\.\d)", re.IGNORECASE),
    # March 12th 2011, March 12, 2011
    re.compile(
        rf"(?<![\w])(?=[a-z]{{3}})(?P<mon>{_MONTH})\.?[ ]{{1,2}}(?P<d>\d{{1,2}}){_ORDINAL}"
        rf"(?:,?[ ]{{1,2}}(?P<y>\d{{4}}))?(?![\w])",
        re.IGNORECASE,
    ),
)

BIRTH_WORDS = re.compile(
    r"(?<![\w])(?:d\.?[ ]?o\.?[ ]?b\b\.?|date[ ]of[ ]birth|birth[ ]?date|birth[ ]?day|born|b'day|bday)",
    re.IGNORECASE,
)
AGE = re.compile(
    r"(?<![\w])(?:aged?[ ]{0,2}(?P<a>\d{1,2})|(?P<b>\d{1,2})[ -]{0,2}(?:years?|yrs?|y/?o)\b(?:[ -]{0,2}old)?)(?![\d])"
    r"|\((?P<c>\d{1,2}),",  # "(14, 2012-06-01)"
    re.IGNORECASE,
)
# A sentence ends between a keyword and a date: ". Next", "; ", a blank line.
SENTENCE_END = re.compile(r"[.!?;][ \t]{1,10}(?=[A-Z])|\n[ \t]{0,10}\n")
WINDOW = 60


def _date_parts(match, today):
    """(day, month, year) from a date match; year None when absent; None when no real date."""
    parts = match.groupdict()
    month = parts.get("m")
    if parts.get("mon"):
        month = MONTHS[parts["mon"].lower()]
    day = int(parts["d"]) if parts.get("d") else None
    year = parts.get("y")
    if not day and not year:
        return None  # a month alone ("in March")
    if year:
        year = year.lstrip("'")
        year = int(year)
        if year < 100:
            year += 2000 if year <= today.year % 100 else 1900
    month = int(month)
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return None
    return day, month, year


def _near(pattern, text, start, end):
    """The matches of `pattern` close to text[start:end], not across the end of a sentence."""
    before_start = max(0, start - WINDOW)
    for found in pattern.finditer(text, before_start, min(len(text), end + WINDOW)):
        gap = text[found.end() : start] if found.end() <= start else text[end : found.start()]
        if found.start() < end and found.end() > start:
            continue  # overlaps the date itself
        if not SENTENCE_END.search(gap):
            yield found


def _age_in_years(day, month, year, today):
    return today.year - year - ((today.month, today.day) < (month, day or 1))


def _has_date_of_birth(text, context):
    today = context["today"]
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            parts = _date_parts(match, today)
            if parts is None:
                continue
            if any(_near(BIRTH_WORDS, text, match.start(), match.end())):
                return True
            day, month, year = parts
            if year is None or year > today.year:
                continue
            years = _age_in_years(day, month, year, today)
            for age in _near(AGE, text, match.start(), match.end()):
                stated = int(age.group("a") or age.group("b") or age.group("c"))
                if 0 <= years <= 25 and abs(years - stated) <= 1:
                    return True
    return False


# --- social-media handles and profile links -------------------------------------------------

# Organisations' own accounts, which guidance legitimately cites.
ORGANISATION_ACCOUNTS = {
    "nspcc",
    "childline",
    "ceopuk",
    "ceop",
    "iwf_hotline",
    "iwfhotline",
    "internetmatters",
    "ukcis",
    "swgfl",
    "swgfl_official",
    "mariecollinsfdn",
    "lucyfaithfull",
    "stopitnowuk",
    "barnardos",
    "barnardos_uk",
    "youngmindsuk",
    "samaritans",
    "nationalcrimeagency",
    "ncauk",
    "metpoliceuk",
    "cumbriapolice",
    "northumbriapol",
    "ukcouncilchildinternetsafety",
}

# Not after a character that could end an email address's local part ("jo@example.com").
HANDLE = re.compile(rf"(?<!{_LOCAL})(?<!@)@(?P<handle>[A-Za-z0-9_][A-Za-z0-9_.]{{0,29}})(?![\w@])")

PROFILE_SITES = (
    r"instagram\.com|instagr\.am|tiktok\.com|snapchat\.com|facebook\.com|fb\.com|fb\.me|twitter\.com|x\.com"
    r"|youtube\.com|twitch\.tv|reddit\.com|linkedin\.com|threads\.net|t\.me|telegram\.me|wa\.me|kik\.me"
    r"|onlyfans\.com|discord\.com|roblox\.com|pinterest\.com|pinterest\.co\.uk|tumblr\.com|vsco\.co|bsky\.app"
)
PROFILE_LINK = re.compile(
    rf"(?<![\w.-])(?=[a-z])(?:https?://)?(?:(?:www|m|mobile|vm|uk)\.)?(?P<site>{PROFILE_SITES})/(?P<path>[^\s?#]{{1,200}})",
    re.IGNORECASE,
)
PROFILE_NAME = re.compile(r"[\w.-]{2,50}")
# Paths on those sites that are the service's own pages, not a person.
SITE_PAGES = {
    "about",
    "accounts",
    "ads",
    "business",
    "community",
    "explore",
    "guidelines",
    "hashtag",
    "hc",
    "help",
    "legal",
    "login",
    "p",
    "policies",
    "policy",
    "privacy",
    "reel",
    "reels",
    "safety",
    "safetycenter",
    "search",
    "settings",
    "share",
    "signup",
    "support",
    "tag",
    "tags",
    "terms",
    "tos",
    "watch",
    "shorts",
    "results",
    "feed",
    "intl",
    "en",
    "en-gb",
    "discover",
    "creators",
    "parents",
    "transparency",
    "groups",
    "events",
    "pages",
    "i",
    "home",
    "rules",
    "howyoutubeworks",
}
# Where the profile follows a fixed first segment: youtube.com/c/name, snapchat.com/add/name.
PROFILE_PREFIXES = {"add", "c", "channel", "user", "u", "in", "users", "profile", "people"}


def _is_person_handle(handle):
    handle = handle.rstrip(".").lower()
    return any(char.isalpha() for char in handle) and handle not in ORGANISATION_ACCOUNTS


def _is_profile_path(site, path):
    segments = [segment for segment in path.rstrip(".,;:!?)'\"").split("/") if segment]
    if not segments:
        return False
    first = segments[0].lower()
    if site.lower() in ("wa.me", "t.me", "telegram.me", "kik.me"):
        return True
    if first.startswith("@"):
        return _is_person_handle(first[1:])
    if site.lower() == "youtube.com" and first not in PROFILE_PREFIXES:
        return False  # channels are youtube.com/@name, /c/, /channel/ or /user/; the rest is YouTube's
    if first in PROFILE_PREFIXES:
        return len(segments) > 1 and segments[1].lower().lstrip("@") not in ORGANISATION_ACCOUNTS
    if first in SITE_PAGES or first.startswith("profile.php"):
        return first.startswith("profile.php")
    return _is_person_handle(first) and PROFILE_NAME.fullmatch(first) is not None


def _has_social_media(text, context):
    if any(_is_person_handle(match.group("handle")) for match in HANDLE.finditer(text)):
        return True
    return any(_is_profile_path(match.group("site"), match.group("path")) for match in PROFILE_LINK.finditer(text))


# --- personal names ------------------------------------------------------------------------

# Organisations, laws and places named after people, which notes legitimately mention.
NAMED_AFTER_PEOPLE = re.compile(
    r"(?=[a-z])(?:Lucy Faithfull|Marie Collins|Anna Freud|Molly Rose|Barnardo'?s|Sarah's Law|Clare's Law|Grace Darling"
    r"|John Lewis|Alder Hey|Great Ormond Street|Jack Petchey|Ronald McDonald|Florence Nightingale|St John Ambulance"
    r"|Prince'?s Trust|King'?s Trust|Lloyd'?s|Sainsbury'?s|McDonald'?s|Ofcom)",
    re.IGNORECASE,
)
_SURNAME = r"[A-Z](?:[a-z]|['\u2019][A-Z])[A-Za-z'\u2019-]{0,40}"  # Smith, O'Brien, Lloyd-Jones
SURNAME = re.compile(_SURNAME)
TITLE_AND_NAME = re.compile(
    r"(?<![\w])(?=[MD])(?P<title>Mr|Mrs|Ms|Miss|Mx|Dr|Master|MR|MRS|MS|MISS|MX|DR)\.?[ ]{1,2}(?:[A-Z]\.?[ ]{1,2})?"
    rf"(?P<name>{_SURNAME})"
)
FAMILY = re.compile(rf"(?<![\w])the[ ]{{1,2}}(?P<name>{_SURNAME})[ ]{{1,2}}family(?![\w])")
WORD = re.compile(
    r"(?<![\w'\u2019-])(?P<word>[A-Za-z](?:['\u2019][A-Z])?[A-Za-z-]{0,40})(?P<possessive>['\u2019]s(?![\w]))?"
)
NOT_A_PERSON_BEFORE = {"st", "saint", "queen", "king", "prince", "princess", "royal", "lady", "lord", "sir", "hms"}
CALLED = {"called", "named", "nicknamed", "as"}  # "known as"
SEASONS_AND_MONTHS = {"april", "may", "june", "august", "summer", "autumn"}
# People a possessive points to: "May's mum" is a child, "May's figures" a month.
KIN = {
    "mum",
    "mother",
    "dad",
    "father",
    "parent",
    "parents",
    "carer",
    "carers",
    "brother",
    "sister",
    "sibling",
    "nan",
    "gran",
    "grandmother",
    "grandfather",
    "aunt",
    "uncle",
    "stepdad",
    "stepmum",
    "friend",
    "friends",
    "boyfriend",
    "girlfriend",
    "teacher",
    "school",
    "phone",
    "account",
    "foster",
    "family",
    "social",
}


TOKEN = re.compile(r"(?<!\S)\S{1,500}")


def _blank(match):
    return " " * len(match.group())


def _is_address(token):
    """Emails, handles and links are screened as such; the words inside them are not names."""
    lower = token.lower()
    return "@" in token or lower.startswith(("www.", "http")) or ("/" in token and "." in token)


@cache
def _word_list(filename):
    lines = (DATA / filename).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def first_names():
    """Common UK first names (portal/data/first_names.txt), lower case."""
    return _word_list("first_names.txt")


def common_words():
    """Everyday words a capitalised word after a name-like word must not be, to count as a surname."""
    return _word_list("common_words.txt")


def common_word_names():
    """First names that are also everyday words: they count only with strong context."""
    return _word_list("common_word_names.txt")


def _is_title_case(word):
    """Grace, Amelia-Rose; not GRACE, grace or McDONALD."""
    return all(part[:1].isupper() and part[1:].islower() for part in word.split("-"))


def _looks_like_surname(word):
    return SURNAME.fullmatch(word) is not None and word.lower() not in common_words()


def _is_double_first_name(word, names):
    """Amelia-Rose, Ruby-Mae: starts with a first name, and is not two everyday words (May-June)."""
    parts = word.split("-")
    common = common_words() | common_word_names()
    return _is_title_case(word) and parts[0].lower() in names and any(part.lower() not in common for part in parts)


def _has_name(text, context):
    for match in TITLE_AND_NAME.finditer(text):
        # "Mrs May" is a person; "Master Class" is not.
        if match.group("title") != "Master" or match.group("name").lower() not in common_words():
            return True
    if any(match.group("name").lower() not in common_words() for match in FAMILY.finditer(text)):
        return True
    text = NAMED_AFTER_PEOPLE.sub(_blank, text)
    text = TOKEN.sub(lambda match: _blank(match) if _is_address(match.group()) else match.group(), text)
    names, word_names = first_names(), common_word_names()
    words = list(WORD.finditer(text))
    for index, match in enumerate(words):
        word = match.group("word").strip("-")
        lower = word.lower()
        if "-" in word and lower not in names and _is_double_first_name(word, names):
            return True
        if not word or lower not in names:
            continue
        previous = words[index - 1] if index else None
        if previous is not None and previous.group("word").lower() in NOT_A_PERSON_BEFORE:
            continue
        if lower not in word_names:
            if _is_title_case(word):
                return True
            if word.islower() and len(word) >= 4:
                return True
            continue
        # A name that is also a word: only strong context counts, never a capital alone.
        if not _is_title_case(word):
            continue
        following = words[index + 1] if index + 1 < len(words) else None
        if match.group("possessive") and (
            lower not in SEASONS_AND_MONTHS or (following is not None and following.group("word").lower() in KIN)
        ):
            return True  # "Grace's", and "May's mum" but not "May's figures"
        if previous is not None and previous.group("word").lower() in CALLED:
            between = text[previous.end() : match.start()]
            if between.strip() == "":
                return True
        if (
            following is not None
            and not match.group("possessive")
            and text[match.end() : following.start()] == " "
            and _looks_like_surname(following.group("word"))
        ):
            return True
    return False


DETECTORS = {
    "email": _has_email,
    "phone": _has_phone,
    "postcode": _has_postcode,
    "nhs_number": _has_nhs_number,
    "date_of_birth": _has_date_of_birth,
    "social_media": _has_social_media,
    "name": _has_name,
}


# --- the public interface ----------------------------------------------------------------


def find_personal_data(text, *, today=None):
    """The kinds of personal data that `text` seems to contain, in a fixed order.

    `today` (default: the current date) is what an age next to a date is checked against.
    """
    if not text:
        return []
    text = str(text)
    context = {"today": today or date.today()}
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


# --- measuring the screen ------------------------------------------------------------------


def evaluate(examples, *, today=None):
    """Recall per kind and overall, and the false-positive rate, on labelled examples.

    Each example is a mapping with `text` and `kinds` (the kinds it contains; empty for a
    legitimate text that must pass). Recall counts, for each kind, the examples labelled
    with it where it was found; a false positive is a legitimate text refused for anything.
    """
    labelled = dict.fromkeys(LABELS, 0)
    found = dict.fromkeys(LABELS, 0)
    negatives = false_positives = 0
    false_positive_kinds = dict.fromkeys(LABELS, 0)
    misses = []
    for example in examples:
        kinds = {finding.kind for finding in find_personal_data(example["text"], today=today)}
        expected = set(example["kinds"])
        if not expected:
            negatives += 1
            false_positives += bool(kinds)
            for kind in kinds:
                false_positive_kinds[kind] += 1
            if kinds:
                misses.append((example["text"], sorted(kinds), []))
            continue
        for kind in expected:
            labelled[kind] += 1
            found[kind] += kind in kinds
        if expected - kinds:
            misses.append((example["text"], sorted(kinds), sorted(expected)))
    recall = {kind: found[kind] / labelled[kind] if labelled[kind] else None for kind in LABELS}
    structured = [kind for kind in STRUCTURED_KINDS if labelled[kind]]
    return {
        "labelled": labelled,
        "found": found,
        "recall": recall,
        "recall_overall": sum(found.values()) / sum(labelled.values()) if sum(labelled.values()) else None,
        "recall_structured": (
            sum(found[kind] for kind in structured) / sum(labelled[kind] for kind in structured) if structured else None
        ),
        "negatives": negatives,
        "false_positives": false_positives,
        "false_positive_rate": false_positives / negatives if negatives else None,
        "false_positive_kinds": false_positive_kinds,
        "misses": misses,
    }
