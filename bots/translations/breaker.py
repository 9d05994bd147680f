"""The circuit breaker of status tables: an update that would empty much of a table waits for a
person. Pure.

A vandal blanking source pages, deleting translations or moving pages away would otherwise take
their rows out of every table at the next run. A region trips the breaker when its update would
lose more than ``translations.max_removed_share`` of its rows (pages), and at least
``translations.min_removed_rows`` of them; the page is then not saved and the run fails, until
an operator runs it again with ``--force``. Rows left out at the table's size limit do not
count (their pages are still there), nor does a changed selection (the editor changed
``prefix``, ``pages`` or ``languages``: rows leaving is what they asked for).

The comparison is with the bot's own last rendering, never with rows someone added: a region
whose hash says it was edited since is compared with the region in the bot's last revision of
the page (``bot_text``), and rows inserted by hand can neither trip the breaker nor stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bots.translations.summary import cell_pages
from bots.wikitext.markers import MarkerRegion, MarkerScan, inner_was_edited_by_human, strip_stamp

__all__ = ["Breaker", "bot_rendering", "shrink_reason"]

_VIEW_RE = re.compile(r'\bdata-view="([0-9a-f]+)"')


@dataclass(frozen=True)
class Breaker:
    """The configured thresholds, and ``--force``."""

    max_share: float = 0.3
    min_rows: int = 3
    force: bool = False


def _stamped(inner: str) -> bool:
    return strip_stamp(inner) != inner.strip("\n")


def bot_rendering(region: MarkerRegion, bot_scan: MarkerScan | None) -> str | None:
    """The body the bot last wrote in this region: the region's own when its hash still
    matches, else the same marker's region in the bot's last revision; None when there is no
    such record (a new region, or no trustworthy one)."""
    if not _stamped(region.inner):
        return None
    if not inner_was_edited_by_human(region.inner):
        return strip_stamp(region.inner)
    if bot_scan is None or not bot_scan.ok:
        return None
    for old in bot_scan.regions:
        if old.params == region.params and _stamped(old.inner):
            return None if inner_was_edited_by_human(old.inner) else strip_stamp(old.inner)
    return None


def shrink_reason(
    old_body: str | None, new_body: str, hidden: frozenset[str], line: int, breaker: Breaker
) -> str:
    """Why the breaker holds this region's update ("" when it does not)."""
    if old_body is None:
        return ""
    old_view, new_view = _VIEW_RE.search(old_body), _VIEW_RE.search(new_body)
    if old_view and new_view and old_view.group(1) != new_view.group(1):
        return ""  # another selection: the editor's intent
    old_rows = cell_pages(old_body)
    gone = old_rows - cell_pages(new_body) - hidden
    if not old_rows or len(gone) < breaker.min_rows:
        return ""
    if len(gone) / len(old_rows) <= breaker.max_share:
        return ""
    return (
        f"the table on line {line} would lose {len(gone)} of its {len(old_rows)} rows "
        f"(more than {breaker.max_share:.0%})"
    )
