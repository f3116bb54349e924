"""Charts for the trend summaries, drawn on the server as SVG (no JavaScript).

These functions turn a published table's rows into geometry (coordinates, sizes and
labels) for `templates/groups/components/column_chart.svg` and `bar_chart.svg`. Every
chart has a title and a description written out in words (the SVG's `<title>` and
`<desc>`, named by `aria-labelledby`), and the data table beside it. A hidden figure is
drawn as a labelled gap, a dashed outline with `[c]`, never as a bar of some height; a
quarter without returns has no bar at all, only the words "no data" (never a bar of 0);
a revised figure carries `[r]`. Every bar carries its figure as text, so nothing depends
on colour.
"""

from dataclasses import dataclass

from .disclosure import SUPPRESSED

WIDTH = 640
TEXT_COLOUR = "#0b0c0c"  # GOV.UK text colour: 19.8:1 on white
BAR_COLOUR = "#1d70b8"  # GOV.UK blue: 5.2:1 on white (WCAG 1.4.11 asks 3:1 for graphics)
GAP_COLOUR = "#505a5f"  # GOV.UK secondary text: 7:1 on white


@dataclass
class Mark:
    label: str
    value_text: str  # the figure as shown ("[c]", "no data", "[r]" after a revised one)
    suppressed: bool
    no_data: bool
    x: float
    y: float
    width: float
    height: float
    text_x: float  # where the figure's label is written
    text_y: float
    label_x: float  # where the category's label is written
    label_y: float


def _scale_max(rows):
    numbers = [row.value for row in rows if isinstance(row.value, int)]
    return max([*numbers, 5])


def _describe(title, rows):
    parts = []
    for row in rows:
        if row.no_data:
            text = "no data"
        elif row.value == SUPPRESSED:
            text = "hidden [c]"
        else:
            text = str(row.value)
        parts.append(f"{row.label}: {text}, revised [r]" if row.revised else f"{row.label}: {text}")
    return f"{title}. " + "; ".join(parts) + "."


def column_chart(*, id_prefix, title, rows):
    """A column per row (the quarters of the trend), oldest on the left."""
    height, top, bottom, left = 260, 24, 40, 8
    plot = height - top - bottom
    slot = (WIDTH - 2 * left) / max(len(rows), 1)
    bar_width = min(slot * 0.6, 56)
    top_value = _scale_max(rows)
    marks = []
    for index, row in enumerate(rows):
        centre = left + slot * index + slot / 2
        suppressed = row.value == SUPPRESSED and not row.no_data
        bar = plot * 0.35 if suppressed else 0 if row.no_data else plot * row.value / top_value
        y = top + plot - bar
        marks.append(
            Mark(
                label=row.label,
                value_text=row.shown,
                suppressed=suppressed,
                no_data=row.no_data,
                x=round(centre - bar_width / 2, 1),
                y=round(y, 1),
                width=round(bar_width, 1),
                height=round(bar, 1),
                text_x=round(centre, 1),
                text_y=round((y + bar / 2 + 5) if suppressed else (y - 6), 1),
                label_x=round(centre, 1),
                label_y=height - bottom + 20,
            )
        )
    return {
        "id": id_prefix,
        "title": title,
        "description": _describe(title, rows),
        "width": WIDTH,
        "height": height,
        "baseline_y": top + plot,
        "marks": marks,
        "colours": {"text": TEXT_COLOUR, "bar": BAR_COLOUR, "gap": GAP_COLOUR},
    }


def bar_chart(*, id_prefix, title, rows):
    """A horizontal bar per category, labels on the left, figures at the end of each bar."""
    row_height, label_width, right = 34, 250, 60
    plot = WIDTH - label_width - right
    top_value = _scale_max(rows)
    marks = []
    for index, row in enumerate(rows):
        y = index * row_height + 6
        suppressed = row.value == SUPPRESSED and not row.no_data
        length = plot * 0.25 if suppressed else 0 if row.no_data else plot * row.value / top_value
        marks.append(
            Mark(
                label=row.label,
                value_text=row.shown,
                suppressed=suppressed,
                no_data=row.no_data,
                x=label_width,
                y=y,
                width=round(length, 1),
                height=row_height - 12,
                text_x=round(label_width + (length / 2 if suppressed else length + 6), 1),
                text_y=y + (row_height - 12) / 2 + 5,
                label_x=label_width - 8,
                label_y=y + (row_height - 12) / 2 + 5,
            )
        )
    return {
        "id": id_prefix,
        "title": title,
        "description": _describe(title, rows),
        "width": WIDTH,
        "height": len(rows) * row_height + 8,
        "axis_x": label_width,
        "marks": marks,
        "colours": {"text": TEXT_COLOUR, "bar": BAR_COLOUR, "gap": GAP_COLOUR},
    }
