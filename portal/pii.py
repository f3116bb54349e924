"""The personal-data screen: free text that members or the public write is checked here.

The portal must never hold details that could identify a child or family, so every
free-text field that members or the public fill in (update title and body, action
progress notes, the trend-return note, the feedback message) is refused when it seems
to contain an email address, a phone number, a postcode, a street address, an NHS
number, a date of birth, a social-media handle or profile link, a person's name, the
name of a school, a police or case reference number, or a vehicle registration.

Text is normalised first (`normalise`): NFKC, space-likes and dashes folded, zero-width
characters removed, Cyrillic and Greek look-alike letters mapped to Latin, so that text
pasted from Word or typed on a phone is read as it looks.

Three public functions:

- `find_personal_data(text)` returns the distinct kinds found, in a fixed order, as
  `Finding(kind, label)`. A finding never carries the matched text, so nothing
  downstream can store or log it by accident.
- `describe_findings(findings)` joins the labels for a message.
- `validate_no_personal_data(value)` is a Django validator for form and model fields.

What counts, in short: UK numbers (mobiles, landlines, 03; not the 08/09 service ranges
nor well-known helplines), however spaced, and numbers abroad in +country form;
postcodes of real postcode areas, with or without the space; 10-digit NHS numbers only
when the modulus-11 check passes; dates only when the words around them say birth or an
age beside them fits; handles and profile links but not organisations' accounts or a
site's own pages; a title with a name, "the X family", and first names from
portal/data/first_names.txt (hand-written) and first_names_more.txt (generated from Faker's
providers by bench/pii_name_lists.py; read here, Faker is never imported), compared without
accents, where names that are also everyday words ("Grace", "Will", "May") need strong
context (a surname, "called Grace", "Grace's"); nicknames introduced as such; and any
capitalised word that is not an everyday word (everyday_words.txt), a place (places.txt) or
an organisation when the words around it say a person: a relative before it ("her brother
Kyrese"), an age or school year after it ("Bartosz, 15,"), "his name is", "the Okonkwos", an
initial before a surname; a house number and a street, or a flat and its building; a
school's name with at least one word that says which school (a place word such as "Park
View" counts), a saint's name where a child goes, or a school named in lower case; a
reference after the word that introduces it (crime number, CAD, MASH referral, LCS ID,
LADO...) or with a force's shape; a registration in the current format, or older ones near
a word about a vehicle.

Every pattern is compiled once, here, and none can match more than a bounded number of
characters, so each attempt at a position does bounded work and a scan is linear in the
length of the text (tests/portal/pii/test_pii_performance.py checks this from the parsed patterns,
screens hostile 100 KB texts and compares the work on 256 KB and 1 MB ones). Where a
detector looks around a candidate (the words before a school, after a platform's name),
it looks at a bounded window, so that stays linear too. `make pii-report` measures the
screen on the corpus in tests/pii_corpus/.
"""

import re
import unicodedata
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
    "address": "a street address",
    "nhs_number": "an NHS number",
    "date_of_birth": "a date of birth",
    "social_media": "a social-media handle or profile link",
    "name": "a person's name",
    "school": "the name of a school",
    "case_reference": "a police or case reference number",
    "vehicle_registration": "a vehicle registration",
}

# Kinds with a fixed shape, held to the highest recall; names and handles are fuzzier.
STRUCTURED_KINDS = ("email", "phone", "postcode", "nhs_number", "date_of_birth")

# --- normalising pasted text ----------------------------------------------------------------

# Text pasted from Word or typed on a phone hides digits and letters behind look-alikes: a
# non-breaking space or an en dash inside a phone number, a zero-width space inside a name,
# full-width digits, a Cyrillic "a" in a handle. Every detector runs on the text after
# NFKC (full-width and compatibility forms become plain ones) and these foldings.
SPACE_LIKE = "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
DASH_LIKE = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63\uff0d"
ZERO_WIDTH = "\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff"
QUOTE_LIKE = "\u2018\u2019\u201a\u201b\u02bc\u2032\uff07"
# Cyrillic and Greek letters that look like Latin ones (Unicode's confusables, the common part).
# Written as escapes so that the source shows which is which; each pair: look-alikes, Latin letters.
_LOOK_ALIKES = (
    # Cyrillic small letters, then capitals
    ("\u0430\u0432\u0435\u043a\u043c\u043d\u043e\u0440\u0441\u0442", "abekmhopct"),
    ("\u0443\u0445\u0456\u0458\u0455\u0501\u04bb\u04cf\u051b\u051d", "yxijsdhlqw"),
    ("\u0451\u0457\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420", "eiABEKMHOP"),
    ("\u0421\u0422\u0425\u0423\u0406\u0408\u0405\u0500\u051a\u051c", "CTXYIJSDQW"),
    # Greek small letters, then capitals
    ("\u03b1\u03b2\u03b5\u03b9\u03ba\u03bd\u03bf\u03c1\u03c4\u03c5", "abeikvoptu"),
    ("\u03c7\u03b3\u03f2\u0391\u0392\u0395\u0396\u0397\u0399\u039a", "xycABEZHIK"),
    ("\u039c\u039d\u039f\u03a1\u03a4\u03a5\u03a7\u03f9", "MNOPTYXC"),
)
CONFUSABLES = {
    look_alike: latin
    for look_alikes, latins in _LOOK_ALIKES
    for look_alike, latin in zip(look_alikes, latins, strict=True)
}
FOLDING = str.maketrans(
    {
        **dict.fromkeys(SPACE_LIKE, " "),
        **dict.fromkeys(DASH_LIKE, "-"),
        **dict.fromkeys(ZERO_WIDTH),
        **dict.fromkeys(QUOTE_LIKE, "'"),
        **CONFUSABLES,
    }
)


# Letters that NFKD does not split into a base letter and a mark.
_UNMARKED = str.maketrans(
    {"\u0142": "l", "\u0141": "L", "\u00f8": "o", "\u00d8": "O", "\u00df": "ss", "\u00e6": "ae", "\u00c6": "Ae",
     "\u0153": "oe", "\u0111": "d", "\u0110": "D", "\u0131": "i", "\u00f0": "d", "\u00fe": "th", "\u014b": "n"}
)  # fmt: skip


