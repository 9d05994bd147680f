"""Progress of long runs on a terminal; silent when stderr is a log file or a pipe.

    for page in progress(pages, total=len(pages), label="reading cases",
                         enabled=options.progress):
        ...

`enabled=None` (the default, and `RunOptions.progress`'s) means "only when stderr is a
terminal", so scheduled and Toolforge runs keep their logs free of carriage returns. The line is
redrawn at most a few times a second, and cleared by a final line with the count and time.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

T = TypeVar("T")

REDRAW_SECONDS = 0.2


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or replaced streams
        return False


def _line(label: str, done: int, total: int | None, elapsed: float) -> str:
    if total:
        share = min(done / total, 1.0)
        eta = f", {elapsed / share - elapsed:.0f} s left" if 0 < share < 1 else ""
        return f"{label}: {done}/{total} ({share:.0%}){eta}"
    return f"{label}: {done} ({elapsed:.0f} s)"


def progress(
    items: Iterable[T],
    total: int | None = None,
    label: str = "working",
    enabled: bool | None = None,
    *,
    stream: TextIO | None = None,
) -> Iterator[T]:
    """Yield the items unchanged, drawing a progress line on a terminal while doing so."""
    out = stream or sys.stderr
    show = _is_terminal(out) if enabled is None else enabled
    if not show:
        yield from items
        return
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    start = last = time.monotonic()
    done = 0
    try:
        for item in items:
            yield item
            done += 1
            now = time.monotonic()
            if now - last >= REDRAW_SECONDS:
                out.write("\r\x1b[K" + _line(label, done, total, now - start))
                out.flush()
                last = now
    finally:
        elapsed = time.monotonic() - start
        out.write(f"\r\x1b[K{label}: {done} done in {elapsed:.1f} s\n")
        out.flush()
