"""Writes the personal-data screen's generated name lists: `python -m bench.pii_name_lists`.

portal/data/first_names.txt is written by hand (ONS baby-name lists and names common in the
UK's communities). This adds two generated lists, read by portal/pii.py at run time (Faker is
a development requirement only, so the screen never imports it):

- portal/data/first_names_more.txt: first names from Faker's person providers (MIT licence,
  https://github.com/joke2k/faker) for the languages and countries of the UK's families:
  English-speaking countries, Irish, the Indian subcontinent, Nigeria, Ghana, Kenya and
  southern Africa, Eastern and Southern Europe, Turkey; Cyrillic ones transliterated.
- portal/data/surnames.txt: surnames from the same providers.

- portal/data/everyday_words.txt: words that English prose on the machine (the Python standard
  library and installed packages, the manual pages and package documents) writes in lower case.

A generated name is left out when it is an everyday word (or an inflected form of one is:
"wash", "washed"), a word in common_words.txt or NOT_NAMES below, a place in places.txt,
shorter than four letters, or already hand-listed. The lists' headers say the same.
"""

import gzip
import importlib
import re
import sys
import sysconfig
from collections import Counter
from pathlib import Path

from anyascii import anyascii

from portal.pii import DATA, fold

FIRST_NAME_LOCALES = (
    "en", "en_GB", "en_IE", "ga_IE", "en_US", "en_NZ", "en_IN", "en_PK", "hi_IN", "ta_IN", "ne_NP", "si_LK",
    "bn_BD", "en_NG", "yo_NG", "ig_NG", "ha_NG", "tw_GH", "en_KE", "sw", "zu_ZA", "pl_PL", "ro_RO", "lt_LT",
    "lv_LV", "cs_CZ", "sk_SK", "hu_HU", "hr_HR", "sl_SI", "bg_BG", "uk_UA", "ru_RU", "tr_TR", "az_AZ", "pt_PT",
    "pt_BR", "es_ES", "it_IT", "fr_FR", "de_DE", "nl_NL", "el_GR", "fr_DZ", "vi_VN", "fa_IR", "id_ID",
)  # fmt: skip
SURNAME_LOCALES = FIRST_NAME_LOCALES
# Scripts anyascii turns into readable Latin names; others (Arabic, Devanagari...) lose vowels.
TRANSLITERATED = {"bg_BG", "uk_UA", "ru_RU", "el_GR"}
# Names that are words, brands or services in safeguarding notes, whatever the vocabulary says.
NOT_NAMES = {
    "alexa", "siri", "cortana", "mercedes", "porsche", "lexus", "toyota", "tesla", "roblox", "discord", "twitch",
    "telegram", "signal", "kik", "snapchat", "instagram", "tiktok", "whatsapp", "facebook", "google", "apple",
    "amazon", "netflix", "ofsted", "ofcom", "nspcc", "childline", "barnardo", "barnardos", "samaritans", "mind",
    "prevent", "channel", "operation", "encompass", "sextortion", "grooming", "storm", "niche", "athena",
    "mosaic", "liquidlogic", "beacon", "lighthouse", "harbour", "harbor", "haven", "meadow", "willow", "river",
    "ocean", "sky", "rain", "star", "angel", "baby", "honey", "sugar", "candy", "king", "queen", "prince",
    "princess", "duke", "lord", "lady", "major", "general", "captain", "royal", "saint", "bishop", "pope",
    "deacon", "church", "abbey", "chapel", "temple", "christian", "muslim", "jewish", "catholic", "gypsy",
    "traveller", "rome", "paris", "london", "sydney", "florence", "chelsea", "brooklyn", "dallas", "austin",
    "houston", "denver", "phoenix", "vienna", "geneva", "venice", "milan", "madrid", "berlin", "india", "china",
    "jordan", "israel", "egypt", "kenya", "africa", "asia", "america", "europe", "christmas", "easter", "summer",
    "autumn", "winter", "spring", "january", "february", "march", "april", "june", "july", "august",
    "september", "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "police", "county", "council", "school", "college", "academy", "primary", "street",
    "road", "lane", "house", "hall", "court", "park", "green", "hill", "field", "wood", "brook", "dale",
    "year", "term", "month", "week", "data", "figure", "figures", "total", "report", "review", "team",
    "youth", "family", "child", "children", "parent", "parents", "carer", "carers", "social", "health",
    "online", "safety", "internet", "digital", "media", "group", "member", "members", "meeting", "agenda",
    "action", "update", "return", "trend", "local", "regional", "national", "north", "south", "east", "west",
    "united", "city", "town", "village", "centre", "center", "hub", "zone", "project", "foundation", "trust",
    "service", "services", "partnership", "network", "forum", "board", "panel", "unit", "office", "station",
    "justice", "liberty", "freedom", "unity", "harmony", "peace", "love", "faith", "hope", "charity", "grace",
    "joy", "glory", "mercy", "patience", "prudence", "verity", "honour", "honor", "promise", "blessing",
    "miracle", "precious", "gift", "marvel", "wonder", "legend", "hero", "champion", "victory", "triumph",
    "success", "prosper", "wisdom", "sincere", "genesis", "exodus", "messiah", "christ", "trinity", "heaven",
    "paradise", "nova", "orion", "atlas", "apollo", "zeus", "mars", "venus", "luna", "sol", "stella", "aurora",
    "crystal", "diamond", "pearl", "ruby", "amber", "jade", "jasper", "onyx", "opal", "coral", "ivory", "ebony",
    "scarlet", "violet", "hazel", "olive", "rose", "lily", "daisy", "iris", "ivy", "poppy", "holly", "heather",
    "fern", "clover", "sage", "basil", "rosemary", "cherry", "berry", "peach", "plum", "ginger",
    "pepper", "cookie", "brandy", "whisky", "sherry", "champagne", "cash", "money", "penny", "rich",
    "dollar", "hunter", "archer", "fisher", "baker", "cook", "butler", "porter", "carter", "cooper", "taylor",
    "mason", "smith", "miller", "walker", "turner", "parker", "stone", "rock", "cliff", "glen", "heath",
    "marsh", "moor", "ford", "lake", "sea", "bay", "cove", "shore", "beach", "island", "isle", "forest",
    "thunder", "blaze", "flame", "fire", "ash", "frost", "snow", "cloud", "breeze", "gale",
    "dawn", "eve", "noon", "knight", "page", "squire", "sterling", "silver", "gold", "golden", "bronze",
    "tiny", "junior", "senior", "young", "old", "new", "little", "big", "sweet", "happy", "lucky", "sunny",
    "bonny", "fair", "merry", "jolly", "gay", "frank", "earnest", "constance", "temperance", "modesty",
    "will", "may", "mark", "bill", "pat", "sue", "rob", "nick", "jack", "max", "ray", "guy", "dean", "don",
    "art", "bud", "chip", "chuck", "rusty", "dusty", "sandy", "misty", "stormy", "windy", "rocky", "skip",
    "ace", "kit", "sunshine", "lovely", "beauty", "bella", "dolly", "doll", "darling", "dear", "sweetie",
    "pinky", "blue", "red", "brown", "black", "white", "grey", "gray", "orange", "pink", "purple",
    "cartoon", "texas", "florida", "georgia", "carolina", "virginia", "dakota", "montana", "nevada", "arizona",
    "kansas", "indiana", "tennessee", "kentucky", "memphis", "boston", "orlando", "cleveland", "lincoln",
    "washington", "jackson", "nelson", "stanley", "preston", "chester", "kendal", "devon", "cornwall",
    "york", "hull", "derby", "bristol", "durham", "carlisle", "barrow", "eden", "wells", "bath", "ely",
    "ripon", "selby", "whitby", "brent", "harrow", "camden", "bradford", "halifax", "luton", "bedford",
    "dover", "kent", "essex", "norfolk", "suffolk", "surrey", "sussex", "dorset", "somerset", "clyde", "tyne",
    "tees", "wear", "mersey", "severn", "thames", "trent", "avon", "derwent", "lune", "cheap", "dash", "chase",
    "fleet", "swift", "quick", "rapid", "brave", "bold", "strong", "wise", "clever",
    "better", "best", "early", "late", "long", "short", "high", "low", "middle", "upper", "lower",
    "chin", "baron", "canyon", "turkmen", "georgian", "ransom", "colt", "fawn", "garnet", "manilla", "hoover",
    "parley", "viva", "buffy", "lott", "wash", "cleave", "arlington", "wedding", "ticket", "custody", "ward",
}  # fmt: skip
WORD = re.compile(r"(?<![\w'@./<-])[a-z]{4,}(?![\w'@/>-]|\.\w)")
LETTERS = re.compile(r"[a-z][a-z'-]{2,29}")


