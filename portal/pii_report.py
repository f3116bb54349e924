"""`make pii-report`: how well the personal-data screen does on the corpus in tests/pii_corpus/.

Prints recall per kind and overall on the labelled examples and the false-positive rate on
the legitimate ones, then every example the screen got wrong (the corpus is fictional, so
printing it is safe). Ages beside dates are judged as of CORPUS_DATE, when the corpus was
written, so the figures do not drift as the years pass.
"""

import json
import sys
from datetime import date
from pathlib import Path

from portal.pii import LABELS, evaluate

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "pii_corpus"
CORPUS_DATE = date(2026, 11, 1)


def load_corpus(directory=CORPUS):
    """Every example in the corpus's JSON-lines files."""
    examples = []
    for path in sorted(directory.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                examples.append(json.loads(line))
    return examples


def _percent(value):
    return "  n/a" if value is None else f"{value:6.1%}"


def main(out=sys.stdout):
    examples = load_corpus()
    figures = evaluate(examples, today=CORPUS_DATE)
    positives = len(examples) - figures["negatives"]
    print(
        f"Personal-data screen on {len(examples)} texts ({positives} with personal data, "
        f"{figures['negatives']} legitimate), as of {CORPUS_DATE:%d %B %Y}",
        file=out,
    )
    print("", file=out)
    print(f"{'kind':<40} {'found':>9}  recall", file=out)
    for kind, label in LABELS.items():
        found, labelled = figures["found"][kind], figures["labelled"][kind]
        print(f"{label:<40} {found:>4}/{labelled:<4} {_percent(figures['recall'][kind])}", file=out)
    print(
        f"{'structured kinds (email … date of birth)':<40} {'':>9} {_percent(figures['recall_structured'])}", file=out
    )
    print(f"{'all kinds':<40} {'':>9} {_percent(figures['recall_overall'])}", file=out)
    print("", file=out)
    print(
        f"False positives: {figures['false_positives']}/{figures['negatives']} legitimate texts refused "
        f"({_percent(figures['false_positive_rate']).strip()})",
        file=out,
    )
    if figures["misses"]:
        print("", file=out)
        print("Got wrong:", file=out)
        for text, found, expected in figures["misses"]:
            print(f"- {text}\n    found {found or 'nothing'}, expected {expected or 'nothing'}", file=out)
    return figures


if __name__ == "__main__":
    main()
