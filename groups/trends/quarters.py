"""Calendar quarters, the period a trend return covers (Q1 is January to March).

A return is due `TREND_RETURN_DEADLINE_DAYS` days after its quarter ends, and the quarter's
release is announced for `TREND_RELEASE_DAYS` days after it ends; the *reporting quarter*
is the latest quarter that has ended.
"""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]
MONTHS += ["November", "December"]
QUARTER_PATTERN = re.compile(r"^\s*(\d{4})\s*-?\s*Q([1-4])\s*$", re.IGNORECASE)
# Returns start with the portal: nothing is collected for quarters before this year.
FIRST_YEAR = 2020


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def containing(cls, day):
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, value):
        """ "2026-Q2" (or "2026 Q2", "2026q2") as a Quarter; ValueError otherwise."""
        match = QUARTER_PATTERN.match(str(value or ""))
        if not match:
            raise ValueError(f"not a quarter: {value!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def code(self):
        return f"{self.year}-Q{self.number}"

    @property
    def start(self):
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self):
        """The quarter's last day."""
        return self.next().start - datetime.timedelta(days=1)

    @property
    def deadline(self):
        return self.end + datetime.timedelta(days=settings.TREND_RETURN_DEADLINE_DAYS)

    @property
    def release_date(self):
        """The announced date of this quarter's release: `TREND_RELEASE_DAYS` days after it
        ends (time for the returns, due `TREND_RETURN_DEADLINE_DAYS` after, then for the
        audit and the two keys)."""
        return self.end + datetime.timedelta(days=settings.TREND_RELEASE_DAYS)

    @property
    def label(self):
        """ "April to June 2026"."""
        return f"{MONTHS[3 * self.number - 3]} to {MONTHS[3 * self.number - 1]} {self.year}"

    def __str__(self):
        return self.label

    def next(self):
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self):
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def has_ended(self, today=None):
        return self.end < (today or timezone.localdate())


def reporting_quarter(today=None):
    """The latest quarter that has ended: the one returns are being collected for."""
    return Quarter.containing(today or timezone.localdate()).previous()


def recent_quarters(count=8, today=None):
    """The `count` latest ended quarters, newest first (the choices on the return form)."""
    quarters, quarter = [], reporting_quarter(today)
    while len(quarters) < count and quarter.year >= FIRST_YEAR:
        quarters.append(quarter)
        quarter = quarter.previous()
    return quarters
