"""Partial dates as editors write them on case pages: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

# \d also accepts other scripts' decimal digits (Arabic-Indic ٢٠١٩, full-width ２０１９): int()
# reads them, and editors typing in those scripts should not get an error for it.
_PARTIAL_DATE_RE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day. Invalid combinations raise ValueError."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year out of range: {self.year}")
        if self.month is None:
            if self.day is not None:
                raise ValueError("a day needs a month")
            return
        if not 1 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.month}")
        if self.day is not None and not 1 <= self.day <= self._days_in_month():
            raise ValueError(f"day out of range: {self.year}-{self.month:02d}-{self.day}")

    def _days_in_month(self) -> int:
        return calendar.monthrange(self.year, self.month or 12)[1]

    def __str__(self) -> str:
        out = f"{self.year:04d}"
        if self.month is not None:
            out += f"-{self.month:02d}"
        if self.day is not None:
            out += f"-{self.day:02d}"
        return out

    @property
    def earliest(self) -> tuple[int, int, int]:
        """The first day the date can mean, as (year, month, day)."""
        return (self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> tuple[int, int, int]:
        """The last day the date can mean, as (year, month, day)."""
        month = self.month or 12
        return (self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Orders less precise dates before more precise ones of the same period."""
        return (self.year, self.month or 0, self.day or 0)


def parse_partial_date(text: str) -> PartialDate | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (surrounding whitespace ignored), or None.

    A one-digit month or day (``2019-5-1``) is accepted and shown in full (``2019-05-01``).
    None for anything else, impossible dates included (2019-02-30, 2019-13).
    """
    m = _PARTIAL_DATE_RE.fullmatch(text.strip())
    if m is None:
        return None
    year, month, day = m.groups()
    try:
        return PartialDate(int(year), int(month) if month else None, int(day) if day else None)
    except ValueError:
        return None
