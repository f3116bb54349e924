"""What a published trend summary shows, read from its snapshot's data alone.

Pure functions (no database): the page, the public copy and both CSV downloads are built
from the stored, protected tables and nothing else, so they can never show a true value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .charts import bar_chart, column_chart
from .disclosure import SUPPRESSED, PublishedTable, legend
from .quarters import Quarter

CSV_HEADER = ["Table", "Category", "Children and young people (rounded to the nearest 5)"]


@dataclass
class Row:
    label: str
    value: int | str  # a published figure or "[c]"
    is_total: bool = False

    @property
    def suppressed(self) -> bool:
        return self.value == SUPPRESSED


def table_rows(table: PublishedTable) -> list[Row]:
    """A published one-column table as rows (figures, then its total when there is one)."""
    rows = [Row(label, cells[0]) for label, cells in zip(table.row_labels, table.cells, strict=True)]
    if table.column_totals:
        rows.append(Row("Total", table.column_totals[0], is_total=True))
    return rows


def published_summary(data: dict[str, Any]) -> dict[str, Any]:
    """What the templates and the CSV show from a snapshot's data: each table with its
    rows and chart, the legend and the report. Reads nothing but `data`."""
    tables = [PublishedTable.from_dict(table) for table in data["tables"]]
    trend, breakdowns = tables[0], tables[1:]
    sections = [
        {
            "id": "trend",
            "title": trend.title,
            "rows": table_rows(trend),
            "chart": column_chart(id_prefix="chart-trend", title=trend.title, rows=table_rows(trend)),
            "report": trend.report,
        }
    ]
    for number, table in enumerate(breakdowns, start=1):
        rows = table_rows(table)
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
    return {
        "quarter": Quarter.parse(data["quarter"]),
        "organisations": data["organisations"],
        "threshold": data["threshold"],
        "sections": sections,
        "legend": legend(threshold=data["threshold"]),
        "suppressed": sum(table.suppressed_count() for table in tables),
    }


def summary_csv_rows(*, title: str, data: dict[str, Any]) -> list[list[Any]]:
    """The CSV of exactly what is published: every table's figures as shown (`[c]` for a
    hidden one), never a true value; the legend at the end."""
    summary = published_summary(data)
    rows = [["Summary", title, ""], ["Quarter", summary["quarter"].label, ""]]
    for section in summary["sections"]:
        rows.extend([section["title"], row.label, row.value] for row in section["rows"])
    rows.extend(["Note", note, ""] for note in summary["legend"])
    return rows
