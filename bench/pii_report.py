"""How well the personal-data screen does on the corpus in tests/pii_corpus/: `make pii-report`
(python -m bench.pii_report).

Prints recall per kind and overall on the texts with personal data and the false-positive
rate on the legitimate ones: for the whole corpus, then for each file, since the screen was
tuned on the positives and negatives files but the holdout files were written apart and are
only measured. Then every development-set text the screen got wrong; held-out texts are never
printed, so that nobody tunes on them. Ages beside dates are judged as of CORPUS_DATE, when
the corpus was written, so the figures do not drift as the years pass.
"""

import json
import sys
import time
from datetime import date
from pathlib import Path

from faker import Faker

from portal.pii import DETECTORS, LABELS, evaluate, find_personal_data, normalise

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "pii_corpus"
CORPUS_DATE = date(2026, 11, 1)

# Hostile texts for the detectors that look around each candidate: long runs of spaced
# digits, Title Case runs, repeated "the", long handles, repeated street and school words.
# Each is repeated to fill a text (tests/portal/pii/test_pii_performance.py counts the steps taken on
# them; `hostile_scaling` below times them at 256 KB and 1 MB).
HOSTILE_UNITS = {
    "phone": ["7 ", "0 ", "+2 ", "0 7 7 0 "],
    "address": ["Ashgrove ", "Road ", "14 Road ", "14 Ashgrove Ashgrove Ashgrove Lane1 ", "lives at 1 ", "Flat 1 x "],
    "school": ["Grace House Academy ", "School ", "Dyke House ", "St Academy ", "at St Bede's ", "goes to park view "],
    "case_reference": ["crime number ", "CAD ", "NE/2026/", "log 12 of ", "ref CS.2026.", "CAD2231/"],
    "vehicle_registration": ["YK19 ", "van P1 AB ", "ABC 1 "],
    "social_media": ["a_", "Snapchat is ", "username ", "Discord x_1 ", "a" * 5_000 + "_1 "],
    "date_of_birth": ["third of ", "born the third of "],
    "name": [
        *("the ", "The Henderson ", "known as ", "known to his friends as "),
        *("her brother ", "Kacper (", "the Okonkwos ", "J. Adeyemi ", "Zainab, ", "Tiyana Okonkwo "),
    ],
}