def fold(word):
    """A word as the name lists hold it: lower case, accents removed ("Zoë", "Łukasz", "Siobhán"
    are looked up as "zoe", "lukasz", "siobhan")."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.translate(_UNMARKED))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def normalise(text):
    """The text every detector reads: NFKC, space-likes and dash-likes folded, zero-widths removed,
    curly apostrophes straightened, Cyrillic and Greek look-alikes mapped to Latin letters.

    One pass of each, so linear in the length of the text.
    """
    return unicodedata.normalize("NFKC", text).translate(FOLDING)


# --- email addresses -------------------------------------------------------------------

# The characters an address may have before its @ (RFC 5322's atext, and dots).
_LOCAL = r"[\w.!#$%&'*+/=?^`{|}~-]"
EMAIL = re.compile(
    rf"(?<!{_LOCAL}){_LOCAL}{{1,64}}@[A-Za-z0-9-]{{1,63}}(?:\.[A-Za-z0-9-]{{1,63}}){{1,8}}",
    re.ASCII,
)


# Addresses written out to get past a filter: "kayleigh dot smith at hotmail dot com",
# "jo.bloggs (at) example (dot) org".
_AT = r"(?:[ ]{1,2}at[ ]{1,2}|[ ]?[(\[]at[)\]][ ]?)"
_DOT = r"(?:[ ]{0,2}\.[ ]{0,2}|[ ]{1,2}dot[ ]{1,2}|[ ]?[(\[]dot[)\]][ ]?)"
WEBMAIL = r"gmail|googlemail|hotmail|outlook|yahoo|ymail|icloud|btinternet|aol|protonmail|proton|virginmedia|talktalk"
SPELLED_EMAIL = re.compile(
    rf"{_AT}(?:{WEBMAIL}){_DOT}(?:com|co|net|uk|me)(?![\w])"
    rf"|(?<![\w.-])[\w.-]{{1,64}}[ ]?[(\[]at[)\]][ ]?[A-Za-z0-9-]{{1,63}}{_DOT}[a-z]{{2,6}}(?![\w])",
    re.IGNORECASE,
)


def _has_email(text, context):
    return EMAIL.search(text) is not None or SPELLED_EMAIL.search(text) is not None


# --- UK phone numbers -------------------------------------------------------------------

# A UK number after its prefix (+44, 0044 or 0, area code possibly in brackets): the
# first digit says geographic (1, 2), non-geographic (3) or mobile (7); nine or ten
# digits follow with spaces, dots, dashes or brackets between them (and after the 0: "0 7 7 0 0 ...").
# 08 (freephone) and
# 09 (premium) numbers belong to services, not people, and are not matched.
PHONE = re.compile(
    r"""
    (?<![\w+/])
    (?: \(?(?:\+|00)[ ]?44[ ]?\)?[ ]?(?:\(0\)[ ]?)? | \(?0[ .-]{0,2} )
    [1237]
    (?:[ .()-]{0,2}\d){8,9}
    (?!\d)
    """,
    re.VERBOSE | re.ASCII,
)
# Numbers abroad in international form (+234 803 123 4567, 0033 6 12 34 56 78): a country
# code and 8 to 15 digits in all. +44 numbers are UK numbers, judged above.
INTERNATIONAL_PHONE = re.compile(
    r"(?<![\w+/])\(?(?:\+|00)[ ]?(?!44)[1-9]\d{0,2}\)?(?:[ .()-]{0,2}\d){6,13}(?!\d)",
    re.ASCII,
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


# A letter O written for a zero inside a number: "O77OO 9OO 123".
O_FOR_ZERO = re.compile(r"(?<=\d)[Oo]{1,3}|[Oo]{1,3}(?=\d)")


def _zeros(match):
    return "0" * len(match.group())


def _has_phone(text, context):
    text = O_FOR_ZERO.sub(_zeros, text)
    for match in PHONE.finditer(text):
        digits = _national_digits(match.group())
        if len(digits) in (10, 11) and digits not in HELPLINES:
            return True
    return any(8 <= len(NOT_A_DIGIT.sub("", match.group())) <= 15 for match in INTERNATIONAL_PHONE.finditer(text))


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

# Days in words: "the third of May", "twenty-first".
_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEENS = ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth"]
DAY_WORDS = {
    **{word: number for number, word in enumerate(_UNITS, start=1)},
    **{word: number for number, word in enumerate([*_TEENS, "eighteenth", "nineteenth", "twentieth"], start=10)},
    **{f"twenty{joint}{word}": 20 + number for number, word in enumerate(_UNITS, start=1) for joint in ("-", " ", "")},
    "thirtieth": 30,
    **{f"thirty{joint}first": 31 for joint in ("-", " ", "")},
}
_DAY_WORD = "|".join(sorted(DAY_WORDS, key=len, reverse=True))

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
    # 3/4 (a day and month only: counts only beside words that say birth)
    re.compile(r"(?<![\d/.-])(?P<d>\d{1,2})/(?P<m>\d{1,2})(?![\d/]|\.\d)"),
    # the third of May 2012, twenty-first June '12
    re.compile(
        rf"(?<![\w])(?=[a-z]{{5}})(?P<dw>{_DAY_WORD})[ ]{{1,2}}(?:of[ ]{{1,2}})?(?P<mon>{_MONTH})\.?"
        rf"(?:,?[ ]{{1,2}}(?P<y>\d{{4}}|'?\d{{2}}))?(?![\w:]|\.\d)",
        re.IGNORECASE,
    ),
    # May the third, 2012
    re.compile(
        rf"(?<![\w])(?=[a-z]{{3}})(?P<mon>{_MONTH})\.?[ ]{{1,2}}(?:the[ ]{{1,2}})?(?P<dw>{_DAY_WORD})"
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
    if parts.get("dw"):
        day = DAY_WORDS[parts["dw"].lower()]
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
    if first in PROFILE_PREFIXES and len(segments) > 1:
        return segments[1].lower().lstrip("@") not in ORGANISATION_ACCOUNTS
    if first in SITE_PAGES or first.startswith("profile.php"):
        return first.startswith("profile.php")
    return _is_person_handle(first) and PROFILE_NAME.fullmatch(first) is not None


# Handles without an @, after a platform's name: "his Snapchat is jordy_x2010", "TikTok as
# lil.missy.kay", "Xbox gamertag DarkWolf7743", "Discord user tomw#4821". The platform's name,
# a few linking words, then one token that looks like a handle (a digit, an underscore, a dot
# or # inside, or a capital inside a word), or any unusual word after "username", "gamertag"...
_PLATFORMS = (
    r"snapchat|snap|tiktok|tik[ ]tok|instagram|insta|ig|xbox|xbox[ ]live|psn|playstation|discord|roblox|telegram|kik"
    r"|twitch|fortnite|minecraft|steam|facebook|fb|messenger|twitter|reddit|wizz|yubo|omegle|whatsapp|youtube"
    r"|bluesky|skype|epic[ ]games|wechat|tumblr"
)
PLATFORM = re.compile(rf"(?<![\w.@/-])(?:{_PLATFORMS})(?:'s)?(?=[ :=-])", re.IGNORECASE)
PLATFORM_NAME = re.compile(rf"(?<![\w.@/-])(?:{_PLATFORMS})(?![\w]|\.\w)", re.IGNORECASE)
# Words that introduce a handle wherever the platform is named: "the username SkyBlox_99".
HANDLE_WORD = re.compile(
    r"(?<![\w])(?:(?P<naming>username|user[ ]name|gamertag|gamer[ ]tag|handle|screen[ ]name|profile[ ]name)"
    r"|account|profile|user)(?=[ :=-])",
    re.IGNORECASE,
)
# A token shaped like a handle on its own (jordy_x2010, DarkWolf7743, tomw#4821), counted only
# within a sentence of a platform's name: "messaged by ghost_kid2010 on Snapchat".
LOOSE_HANDLE = re.compile(
    r"(?<![\w@./#:-])(?:[A-Za-z][A-Za-z0-9]{0,20}(?:_[A-Za-z0-9]{1,20}){1,3}|[A-Za-z][A-Za-z.]{2,20}\d{2,6}"
    r"|[A-Za-z][\w.]{1,30}#\d{4})(?![\w@/-]|\.\w)",
    re.ASCII,
)
HANDLE_AFTER = re.compile(r"[ :=-]{1,3}([^\s,;()\"]{1,40})")
# Words between a platform and a handle; after the naming ones, any unusual word is a handle.
LINKING_WORDS = {
    "is",
    "was",
    "as",
    "name",
    "id",
    "account",
    "user",
    "gamer",
    "his",
    "her",
    "their",
    "my",
    "the",
    "of",
    "-",
}
NAMING_WORDS = {"username", "user-name", "handle", "gamertag", "gamer-tag", "tag"}
HANDLE_SHAPE = re.compile(r"[A-Za-z0-9][\w.#-]{2,39}", re.ASCII)
HANDLE_MARK = re.compile(r"\d|_|[a-z0-9][.#][a-z0-9]|[a-z][A-Z]", re.ASCII)
TIME_OR_SIZE = re.compile(r"\d{1,2}(?:[.:]\d\d)?(?:am|pm)|\d{1,4}(?:k|m|gb|mb|p|s|th|st|nd|rd|%)?|v?\d[\d.]{0,8}", re.I)
PLATFORM_WORDS = {"tiktok", "youtube", "playstation", "whatsapp", "facetime", "iphone", "ipad", "linkedin", "onlyfans"}


def _handle_after_platform(text, end, named=False):
    """The handle-like token just after a platform's name at `end`, if any (bounded look-ahead)."""
    position = end
    for _ in range(4):
        found = HANDLE_AFTER.match(text, position, min(len(text), position + 48))
        if not found:
            return False
        token = found.group(1).rstrip(".!?'")
        position = found.end()
        lower = token.lower().rstrip(":")
        if lower in NAMING_WORDS:
            named = True
            continue
        if lower in LINKING_WORDS or not lower:
            continue
        if not HANDLE_SHAPE.fullmatch(token) or TIME_OR_SIZE.fullmatch(token) or len(token) < 4:
            return False
        if lower in PLATFORM_WORDS or lower in ORGANISATION_ACCOUNTS or not any(char.isalpha() for char in token):
            return False
        if HANDLE_MARK.search(token):
            return True
        return named and lower not in common_words() and token[:1].isalpha()
    return False


def _has_social_media(text, context):
    if any(_is_person_handle(match.group("handle")) for match in HANDLE.finditer(text)):
        return True
    if any(_is_profile_path(match.group("site"), match.group("path")) for match in PROFILE_LINK.finditer(text)):
        return True
    if any(_handle_after_platform(text, match.end()) for match in PLATFORM.finditer(text)):
        return True
    for match in HANDLE_WORD.finditer(text):
        if _handle_after_platform(text, match.end(), named=bool(match.group("naming"))):
            return True
    if PLATFORM_NAME.search(text) is None:
        return False
    return any(any(_near(PLATFORM_NAME, text, match.start(), match.end())) for match in LOOSE_HANDLE.finditer(text))


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
FAMILY = re.compile(rf"(?<![\w])[Tt]he[ ]{{1,2}}(?P<name>{_SURNAME})[ ]{{1,2}}family(?![\w])")
# Nicknames introduced as such: "known to his friends as Tiny", "goes by Dizzy", "a lad called
# Tank". Any capitalised word counts here, even an everyday one, since the words say a person.
NICKNAME = re.compile(
    r"(?<![\w])(?i:nicknamed|nick-named|nickname[ ](?:is|was|of)|goes[ ]by|going[ ]by|went[ ]by|go[ ]by"
    r"|calls[ ](?:himself|herself|themselves|themself)|calling[ ](?:himself|herself|themselves|themself)"
    r"|known[ ]to[ ](?:his|her|their|the|some|other)[ ][a-z]{2,15}[ ]as|known[ ]locally[ ]as"
    r"|known[ ]on[ ]the[ ]street[ ]as|street[ ]name(?:[ ](?:is|was))?|a\.?k\.?a\.?"
    r"|(?:boy|girl|lad|lass|man|woman|child|teenager|teen|pupil|student|friend|he|she|who|son|daughter|brother"
    r"|sister|cousin|male|female|adult|someone|person|mate|boyfriend|girlfriend)[ ](?:is[ ]|was[ ])?(?:also[ ])?"
    r"(?:known[ ]as|called|named))"
    r"[ ]{1,2}(?:the[ ])?['\"]?(?P<nick>[A-Z][a-z'-]{1,20})"
)
# Names the words around them introduce (a capitalised word that is not an everyday word, a
# place or an organisation; a first name even when it is also a word):
# "her brother Kyle", "my daughter Summer", "Uncle Dev", "Kacper (14)", "Tyreese, aged 15,",
# "Kacper (Year 8", "his name is Jaden", "they call him Tiny", "the Nguyens", "J. Okafor".
_PROPER = r"(?P<name>[^\W\d_a-z](?:[^\W\d_]|['\u2019-](?=[^\W\d_])){1,30})"
RELATIVE_AND_NAME = re.compile(
    r"(?<![\w])(?i:(?P<det>my|his|her|their|your|our|whose|the|a|an)[ ]{1,2}(?:(?:older|younger|little|big|baby"
    r"|best|twin|new|ex|step|half|foster|eldest|oldest|youngest|elder|late)[ -]{1,2})?(?P<relative>brother|sister"
    r"|son|daughter|mum|mam|mom|mother|dad|father|stepdad|stepmum|stepfather|stepmother|stepson|stepdaughter"
    r"|stepbrother|stepsister|cousin|nephew|niece|uncle|aunt|auntie|aunty|nan|nana|nanna|gran|granny|grandma"
    r"|grandad|grandpa|grandmother|grandfather|grandson|granddaughter|boyfriend|girlfriend|friend|mate|bestie"
    r"|pal|classmate|neighbour|partner|husband|wife|sibling|twin|child|kid|carer|guardian))"
    rf"(?![\w]),?[ ]{{1,2}}(?:\(|['\"])?{_PROPER}"
)
KIN_TITLE = re.compile(
    rf"(?<![\w])(?:Uncle|Auntie|Aunty|Aunt|Nana|Nanna|Nan|Grandad|Grandma|Granny|Cousin)[ ]{_PROPER}"
)
NAME_AND_AGE = re.compile(
    rf"(?<![\w'\u2019-]){_PROPER}"
    r"(?:,[ ]{1,2}(?:aged?[ ]{1,2})?|[ ]{1,2}\((?:aged?[ ]{1,2})?|[ ]{1,2}aged[ ]{1,2})"
    r"(?:(?P<age>\d{1,2})(?:[ ]?(?:yrs?|years?(?:[ -]old)?|y/?o))?(?P<end>[),;:]|\.(?!\d)|[ ](?:years?|yrs)|\Z)"
    r"|(?i:year|yr|y)[ ]?\d{1,2}(?![\d]))"
)
# After these, any capitalised word is a name, even an everyday one: they say a person's name.
NAME_IS = re.compile(
    r"(?<![\w])(?i:(?:his|her|their|my|your|whose|real|first|full|middle|birth|given|nick)[ ]name(?:'s|[ ]is|[ ]was|:)"
    r"|answers[ ]to|known[ ]only[ ]as|known[ ]online[ ]as"
    r"|(?:they|everyone|people|friends|others)[ ]calls?[ ](?:him|her|them)"
    r"|who[ ]calls[ ](?:himself|herself|themselves)|also[ ]goes[ ]by|real[ ]name[ ]being)"
    rf"[ :]{{1,2}}['\"]?{_PROPER}"
)
# After these, a name only when the word is not an everyday one: "a tool is called Report Remove".
NAME_CALLED = re.compile(
    r"(?<![\w])(?i:(?:is|was)[ ]called|(?:is|was)[ ]named|by[ ]the[ ]name[ ]of|under[ ]the[ ]name|using[ ]the[ ]name"
    r"|uses[ ]the[ ]name|also[ ]known[ ]as|known[ ]as|year-old|year[ ]old)"
    rf",?[ ]{{1,2}}['\"]?{_PROPER}"
)
INITIAL_AND_NAME = re.compile(rf"(?<![\w.'-])[A-Z]\.[ ]?{_PROPER}")
THE_PLURAL = re.compile(rf"(?<![\w])[Tt]he[ ]{{1,2}}{_PROPER}(?![\w'])")
SURNAME_AND_FAMILY = re.compile(
    rf"(?<![\w'-]){_PROPER}[ ]{{1,2}}(?:family|household|twins|siblings|brothers|sisters|children|kids)(?![\w])"
)
# Organisations and services that notes name beside people words ("our partner Ofsted").
ORGANISATIONS = {
    "ofsted", "ofcom", "nspcc", "childline", "ceop", "iwf", "barnardo", "barnardos", "samaritans", "kooth",
    "papyrus", "youngminds", "brook", "catch22", "thinkuknow", "swgfl", "camhs", "mash", "nhs", "nca", "police",
    "council", "snapchat", "instagram", "tiktok", "facebook", "whatsapp", "discord", "roblox", "fortnite",
    "minecraft", "xbox", "playstation", "youtube", "twitter", "telegram", "google", "apple", "microsoft",
}  # fmt: skip

# A word in any script's letters ("Zoë", "Łukasz", "Siobhán"), with an O'Brien-style apostrophe
# and hyphens inside, and a possessive after it.
_LETTER = r"[^\W\d_]"
WORD = re.compile(
    rf"(?<![\w'\u2019-])(?P<word>{_LETTER}(?:['\u2019][A-Z])?(?:{_LETTER}|-){{0,40}})"
    r"(?P<possessive>['\u2019]s(?![\w]))?"
)
NOT_A_PERSON_BEFORE = {"st", "saint", "queen", "king", "prince", "princess", "royal", "lady", "lord", "sir", "hms"}
NOT_A_PERSON_BEFORE |= {"storm", "hurricane"}  # "Storm Darragh"
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

# People a possessive of any unknown capitalised word points to: "Zaid's mum", "Okafor's dad".
KIN_PEOPLE = {
    "mum", "mam", "mother", "dad", "father", "parent", "parents", "carer", "carers", "brother", "sister", "nan",
    "gran", "grandmother", "grandfather", "aunt", "uncle", "stepdad", "stepmum", "boyfriend", "girlfriend",
    "cousin", "son", "daughter", "sibling", "siblings",
}  # fmt: skip
# Where a sentence, a line or a list item starts: what comes before the word, if anything.
SENTENCE_START = re.compile(r"(?:\A|[.!?:;\n(\"'*\u2022-])[ ]{0,10}\Z")
# Words that follow a person at the start of a sentence: "Zainab told", "Kacper was".
PERSON_VERBS = {
    "told", "said", "says", "was", "is", "has", "had", "and", "disclosed", "reported", "asked", "asks", "sent",
    "received", "paid", "shared", "messaged", "met", "went", "goes", "got", "gets", "lives", "lived", "attends",
    "refused", "admitted", "spoke", "talked", "agreed", "wants", "wanted", "needs", "needed", "felt", "feels",
    "stopped", "started", "moved", "left", "came", "showed", "found", "thinks", "thought", "believes",
    "knows", "knew", "did", "does", "didn't", "doesn't", "isn't", "wasn't", "hasn't", "can", "can't", "could",
    "would", "should", "must", "might", "will", "won't", "became", "tried", "explained", "confirmed", "denied",
    "deleted", "blocked", "sends", "gave", "gives", "made", "makes", "stays", "stayed", "ran", "runs", "used",
    "uses", "joined", "contacted", "rang", "called", "emailed", "texted", "visited", "returned",
    "remains", "continues", "describes", "described", "mentioned", "added", "accepted", "posted", "uploaded",
    "also", "then", "now", "still", "never", "has been", "is being", "had been", "who", "aged",
}  # fmt: skip
FAMILY_VERBS = PERSON_VERBS | {"are", "were", "have", "live", "say", "want", "need", "moved", "asked", "family"}
# Words after which a name that is also a word is a person: "told Grace", "spoke to Hope".
CONTACT_WORDS = {
    "told", "asked", "met", "saw", "visited", "messaged", "contacted", "phoned", "rang", "emailed", "texted",
    "supported", "supporting", "threatened", "groomed", "targeted", "blackmailed", "warned", "reassured",
    "interviewed", "befriended", "bullied", "followed", "tagged",
}  # fmt: skip
CONTACT_BEFORE = {"spoke", "speak", "speaking", "spoken", "talked", "talk", "talking", "worried", "concerned", "sent"}

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
    return frozenset(fold(line.strip()) for line in lines if line.strip() and not line.startswith("#"))


@cache
def first_names():
    """First names, folded (see `fold`): the hand-written list (portal/data/first_names.txt) and
    the generated one (first_names_more.txt, from Faker's providers by bench/pii_name_lists.py)."""
    return hand_listed_first_names() | _word_list("first_names_more.txt")


def hand_listed_first_names():
    """Common UK first names (portal/data/first_names.txt), folded; only these count in lower case."""
    return _word_list("first_names.txt")


def surnames():
    """Surnames (portal/data/surnames.txt, generated from Faker's providers), folded."""
    return _word_list("surnames.txt")


def everyday_words():
    """Words English prose writes in lower case (portal/data/everyday_words.txt, generated): a
    capitalised one in a heading ("Child Protection Conference") is not a name."""
    return _word_list("everyday_words.txt")


def places():
    """UK areas and towns, countries and nationalities (portal/data/places.txt), folded."""
    return _word_list("places.txt")


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


def _is_unknown_proper(word):
    """A capitalised word that is not an everyday word, a place, an organisation or a month:
    beside words that say a person ("her brother ...", "..., 14,"), it is a name."""
    folded = fold(word)
    return (
        _is_title_case(word)
        and folded not in common_words()
        and folded not in everyday_words()
        and folded not in places()
        and folded not in ORGANISATIONS
        and folded not in MONTHS_AND_DAYS
        and PLATFORM_NAME.fullmatch(word) is None
    )


def _is_person_word(word):
    """A first name (even one that is also a word) or an unknown capitalised word; not a place."""
    word = word.removesuffix("'s").removesuffix("\u2019s")
    if fold(word) in places():
        return False  # "Eden (3)" is a district
    return (_is_title_case(word) and fold(word) in first_names()) or _is_unknown_proper(word)


def _is_family_name(word):
    folded = fold(word)
    return _is_unknown_proper(word) and (folded in surnames() or folded in first_names())


def _plural_family(text, match):
    """ "the Nguyens", "the Hendersons": a surname made plural; or any unknown one before a verb
    that says people ("the Kowalczyks moved", "the Adeyemis have")."""
    word = match.group("name")
    following = WORD.match(text, match.end() + 1) if text[match.end() : match.end() + 1] == " " else None
    for ending in ("es", "s"):
        stem = word.removesuffix(ending)
        if not word.endswith(ending) or not stem:
            continue
        if _is_family_name(stem):
            return True
        if following and _is_unknown_proper(stem) and following.group("word").lower() in FAMILY_VERBS:
            return True
    return False


def _introduced_name(text):
    """A name that the words around it introduce (see RELATIVE_AND_NAME and the patterns after it)."""
    for match in RELATIVE_AND_NAME.finditer(text):
        if match.group("relative").lower() in ("partner", "child", "kid") and match.group("det").lower() in (
            "the", "a", "an", "our"
        ):  # fmt: skip
            continue  # "our partner Ofsted", "the child Protection Plan"
        if _is_person_word(match.group("name")):
            return True
    if any(_is_person_word(match.group("name")) for match in KIN_TITLE.finditer(text)):
        return True
    if any(_is_person_word(match.group("name")) for match in NAME_AND_AGE.finditer(text)):
        return True
    if any(match.group("name")[:1].isupper() for match in NAME_IS.finditer(text)):
        return True
    if any(_is_person_word(match.group("name")) for match in NAME_CALLED.finditer(text)):
        return True
    if any(_is_family_name(match.group("name")) for match in INITIAL_AND_NAME.finditer(text)):
        return True
    if any(_is_family_name(match.group("name")) for match in SURNAME_AND_FAMILY.finditer(text)):
        return True
    return any(_plural_family(text, match) for match in THE_PLURAL.finditer(text))


def _generated_name_counts(text, match, following):
    """A name from the generated list, which is long and has rarer names, some of them also words
    ("Ransom", "Fawn"): it counts in the middle of a sentence unless it starts a title ("Leeds
    Beckett University"), and at the start of one only before a comma, a bracket or a verb that
    says a person ("Zainab told", "Kacper, ...")."""
    after = text[match.end() : match.end() + 2]
    if following is not None and after == " " + following.group("word")[:1]:
        following_word = following.group("word")
        if following_word[:1].isupper() and fold(following_word) in common_words():
            return False
    before = SENTENCE_START.search(text, max(0, match.start() - 12), match.start())
    if before is None:
        return True
    if after[:1] in (",", "(") or after == " (" or match.group("possessive"):
        return True
    return following is not None and after[:1] == " " and following.group("word").lower() in PERSON_VERBS


def _after_contact_word(text, words, index):
    """The word follows one that says what was done with a person: "told Grace", "spoke to Hope"."""
    if index == 0 or text[words[index - 1].end() : words[index].start()] != " ":
        return False
    previous = words[index - 1].group("word").lower()
    if previous in CONTACT_WORDS:
        return True
    if previous in ("to", "with", "about") and index >= 2:
        return words[index - 2].group("word").lower() in CONTACT_BEFORE
    return False


def _has_name(text, context):
    for match in TITLE_AND_NAME.finditer(text):
        # "Mrs May" is a person; "Master Class" is not.
        if match.group("title") != "Master" or match.group("name").lower() not in common_words():
            return True
    if any(match.group("name").lower() not in common_words() for match in FAMILY.finditer(text)):
        return True
    if NICKNAME.search(text):
        return True
    text = NAMED_AFTER_PEOPLE.sub(_blank, text)
    text = TOKEN.sub(lambda match: _blank(match) if _is_address(match.group()) else match.group(), text)
    if _introduced_name(text):
        return True
    names, hand_listed, word_names = first_names(), hand_listed_first_names(), common_word_names()
    words = list(WORD.finditer(text))
    for index, match in enumerate(words):
        word = match.group("word").strip("-")
        lower = fold(word)
        following = words[index + 1] if index + 1 < len(words) else None
        next_to = following is not None and text[match.end() : following.start()] == " "
        if "-" in word and lower not in names and _is_double_first_name(word, names):
            return True
        if not word or lower not in names:
            if (
                next_to
                and not match.group("possessive")
                and _is_unknown_proper(word)
                and _is_family_name(following.group("word"))
                and fold(following.group("word")) in surnames()
            ):
                return True  # an unlisted first name and a known surname: "Tiyana Okonkwo"
            if (
                match.group("possessive")
                and following is not None
                and _is_unknown_proper(word)
                and fold(following.group("word")) in KIN_PEOPLE
            ):
                return True  # "Zaid's mum"
            continue
        previous = words[index - 1] if index else None
        if previous is not None and previous.group("word").lower() in NOT_A_PERSON_BEFORE:
            continue
        if lower not in word_names:
            if _is_title_case(word) and (lower in hand_listed or _generated_name_counts(text, match, following)):
                return True
            if word.islower() and len(word) >= 4 and lower in hand_listed:
                return True
            continue
        # A name that is also a word: only strong context counts, never a capital alone.
        if not _is_title_case(word):
            continue
        if match.group("possessive") and (
            lower not in SEASONS_AND_MONTHS or (following is not None and following.group("word").lower() in KIN)
        ):
            return True  # "Grace's", and "May's mum" but not "May's figures"
        if previous is not None and previous.group("word").lower() in CALLED:
            between = text[previous.end() : match.start()]
            if between.strip() == "":
                return True
        if _after_contact_word(text, words, index) and not (next_to and following.group("word")[:1].isupper()):
            return True  # "spoke to Grace about", not "contacted Hope Street"
        if next_to and not match.group("possessive") and _looks_like_surname(following.group("word")):
            return True
    return False


# --- street addresses ------------------------------------------------------------------------

# A house number and a street ("14 Ashgrove Terrace", "3a Front St"), or a flat and its building
# ("Flat 3, Beacon House"), even without a postcode. The street's name is one to three
# capitalised words; a lower-case street counts after "lives at", "address" and the like.
_STREETS = (
    "Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Terrace|Terr|Close|Drive|Crescent|Cres|Grove|Gardens|Gdns|Place|Way"
    "|Court|Walk|Row|Mews|Square|Sq|Hill|Park|View|Rise|Green|Parade|Vale|Boulevard|Wynd|Gate|Croft|Fold|Bank"
    "|Brow|Chase|Meadows|Villas|Cottages|Approach|Garth|Dene|Lonnen|Loaning|Crest|Paddock|Wharf|Yard|Circus"
)
HOUSE_AND_STREET = re.compile(
    r"(?<![\w/.:,£$%-])(?P<number>\d{1,4}[A-Za-z]?(?:-\d{1,4})?),?[ ]{1,2}"
    rf"(?P<street>(?:[A-Z][a-z'-]{{1,20}}[ ]{{1,2}}){{1,3}}(?:{_STREETS}))\.?(?![\w'])"
)
LOWER_CASE_ADDRESS = re.compile(
    r"(?<![\w])(?:lives|living|live|staying|stays|moved|address|addr)(?:[ ](?:is|at|to|on|in))?[ :]{1,3}"
    r"(?:no\.?[ ]|number[ ])?\d{1,4}[a-z]?,?[ ]{1,2}(?:[a-z'-]{2,20}[ ]{1,2}){1,3}"
    rf"(?:{_STREETS.lower()})(?![\w'])",
    re.IGNORECASE,
)
FLAT = re.compile(
    r"(?<![\w])(?:[Ff]lat|FLAT|[Aa]partment|[Aa]pt|[Mm]aisonette)\.?[ ]{1,2}\d{1,4}[A-Za-z]?(?![\w/]),?[ ]{1,2}"
    r"(?:[A-Z][a-z'-]{1,20}|\d{1,4}[ ][A-Z])"
)
# Numbered things that are not houses: "Room 2, Civic Centre", "Year 9 Park visit", "Section 17".
NOT_A_HOUSE_BEFORE = {
    "room", "suite", "floor", "level", "year", "years", "section", "chapter", "page", "step", "phase", "tier",
    "priority", "action", "item", "week", "day", "stage", "key", "part", "article", "schedule", "paragraph",
    "table", "figure", "appendix", "annex", "ks", "version", "rule", "point", "question", "q", "unit", "gate",
    "platform", "box", "route", "bus", "junction", "block", "ward", "bay", "pitch", "court", "lot", "minute",
}  # fmt: skip
MONTHS_AND_DAYS = {
    *("january", "february", "march", "april", "may", "june", "july", "august", "september", "october"),
    *("november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
}
WORD_BEFORE = re.compile(r"([A-Za-z]{1,20})[ ]{1,2}\Z")


def _word_before(text, start):
    found = WORD_BEFORE.search(text, max(0, start - 24), start)
    return found.group(1).lower() if found else ""


def _has_address(text, context):
    for match in HOUSE_AND_STREET.finditer(text):
        first = match.group("street").split(" ", 1)[0].lower()
        if first in MONTHS_AND_DAYS or _word_before(text, match.start()) in NOT_A_HOUSE_BEFORE:
            continue
        following = WORD.match(text, match.end() + 1) if text[match.end() : match.end() + 1] == " " else None
        if following and following.group("word")[:1].isupper() and following.group("word").lower() in common_words():
            continue  # "3 Lancashire Road Safety areas", "2 Park Lane Surgery"
        return True
    return FLAT.search(text) is not None or LOWER_CASE_ADDRESS.search(text) is not None


# --- schools ---------------------------------------------------------------------------------

# A named school: capitalised words before Academy, School, College, Primary, Grammar, Infants,
# Juniors or Nursery, at least one of which is not an everyday word ("St Aidan's Catholic
# Academy", "Dyke House Sports and Technology College", "Beckstone Primary"). Generic mentions
# ("a secondary school", "the school", "Primary schools", "Secondary School staff", "Forest
# School", "Grace Academy") and bodies named like schools (Academy Trust, College of Policing,
# Primary Care) pass.
SCHOOL_TYPE = re.compile(
    r"(?<![\w'-])(?P<type>Academy|School|College|Primary|Grammar|Infants|Juniors|Nursery|PRU|High|Comprehensive"
    r"|Prep|Preparatory|UTC|Infant|Junior|Collegiate|Sixth[ ]Form)(?:'s)?(?![\w'-])"
)
# Schools named in lower case after a word that says where a child goes: "goes to beckstone primary".
LOWER_CASE_SCHOOL = re.compile(
    r"(?<![\w])(?i:at|to|attends|attend|attended|attending|from)[ ]{1,2}(?P<name>(?:[A-Za-z'.]{2,20}[ ]{1,2}){1,4})"
    r"(?:academy|school|college|primary|high|grammar|juniors|infants|nursery|prep|sixth[ ]form)(?![\w'-])"
)
# A saint's name on its own where a child goes: "a Year 9 pupil at St Bede's", "attends St. Aidan's".
SAINT_SCHOOL = re.compile(
    r"(?<![\w])(?i:at|attends|attend|attended|attending|goes[ ]to|go[ ]to|went[ ]to|moved[ ]to|started[ ]at"
    r"|transferred[ ]to|head[ ]of|headteacher[ ]of|DSL[ ]at|DSL[ ]from|pupils?[ ]from|students?[ ]from)"
    r"[ ]{1,2}(?i:st\.?|saint)[ ]{1,2}[A-Za-z][a-z]{1,20}(?:'s|s')(?![\w])(?![ ]{1,2}[A-Z])"
)
# Words of the landscape and of buildings that name schools though they are everyday words:
# "Beacon Hill School", "Riverside Primary", "Oak Tree Academy", "Park View School".
PLACE_WORDS = {
    "beacon", "castle", "riverside", "river", "meadow", "meadows", "valley", "vale", "park", "hill", "hills",
    "view", "oak", "oaks", "tree", "trees", "wood", "woods", "woodland", "woodlands", "field", "fields", "brook",
    "bridge", "moor", "grange", "lea", "ley", "dale", "mount", "bank", "burn", "ford", "grove", "heath", "hollow",
    "lake", "mill", "orchard", "ridge", "rise", "shore", "springs", "stone", "tower", "wells", "manor", "farm",
    "abbey", "priory", "croft", "garth", "edge", "fell", "holme", "marsh", "mead", "mere", "top", "harbour",
    "bay", "cliff", "cliffs", "coast", "downs", "glen", "haven", "hall", "house", "lodge", "gardens", "green",
    "ash", "elm", "elms", "beech", "birch", "willow", "willows", "cedar", "cedars", "holly", "hawthorn",
    "lime", "limes", "pines", "rowan", "thorn", "brookside", "hillside", "lakeside", "parkside", "bankside",
    "westfield", "eastfield", "northfield", "southfield", "highfield", "greenfield", "fairfield", "newlands",
}  # fmt: skip
NOT_SCHOOLS = re.compile(
    r"(?=[A-Z])(?:Oak National Academy|Khan Academy|National College|Royal College|King'?s College London"
    r"|King'?s College Hospital|Imperial College|University College|Premier League|Police Academy|Open University"
    r"|Sixth Form College|Further Education College|Virtual School|Hospital School|Forest School|Sunday School"
    r"|Summer School|Holiday School|Free School Meals?)",
    re.IGNORECASE,
)
AFTER_SCHOOL_NOT_A_SCHOOL = {
    "trust", "trusts", "care", "of", "games", "partnership", "network", "board", "forum", "nursing", "health",
    "team", "teams", "service", "services", "council", "alliance", "mental", "meals", "nurse", "nurses",
    "improvement", "leads", "lead", "staff", "travel", "transport", "census", "term", "terms", "holidays",
    "age", "years", "phase", "sector", "settings", "setting", "provision", "places", "admissions", "heads",
}  # fmt: skip
GENERIC_SCHOOL_WORDS = {
    "primary", "secondary", "high", "junior", "juniors", "infant", "infants", "nursery", "special", "independent",
    "state", "faith", "catholic", "church", "c", "e", "ce", "rc", "cofe", "community", "free", "grammar", "academy",
    "school", "schools", "college", "sixth", "form", "further", "education", "the", "a", "an", "our", "your",
    "their", "his", "her", "local", "all", "every", "each", "other", "new", "many", "some", "most", "first",
    "middle", "upper", "lower", "boarding", "day", "private", "public", "mainstream", "alternative", "village",
    "rural", "city", "and", "of", "&", "upon", "on", "le", "sports", "sport", "technology", "arts", "science",
    "studio", "university", "technical", "training", "police", "football", "coaching", "skills", "leadership",
    "virtual", "forest", "summer", "sunday", "holiday", "whole", "federation", "trust", "multi", "pupil",
    "referral", "unit", "learning", "centre", "national", "royal", "regional", "county", "borough", "district",
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "methodist", "anglican", "islamic", "jewish", "muslim", "christian", "voluntary", "aided", "controlled",
    "year", "years", "which", "what", "whose", "this", "that", "these", "those", "any", "no", "one", "two",
    "three", "four", "five", "several", "both", "mixed", "boys", "girls", "boys'", "girls'", "secondary-age",
    "online", "digital", "safer", "safe", "healthy", "inclusive", "outstanding", "good", "failing", "previous",
}  # fmt: skip
# Dedications that name a church school: "Sacred Heart RC Primary", "Holy Trinity CE Academy".
DEDICATIONS = {"sacred", "holy", "lady", "christ", "blessed", "corpus", "trinity", "immaculate", "assumption"}
SCHOOL_CONNECTORS = {"and", "&", "of", "the", "upon", "on", "le", "de"}


def _is_distinctive(word, previous):
    """A word in a school's name that says which school: "Aidan's", "Dyke"; not "High" or "Catholic"."""
    stem = word.removesuffix("'s").removesuffix("'").rstrip(".")
    lower = stem.lower()
    if previous in ("st", "st.", "saint") or lower in DEDICATIONS:
        return True
    if not stem or stem.isupper() or lower in GENERIC_SCHOOL_WORDS or lower in MONTHS_AND_DAYS:
        return False
    if lower in PLACE_WORDS:
        return True
    return lower not in common_words() and lower not in common_word_names()


def _names_a_school(text, match):
    start, end = match.span()
    following = WORD.match(text, end + 1) if text[end : end + 1] == " " else None
    if following and following.group("word").lower() in AFTER_SCHOOL_NOT_A_SCHOOL:
        return False
    kind = match.group("type")
    if (
        kind in ("High", "Junior", "Infant", "Prep")
        and following
        and following.group("word")[:1].isupper()
        and following.group("word") not in ("School", "Academy", "College")
    ):
        return False  # "High Street", "Junior Great North Run"
    if kind in ("Primary", "Grammar", "Infants", "Juniors", "Nursery") and following:
        next_word = following.group("word")
        if next_word[:1].isupper() and next_word not in ("School", "Academy"):
            return False  # "Primary Care", "Nursery Nurses"
    words = text[max(0, start - 120) : start].split(" ")
    if not words or words[-1] != "":
        return False  # "Carlisle, School" or the type word at the very start
    name = []
    for token in reversed(words[:-1][-8:]):
        if token == "":
            continue
        if token.lower() in SCHOOL_CONNECTORS and name:
            name.append(token.lower())
            continue
        if token[:1].isupper() and token.replace("'", "").replace("-", "").replace(".", "").isalpha():
            name.append(token)
            continue
        break
    name.reverse()
    while name and name[0] in SCHOOL_CONNECTORS:
        name.pop(0)
    return any(_is_distinctive(word, name[index - 1].lower() if index else "") for index, word in enumerate(name))


def _lower_case_school(text, match):
    """A school whose kind is in lower case ("beckstone primary", "Castlegate high school"): a
    word that says which school, not a place alone ("a Carlisle school" is any school there)."""
    following = WORD.match(text, match.end() + 1) if text[match.end() : match.end() + 1] == " " else None
    if following and following.group("word").lower() in AFTER_SCHOOL_NOT_A_SCHOOL:
        return False
    words = match.group("name").split()
    for index, word in enumerate(words):
        stem = word.removesuffix("'s").removesuffix("'").rstrip(".")
        lower = fold(stem)
        if index and words[index - 1].rstrip(".").lower() in ("st", "saint"):
            return True
        if len(stem) < 3 or not stem.isalpha() or stem.isupper() or lower in GENERIC_SCHOOL_WORDS:
            continue
        if lower in MONTHS_AND_DAYS or lower in places() or lower in ORGANISATIONS:
            continue
        if lower not in common_words() and lower not in common_word_names() and lower not in everyday_words():
            return True
    return False


def _has_school(text, context):
    text = NOT_SCHOOLS.sub(_blank, text)
    if any(_names_a_school(text, match) for match in SCHOOL_TYPE.finditer(text)):
        return True
    if SAINT_SCHOOL.search(text):
        return True
    return any(_lower_case_school(text, match) for match in LOWER_CASE_SCHOOL.finditer(text))


# --- police and social-care references ----------------------------------------------------------

# A reference after the word that introduces it ("crime number NE/2026/118734", "CAD 2231 of
# 14/05", "MASH referral MR-2026-04471", "LCS ID 1234567", "Mosaic 123456"), or alone when it
# has a force's or council's shape: letters, a year and a serial ("NE/2026/118734").
REFERENCE_WORD = re.compile(
    r"(?<![\w])(?:crime|incident|occurrence|log|case|referral|mash|cad|mosaic|lcs|liquid[ ]?logic|ehm|athena|niche"
    r"|storm|urn|police|cp|cin|crn|cris|ref|reference|lado|marac|mappa|pnc|upn)(?![\w])",
    re.IGNORECASE,
)
REFERENCE_AFTER = re.compile(r"[ :=#.-]{1,3}([^\s,;()\"]{1,40})")
REFERENCE_LINKING = {
    "number", "no", "num", "nos", "ref", "reference", "id", "is", "was", "of", "referral", "log", "record", "file",
    "crime", "incident", "report", "case", "serial", "-", "#", "n", "our", "the", "a", "police", "mash", "cad",
}  # fmt: skip
REFERENCE_SHAPE = re.compile(
    r"[A-Za-z]{0,5}[/-]?\d[\d/*-]{2,24}[A-Za-z]{0,3}"
    # blocks of letters or digits joined by / . - _ *: "2026/NE/1187", "CS.2026.0441", "SY-26-118734-A"
    r"|(?=[A-Za-z/.*_-]{0,14}\d)[A-Za-z0-9]{1,12}(?:[/.*_-][A-Za-z0-9]{1,12}){1,5}"
)
# Quarters, key stages, versions and times that look like references: "Q3-2026", "v2.10.1".
NOT_A_REFERENCE = re.compile(
    r"(?i:q[1-4]|ks[1-5]|v\d{1,3}|y\d{1,2})(?:[ /.-]{0,2}\d{1,4}){0,3}|\d{1,2}[.:]\d\d(?:am|pm)?"
)
# A reference written against its introducing word: "CAD2231", "URN-004512", "MASH/2026/0441".
REFERENCE_ATTACHED = re.compile(
    r"(?<![\w/-])(?:CAD|URN|CRN|LCS|MASH|CIN|CP|EH|REF|Ref|CRIS|PNC|CEOP|LADO)[/#-]?\d[\d/-]{3,20}(?![\w/-])"
)
YEAR_OR_RANGE = re.compile(r"(?:19|20)\d\d(?:[/-](?:19|20)?\d\d)?")
LOG_OF_DATE = re.compile(rf"[ ]{{1,2}}of[ ]{{1,2}}\d{{1,2}}(?:[/.-]\d{{1,2}}|{_ORDINAL}[ ](?:{_MONTH}))", re.IGNORECASE)
REFERENCE_ALONE = re.compile(r"(?<![\w/-])[A-Z]{2,4}[/-](?:19|20)?\d\d[/-]\d{4,8}(?:[/-][A-Z0-9]{1,3})?(?![\w/-])")
NOT_A_DIGIT_OR_SEPARATOR = re.compile(r"[^\d]")


def _reference_after(text, end):
    position = end
    for _ in range(4):
        found = REFERENCE_AFTER.match(text, position, min(len(text), position + 48))
        if not found:
            return False
        token = found.group(1).rstrip(".:")
        position = found.end()
        if token.lower().rstrip(".:") in REFERENCE_LINKING or not token:
            continue
        if not REFERENCE_SHAPE.fullmatch(token) or YEAR_OR_RANGE.fullmatch(token) or _is_a_date(token):
            return False
        if NOT_A_REFERENCE.fullmatch(token) or PHONE.match(text, found.start(1)):
            return False  # a quarter, a version, a time; a phone number is judged as one
        digits = len(NOT_A_DIGIT_OR_SEPARATOR.sub("", token))
        return digits >= 4 or (digits >= 2 and LOG_OF_DATE.match(text, position) is not None)
    return False


def _is_a_date(token):
    return any(pattern.fullmatch(token) for pattern in DATE_PATTERNS[:2])


def _has_case_reference(text, context):
    if REFERENCE_ALONE.search(text) or REFERENCE_ATTACHED.search(text):
        return True
    return any(_reference_after(text, match.end()) for match in REFERENCE_WORD.finditer(text))


# --- vehicle registrations ----------------------------------------------------------------------

# The current format (two letters, the age identifier, three letters: "YK19 ABX") in capitals
# anywhere; older prefix ("P123 ABC") and suffix ("ABC 123D") formats, or any case, only near a
# word about a vehicle.
_AGE = r"(?:0[2-9]|[12]\d|5[1-9]|[67]\d)"
CURRENT_PLATE = re.compile(rf"(?<![\w-])[A-HJ-PR-Y]{{2}}{_AGE}[ ]?[A-HJ-PR-Z]{{3}}(?![\w-])")
ANY_PLATE = re.compile(
    rf"(?<![\w-])(?:[A-HJ-PR-Y]{{2}}{_AGE}[ ]?[A-HJ-PR-Z]{{3}}|[A-HJ-NP-Y]\d{{1,3}}[ ]?[A-HJ-PR-Y]{{3}}"
    r"|[A-HJ-PR-Y]{3}[ ]?\d{1,3}[ ]?[A-HJ-NP-Y])(?![\w-])",
    re.IGNORECASE,
)
VEHICLE_WORD = re.compile(
    r"(?<![\w])(?:cars?|vans?|vehicles?|reg|registration|number[ ]plates?|plates?|vrm|taxis?|cabs?|motorbikes?"
    r"|mopeds?|scooters?|corsa|golf|fiesta|focus|polo|astra|bmw|audi|mercedes|vauxhall|ford|toyota|nissan|kia"
    r"|honda|peugeot|range[ ]rover|anpr|drove|driven|driving|driver|hatchback|4x4|saloon)(?![\w])",
    re.IGNORECASE,
)


def _has_vehicle_registration(text, context):
    if CURRENT_PLATE.search(text):
        return True
    return any(any(_near(VEHICLE_WORD, text, match.start(), match.end())) for match in ANY_PLATE.finditer(text))


DETECTORS = {
    "email": _has_email,
    "phone": _has_phone,
    "postcode": _has_postcode,
    "address": _has_address,
    "nhs_number": _has_nhs_number,
    "date_of_birth": _has_date_of_birth,
    "social_media": _has_social_media,
    "name": _has_name,
    "school": _has_school,
    "case_reference": _has_case_reference,
    "vehicle_registration": _has_vehicle_registration,
}


# --- the public interface ----------------------------------------------------------------


def find_personal_data(text, *, today=None):
    """The kinds of personal data that `text` seems to contain, in a fixed order.

    `today` (default: the current date) is what an age next to a date is checked against.
    """
    if not text:
        return []
    text = normalise(str(text))
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