def _provider(locale):
    try:
        return importlib.import_module(f"faker.providers.person.{locale}").Provider
    except ImportError:
        return None


def _names(locale, attributes):
    provider = _provider(locale)
    if provider is None:
        return []
    found = []
    for attribute in attributes:
        values = getattr(provider, attribute, None)
        if isinstance(values, dict | tuple | list | set | frozenset):
            found.extend(values)
    names = []
    for value in found:
        for part in str(value).split():
            if locale in TRANSLITERATED:
                part = anyascii(part)
            names.append(part)
    return names


# English prose to learn everyday words from, where the machine has it: the Python standard
# library and installed packages (their comments, docstrings and documents, the English of
# their translations), and the system's manual pages and package documents.
PROSE_ROOTS = (sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["purelib"], "/usr/share/man", "/usr/share/doc")
# Code and translations write names in lower case inside addresses and paths ("lukasz@...",
# "docs/marcin/"), so words touching @, a dot, a slash or an angle bracket are not read.
PROSE_SUFFIXES = {".py", ".po", ".txt", ".rst", ".md", ".gz", ".html"}
# How often prose must write a word in lower case for it to count as everyday: three times to
# keep a generated name out, ten times for the everyday-words list the screen reads.
EVERYDAY = 10
INFLECTIONS = ("s", "es", "ed", "d", "ing", "er", "ers", "ly", "ful", "ness")