def hostile_text(unit, size):
    """`unit` repeated to about `size` characters, normalised as the screen reads it."""
    return normalise(unit * (size // len(unit)))


def hostile_scaling(*, small=256_000, large=1_024_000):
    """For each detector and hostile unit: seconds for a `small` and a `large` text (the
    least of two runs) and their ratio. Linear work gives about large/small; a quadratic
    scan gives its square. A benchmark, not a test: times depend on the machine."""
    rows = []
    for kind, units in HOSTILE_UNITS.items():
        detect = DETECTORS[kind]
        for unit in units:
            seconds = []
            for size in (small, large):
                text = hostile_text(unit, size)
                runs = []
                for _ in range(2):
                    started = time.perf_counter()
                    detect(text, {"today": CORPUS_DATE})
                    runs.append(time.perf_counter() - started)
                seconds.append(min(runs))
            rows.append((kind, unit, seconds[0], seconds[1], seconds[1] / max(seconds[0], 1e-6)))
    return rows


def load_corpus(directory=CORPUS, pattern="*.jsonl"):
    """Every example in the corpus's JSON-lines files (each: source, text, kinds)."""
    examples = []
    for path in sorted(directory.glob(pattern)):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                examples.append(json.loads(line))
    return examples


def _percent(value):
    return "n/a" if value is None else f"{value:.1%}"


def _print_figures(title, examples, out):
    figures = evaluate(examples, today=CORPUS_DATE)
    negatives = figures["negatives"]
    print(
        f"{title}: {len(examples)} texts, {len(examples) - negatives} with personal data, {negatives} legitimate",
        file=out,
    )
    for kind, label in LABELS.items():
        found, labelled = figures["found"][kind], figures["labelled"][kind]
        print(f"  {label:<40} {found:>4}/{labelled:<4} {_percent(figures['recall'][kind]):>7}", file=out)
    print(f"  {'recall, structured kinds (email to DOB)':<50} {_percent(figures['recall_structured']):>7}", file=out)
    print(f"  {'recall, all kinds':<50} {_percent(figures['recall_overall']):>7}", file=out)
    print(
        f"  false positives: {figures['false_positives']}/{negatives} legitimate texts refused "
        f"({_percent(figures['false_positive_rate'])})",
        file=out,
    )
    print("", file=out)
    return figures


def faker_check(samples=2000, seed=1):
    """Recall on values from Faker's en_GB providers: a generator the screen was not written against.

    Phone numbers in the 08 (freephone) and 09 (premium) ranges belong to services and are
    deliberately not matched, so they are counted apart.
    """
    fake = Faker("en_GB")
    Faker.seed(seed)
    generators = {
        "phone": ("UK phone numbers (not 08/09)", fake.phone_number),
        "mobile": ("UK mobile numbers", fake.cellphone_number),
        "postcode": ("postcodes", fake.postcode),
        "email": ("email addresses", fake.email),
        "name": ("full names", fake.name),
    }
    results = {}
    for key, (label, generate) in generators.items():
        kind = "phone" if key == "mobile" else key
        found = total = 0
        while total < samples:
            value = generate()
            digits = "".join(char for char in value.replace("+44", "0").replace("(0)", "") if char.isdigit())
            if kind == "phone" and digits.lstrip("0")[:1] in ("8", "9"):
                continue
            total += 1
            found += kind in {finding.kind for finding in find_personal_data(f"Contact: {value}.")}
        results[label] = found / total
    return results


def _print_hostile(out, rows, *, small, large):
    print(f"Hostile input, {small // 1000} KB then {large // 1000} KB (linear: about {large / small:.0f}x):", file=out)
    for kind, unit, small_seconds, large_seconds, ratio in rows:
        label = f"{kind}: {unit[:24]!r}"
        print(f"  {label:<44} {small_seconds:7.3f} s {large_seconds:7.3f} s {ratio:5.1f}x", file=out)
    print(f"  worst ratio {max(row[4] for row in rows):.1f}x", file=out)
    print("", file=out)


def main(out=sys.stdout, *, samples=2000, hostile=(256_000, 1_024_000)):
    examples = load_corpus()
    print(f"Personal-data screen, corpus as of {CORPUS_DATE:%d %B %Y}", file=out)
    print("", file=out)
    figures = _print_figures("Whole corpus", examples, out)
    tuned = _print_figures("Development set (the screen was tuned on it)", load_corpus(pattern="[pn]*.jsonl"), out)
    _print_figures("Held-out set (written after tuning)", load_corpus(pattern="holdout.jsonl"), out)
    _print_figures(
        "Second held-out set (written without the screen's code or tuning data)",
        load_corpus(pattern="holdout-2.jsonl"),
        out,
    )
    print(f"Faker en_GB values in a sentence, {samples} of each:", file=out)
    for label, recall in faker_check(samples).items():
        print(f"  {label:<50} {_percent(recall):>7}", file=out)
    print("", file=out)
    if hostile:
        small, large = hostile
        _print_hostile(out, hostile_scaling(small=small, large=large), small=small, large=large)
    # Only the development set's misses are printed: the held-out sets are measured, never read,
    # so that nobody tunes the screen on them; their figures above are all the report shows.
    if tuned["misses"]:
        print("Got wrong in the development set (held-out misses are counted above, not shown):", file=out)
        for text, found, expected in tuned["misses"]:
            print(f"- {text}\n    found {found or 'nothing'}, expected {expected or 'nothing'}", file=out)
    else:
        print("Got wrong in the development set: nothing.", file=out)
    return figures


if __name__ == "__main__":
    main()
