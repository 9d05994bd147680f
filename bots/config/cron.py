"""Five-field cron expressions, parsed and checked without APScheduler (pure).

The config validates `[schedule]` with :func:`parse_cron`; the scheduler turns the parsed
:class:`CronSchedule` into an APScheduler trigger.
"""

from __future__ import annotations

from dataclasses import dataclass

# ---------------------------------------------------------------------------------- cron
_FIELDS = ("minute", "hour", "day of month", "month", "day of week")


_BOUNDS = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))  # 0 and 7 are both Sunday


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


_EVERY = (*(frozenset(range(lo, hi + 1)) for lo, hi in _BOUNDS[:4]), frozenset(range(7)))


_NAMES: tuple[dict[str, int], ...] = (
    {},
    {},
    {},
    {name: i for i, name in enumerate(_MONTHS, start=1)},
    {name: i for i, name in enumerate(WEEKDAYS)},
)


@dataclass(frozen=True)
class CronSchedule:
    """A parsed 5-field cron expression: the allowed values of each field (Sunday is 0)."""

    expression: str
    fields: tuple[str, ...]
    values: tuple[frozenset[int], ...]

    def is_every(self, index: int) -> bool:
        return self.values[index] == _EVERY[index]


def _number(token: str, index: int) -> int:
    key = token.lower()
    if key in _NAMES[index]:
        return _NAMES[index][key]
    if not key.isdigit():
        raise ValueError(f"{_FIELDS[index]}: {token!r} is not a number")
    return int(key)


def _parse_field(text: str, index: int) -> frozenset[int]:
    low, high = _BOUNDS[index]
    values: set[int] = set()
    for item in text.split(","):
        base, slash, step_text = item.partition("/")
        step = 1
        if slash:
            if not step_text.isdigit() or int(step_text) == 0:
                raise ValueError(f"{_FIELDS[index]}: bad step in {item!r}")
            step = int(step_text)
        if base == "*":
            start, end = low, high
        elif "-" in base:
            first, last = base.split("-", 1)
            start, end = _number(first, index), _number(last, index)
        elif slash:
            # "5/15" is 5-59/15 for Kubernetes but an error for Vixie cron: ask for the range
            raise ValueError(
                f"{_FIELDS[index]}: write {item!r} as a range, like {base}-{high}/{step}"
            )
        else:
            start = end = _number(base, index)
        if not (low <= start <= high and low <= end <= high):
            raise ValueError(f"{_FIELDS[index]}: {item!r} is outside {low}-{high}")
        if start > end:
            raise ValueError(f"{_FIELDS[index]}: {item!r} is a backwards range")
        values.update(range(start, end + 1, step))
    if index == 4:
        values = {0 if v == 7 else v for v in values}
    return frozenset(values)


def parse_cron(expression: str) -> CronSchedule:
    """Parse a standard cron expression; raise ValueError with a readable reason."""
    parts = tuple(expression.split())
    if len(parts) != 5:
        raise ValueError(f"expected 5 fields (minute hour day month weekday), got {len(parts)}")
    values = tuple(_parse_field(part, i) for i, part in enumerate(parts))
    if not parts[2].startswith("*") and not parts[4].startswith("*"):
        raise ValueError(
            "both day of month and day of week are restricted; cron then runs when either "
            "matches but APScheduler only when both do, so restrict only one of them"
        )
    return CronSchedule(expression, parts, values)
