"""The rules every trend return must meet, shared by the form and the services.

Pure functions (no database): the form shows their messages beside the fields, and
`services.trend_return_submit` applies them again to whatever reaches it (the bulk
import, the demo), so the rules are written once.
"""

import datetime
from collections.abc import Mapping

from django.utils.formats import date_format

from portal.pii import validate_no_personal_data

from .categories import BREAKDOWNS, column_label
from .quarters import FIRST_YEAR, Quarter

# Far above any real quarter's count for one agency; bigger is a typing slip.
MAX_COUNT = 100_000
NOTE_MAX_LENGTH = 1000


def quarter_error(quarter: Quarter, today: datetime.date | None = None) -> str | None:
    """Why returns cannot be made for `quarter`, or None when they can."""
    if quarter.year < FIRST_YEAR:
        return f"Choose a quarter from {FIRST_YEAR} onwards."
    if not quarter.has_ended(today):
        return f"You can only submit a return for a quarter that has ended: {quarter.label} ends on " + date_format(
            quarter.end, "j F Y"
        )
    return None


def breakdown_errors(*, total: int, counts: Mapping[str, int | None]) -> dict[str, str]:
    """{breakdown key: message} for each breakdown whose counts do not fit the total.

    Partitions must add up to the total; each "what followed" count must not exceed it.
    """
    errors = {}
    for breakdown in BREAKDOWNS:
        values = [counts.get(key) or 0 for key in breakdown.keys]
        if breakdown.partition:
            added = sum(values)
            if added != total:
                errors[breakdown.key] = (
                    f"{breakdown.plural} add up to {added}, but you said {_children(total)} identified"
                )
        else:
            over = [key for key, value in zip(breakdown.keys, values, strict=True) if value > total]
            if over:
                names = ", ".join(column_label(key).split(": ", 1)[1] for key in over)
                errors[breakdown.key] = (
                    f"{breakdown.label}: each number must be no more than the {total} children identified "
                    f"(check {names})"
                )
    return errors


def _children(total: int) -> str:
    return f"{total} child was" if total == 1 else f"{total} children were"


def validate_note(value: str) -> None:
    """The note on emerging tactics is screened for personal data (portal.pii)."""
    validate_no_personal_data(value)
