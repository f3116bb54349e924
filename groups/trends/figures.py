"""What a published trend summary shows, read from its ledger entries alone.

Pure functions (no database): the page, the public copy and both CSV downloads are built
from the publication's recorded figures and nothing else, so they can never show a true value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .categories import BREAKDOWNS
from .charts import bar_chart, column_chart
from .disclosure import SUPPRESSED, Finding, PublishedTable, legend
from .quarters import Quarter

CSV_HEADER = ["Table", "Category", "Children and young people (rounded to the nearest 5)"]
TREND_TITLE = "Children and young people identified, by quarter"
TOTAL = "total"
ROUNDING_BASE = 5
REVISED = "[r]"
"""GSS shorthand for a revised figure."""
NO_DATA = "no data"
REVISED_NOTE = f"{REVISED} Revised: the returns behind this figure changed since the previous revision."
REVISION_POLICY_NOTE = (
    "Revisions: a quarter's summaries (each region's and all regions') are released together and protected "
    "as one. A late return or a correction is published in a revision of the release, which passes the same "
    "disclosure audit against everything already published, including the figures it revises. Figures that "
    "changed are marked as revised; a change that could give a small count away is hidden instead. Earlier "
    "revisions stay in the record of published figures."
)
NO_DATA_NOTE = f"{NO_DATA.capitalize()}: no organisation made a return for this quarter (not the same as 0)."
EXPLANATIONS = {
    "primary": "Fewer than {threshold}.",
    "dominance": "Drawn from fewer than 2 organisations.",
    "secondary": "Hidden so that another hidden figure, or a change since an earlier revision, cannot be worked out.",
    "withheld": "Withheld: the disclosure audit refused this revision, so none of its figures are shown.",
}


@dataclass(frozen=True)
class FigureEntry:
    """One recorded figure as the page reads it (a `TrendLedgerEntry`'s fields)."""

    regions: list[str]
    quarters: list[str]
    category: str
    value: int | None
    reason: str = ""
    revised: bool = False
    no_data: bool = False


def quarter_short_label(quarter: Quarter) -> str:
    return f"{quarter.year} Q{quarter.number}"


def _table(
    title: str,
    labels: list[str],
    entries: list[FigureEntry | None],
    total: FigureEntry | None,
    threshold: int,
) -> dict[str, Any]:
    def shown(entry: FigureEntry | None) -> int | str:
        return SUPPRESSED if entry is None or entry.value is None else entry.value

    report = [
        Finding(
            rule=entry.reason,
            position="cell",
            row=row,
            column=0,
            label=label,
            explanation=EXPLANATIONS.get(entry.reason, "").format(threshold=threshold),
        )
        for row, (label, entry) in enumerate(zip(labels, [*entries, total], strict=False))
        if entry is not None and entry.value is None and entry.reason
    ]
    table = PublishedTable(
        title=title,
        row_labels=labels[: len(entries)],
        column_labels=[],
        cells=[[shown(entry)] for entry in entries],
        row_totals=None,
        column_totals=[shown(total)] if total is not None else None,
        grand_total=None,
        threshold=threshold,
        rounding_base=ROUNDING_BASE,
        report=report,
        records=[],
    )
    marked = [*entries, total] if total is not None else entries
    flags = [
        {"revised": entry is not None and entry.revised, "no_data": entry is not None and entry.no_data}
        for entry in marked
    ]
    return {**table.to_dict(), "flags": flags}


def summary_data(
    *,
    quarter: Quarter,
    quarters: list[Quarter],
    regions: list[str],
    organisations: int,
    threshold: int,
    entries: list[FigureEntry],
) -> dict[str, Any]:
    """A publication's figures as the tables a page shows: the trend of quarterly totals,
    then one table per breakdown of the summary's quarter. Each figure is looked up by its
    scope, so a figure that appears twice (the quarter's total) reads the same in both."""
    by_scope = {(tuple(sorted(e.regions)), tuple(sorted(e.quarters)), e.category): e for e in entries}
    everywhere = tuple(sorted(regions))

    def entry(quarter_code: str, category: str) -> FigureEntry | None:
        return by_scope.get((everywhere, (quarter_code,), category))

    tables = [
        _table(
            TREND_TITLE,
            [quarter_short_label(q) for q in quarters],
            [entry(q.code, TOTAL) for q in quarters],
            None,
            threshold,
        )
    ]
    for breakdown in BREAKDOWNS:
        labels = [c.label for c in breakdown.categories] + (["Total"] if breakdown.partition else [])
        tables.append(
            _table(
                breakdown.label,
                labels,
                [entry(quarter.code, key) for key in breakdown.keys],
                entry(quarter.code, TOTAL) if breakdown.partition else None,
                threshold,
            )
        )
    return {
        "quarter": quarter.code,
        "quarters": [q.code for q in quarters],
        "regions": list(regions),
        "organisations": organisations,
        "threshold": threshold,
        "tables": tables,
    }


@dataclass
class Row:
    label: str
    value: int | str  # a published figure or "[c]"
    is_total: bool = False
    revised: bool = False  # the returns behind it changed since the previous revision: [r]
    no_data: bool = False  # no returns at all for its quarter: "no data", never 0

    @property
    def suppressed(self) -> bool:
        return self.value == SUPPRESSED

    @property
    def shown(self) -> str:
        """The figure as written in a table or CSV: the number, `[c]` or "no data", then `[r]`."""
        text = NO_DATA if self.no_data else str(self.value)
        return f"{text} {REVISED}" if self.revised else text


def table_rows(table: PublishedTable, flags: list[dict[str, bool]] | None = None) -> list[Row]:
    """A published one-column table as rows (figures, then its total when there is one),
    each with its revised and no-data marks."""
    rows = [Row(label, cells[0]) for label, cells in zip(table.row_labels, table.cells, strict=True)]
    if table.column_totals:
        rows.append(Row("Total", table.column_totals[0], is_total=True))
    for row, marks in zip(rows, flags or [], strict=False):
        row.revised, row.no_data = marks["revised"], marks["no_data"]
    return rows


def _published_table(data: dict[str, Any]) -> tuple[PublishedTable, list[dict[str, bool]]]:
    fields = {key: value for key, value in data.items() if key != "flags"}
    return PublishedTable.from_dict(fields), data.get("flags", [])


def published_summary(data: dict[str, Any]) -> dict[str, Any]:
    """What the templates and the CSV show from a publication's data: each table with its
    rows and chart, the legend and the report. Reads nothing but `data`."""
    read = [_published_table(table) for table in data["tables"]]
    tables = [table for table, _ in read]
    (trend, trend_flags), breakdowns = read[0], read[1:]
    trend_rows = table_rows(trend, trend_flags)
    sections = [
        {
            "id": "trend",
            "title": trend.title,
            "rows": trend_rows,
            "chart": column_chart(id_prefix="chart-trend", title=trend.title, rows=trend_rows),
            "report": trend.report,
        }
    ]
    for number, (table, flags) in enumerate(breakdowns, start=1):
        rows = table_rows(table, flags)
        sections.append(
            {
                "id": f"breakdown-{number}",
                "title": table.title,
                "rows": rows,
                "chart": bar_chart(
                    id_prefix=f"chart-breakdown-{number}",
                    title=table.title,
                    rows=[row for row in rows if not row.is_total],
                ),
                "report": table.report,
            }
        )
    every_row = [row for section in sections for row in section["rows"]]
    notes = legend(threshold=data["threshold"])
    if any(row.revised for row in every_row):
        notes.append(REVISED_NOTE)
    if any(row.no_data for row in every_row):
        notes.append(NO_DATA_NOTE)
    notes.append(REVISION_POLICY_NOTE)
    return {
        "quarter": Quarter.parse(data["quarter"]),
        "organisations": data["organisations"],
        "threshold": data["threshold"],
        "sections": sections,
        "legend": notes,
        "suppressed": sum(table.suppressed_count() for table in tables),
    }


def summary_csv_rows(*, title: str, data: dict[str, Any]) -> list[list[Any]]:
    """The CSV of exactly what is published: every table's figures as shown (`[c]` for a
    hidden one, "no data" for a quarter without returns, `[r]` after a revised one), never
    a true value; the legend at the end."""
    summary = published_summary(data)
    rows = [["Summary", title, ""], ["Quarter", summary["quarter"].label, ""]]
    for section in summary["sections"]:
        rows.extend(
            [section["title"], row.label, row.shown if row.revised or row.no_data else row.value]
            for row in section["rows"]
        )
    rows.extend(["Note", note, ""] for note in summary["legend"])
    return rows