def _read(path):
    if path.suffix == ".gz":
        with gzip.open(path, "rt", encoding="utf-8", errors="ignore") as file:
            return file.read(2_000_000)
    return path.read_text(encoding="utf-8", errors="ignore")


def _vocabulary():
    """How often English prose on this machine writes each lower-case word of four letters or
    more: everyday words, not names (which prose capitalises)."""
    counts = Counter()
    for root in PROSE_ROOTS:
        for path in Path(root).rglob("*"):
            if path.suffix not in PROSE_SUFFIXES or not path.is_file():
                continue
            try:
                counts.update(WORD.findall(_read(path)))
            except (OSError, EOFError, gzip.BadGzipFile):
                continue
    return counts


def _is_a_word(name, vocabulary):
    """A name is also a word when an inflected form of it is one ("wash": "washed", "washing")."""
    stem = name[:-1] if name.endswith("e") else name
    forms = {name, *(name + ending for ending in INFLECTIONS), *(stem + ending for ending in INFLECTIONS)}
    return not forms.isdisjoint(vocabulary)


def _hand_list(filename):
    lines = (DATA / filename).read_text(encoding="utf-8").splitlines()
    return {fold(line.strip()) for line in lines if line.strip() and not line.startswith("#")}


def _keep(names, excluded, vocabulary):
    kept = set()
    for name in names:
        folded = fold(name.strip(".,"))
        if not LETTERS.fullmatch(folded) or len(folded.replace("-", "").replace("'", "")) < 4:
            continue
        if folded not in excluded and not _is_a_word(folded, vocabulary):
            kept.add(folded)
    return kept


HEADER = """# {title}
# Generated by bench/pii_name_lists.py from the person providers of Faker (MIT licence,
# https://github.com/joke2k/faker), for the portal's personal-data screen (portal/pii.py), which
# reads this file and never imports Faker. Lower case, accents removed (the screen compares
# words the same way). Left out: everyday English words, places (places.txt), names shorter
# than four letters and those already in first_names.txt or common_word_names.txt.
# Locales: {locales}
"""


WORDS_HEADER = """# Everyday English words, lower case, for the personal-data screen (portal/pii.py): a capitalised
# word beside a person's word ("the child Protection Conference") is a name only when it is not
# one of these. Generated by bench/pii_name_lists.py: words of four letters or more that English
# prose (the Python standard library and installed packages, manual pages and package documents)
# writes in lower case at least ten times, less the first names.
"""


def write(path, title, names, locales):
    text = HEADER.format(title=title, locales=" ".join(locales)) + "".join(f"{name}\n" for name in sorted(names))
    path.write_text(text, encoding="utf-8")
    print(f"{path.name}: {len(names)} names", file=sys.stderr)


def main():
    counts = _vocabulary()
    vocabulary = {word for word, count in counts.items() if count >= 3}
    excluded = (
        _hand_list("common_words.txt") | _hand_list("common_word_names.txt") | _hand_list("places.txt") | NOT_NAMES
    )
    hand_first = _hand_list("first_names.txt")
    first = set()
    for locale in FIRST_NAME_LOCALES:
        first |= _keep(
            _names(locale, ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")),
            excluded,
            vocabulary,
        )
    surnames = set()
    for locale in SURNAME_LOCALES:
        surnames |= _keep(_names(locale, ("last_names", "last_names_male", "last_names_female")), excluded, vocabulary)
    write(DATA / "first_names_more.txt", "More first names, generated.", first - hand_first, FIRST_NAME_LOCALES)
    write(DATA / "surnames.txt", "Surnames, generated.", surnames, SURNAME_LOCALES)
    words = {word for word, count in counts.items() if count >= EVERYDAY and word not in hand_first} - first
    (DATA / "everyday_words.txt").write_text(WORDS_HEADER + "".join(f"{word}\n" for word in sorted(words)), "utf-8")
    print(f"everyday_words.txt: {len(words)} words", file=sys.stderr)


if __name__ == "__main__":
    main()
