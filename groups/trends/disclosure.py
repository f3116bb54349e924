"""What a published trend table holds, and the notes that go with it: pure data, no database.

A trend summary's figures are decided and proved safe by `audit.py` (protection and the
audit gate) and recorded in the ledger; `figures.py` reads them back as the tables a page,
chart or CSV shows. This module is the shape of those tables (`PublishedTable`, JSON-ready,
with a `Finding` for each hidden figure) and the Government Statistical Service shorthand
("Symbols in tables definitions and help"): `[c]` confidential, `[z]` not applicable.
"""

from __future__ import annotations

from dataclasses import dataclass

SUPPRESSED = "[c]"
"""GSS shorthand for a confidential (suppressed) figure."""

NOT_APPLICABLE = "[z]"
"""GSS shorthand for a figure that does not apply (e.g. a total of overlapping categories)."""

DEFAULT_THRESHOLD = 10
DEFAULT_ROUNDING_BASE = 5


@dataclass(frozen=True)
class PublishedRecord:
    """One figure as published, kept with a snapshot so later tables can be checked against it.

    `scope` maps each dimension to the keys the figure covers (a dimension left out means
    all of it); `published` is the rounded figure or None when it was hidden; `value` is the
    true count when the publisher chose to keep it (without it, the check assumes anything
    the rounding allows, which hides a little more).
    """

    scope: dict
    published: int | None
    value: int | None = None
    source: str = ""

    def to_dict(self, *, include_value=False):
        data = {"scope": {d: list(keys) for d, keys in self.scope.items()}, "published": self.published}
        if include_value:
            data["value"] = self.value
        if self.source:
            data["source"] = self.source
        return data

    @classmethod
    def from_dict(cls, data):
        return cls(
            scope=_scope(data["scope"]),
            published=data.get("published"),
            value=data.get("value"),
            source=data.get("source", ""),
        )


@dataclass(frozen=True)
class Finding:
    """Why one figure is hidden: the rule that fired, where, and a sentence for editors."""

    rule: str
    position: str
    row: int | None
    column: int | None
    label: str
    explanation: str

    def to_dict(self):
        return {
            "rule": self.rule,
            "position": self.position,
            "row": self.row,
            "column": self.column,
            "label": self.label,
            "explanation": self.explanation,
        }


@dataclass
class PublishedTable:
    """What may be shown: each figure is a whole number (a multiple of the rounding base) or
    `SUPPRESSED`; `row_totals`/`column_totals` are None where no such totals are published
    (a one-column table, or categories that overlap), `grand_total` likewise."""

    title: str
    row_labels: list[str]
    column_labels: list[str]
    cells: list[list[int | str]]
    row_totals: list[int | str] | None
    column_totals: list[int | str] | None
    grand_total: int | str | None
    threshold: int
    rounding_base: int
    report: list[Finding]
    records: list[PublishedRecord]

    def suppressed_count(self):
        values = [v for row in self.cells for v in row]
        values += (self.row_totals or []) + (self.column_totals or []) + [self.grand_total]
        return sum(1 for v in values if v == SUPPRESSED)

    def legend(self):
        return legend(threshold=self.threshold, rounding_base=self.rounding_base)

    def to_dict(self, *, include_values=False):
        """JSON-ready. True values appear only in `records`, and only when asked for."""
        return {
            "title": self.title,
            "row_labels": self.row_labels,
            "column_labels": self.column_labels,
            "cells": self.cells,
            "row_totals": self.row_totals,
            "column_totals": self.column_totals,
            "grand_total": self.grand_total,
            "threshold": self.threshold,
            "rounding_base": self.rounding_base,
            "report": [finding.to_dict() for finding in self.report],
            "records": [record.to_dict(include_value=include_values) for record in self.records],
        }

    @classmethod
    def from_dict(cls, data):
        return cls(
            title=data["title"],
            row_labels=data["row_labels"],
            column_labels=data["column_labels"],
            cells=data["cells"],
            row_totals=data["row_totals"],
            column_totals=data["column_totals"],
            grand_total=data["grand_total"],
            threshold=data["threshold"],
            rounding_base=data["rounding_base"],
            report=[Finding(**finding) for finding in data["report"]],
            records=[PublishedRecord.from_dict(record) for record in data["records"]],
        )


def legend(*, threshold=DEFAULT_THRESHOLD, rounding_base=DEFAULT_ROUNDING_BASE):
    """The notes that go with a protected table, in the GSS shorthand."""
    return [
        f"{SUPPRESSED} Confidential: fewer than {threshold} children, fewer than two organisations, "
        "or hidden so that another hidden figure cannot be worked out.",
        f"{NOT_APPLICABLE} Not applicable.",
        f"Figures are rounded to the nearest {rounding_base}. Totals are rounded separately, "
        "so they may not equal the sum of the figures shown.",
    ]


def _scope(data):
    return {dimension: tuple(keys) for dimension, keys in (data or {}).items()}
