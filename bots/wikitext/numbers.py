"""Numbers editors write in marker parameters and subscriber lines, read safely (pure).

``str.isdigit`` accepts superscripts and other scripts' digits that ``int`` then refuses or
reads as something else, and a thousand-digit "number" costs time to convert: a count is read
only as plain ASCII digits, short, and within the caller's bounds. Anything else is ``None``,
which the caller reports as that page's problem.
"""

from __future__ import annotations

MAX_DIGITS = 9


def parse_count(text: str, *, minimum: int = 0, maximum: int) -> int | None:
    """``text`` (surrounding white space ignored) as a whole number in ``[minimum, maximum]``,
    or None when it is not plain ASCII digits or out of bounds."""
    digits = text.strip()
    if not digits or len(digits) > MAX_DIGITS or not (digits.isascii() and digits.isdigit()):
        return None
    value = int(digits)
    return value if minimum <= value <= maximum else None
