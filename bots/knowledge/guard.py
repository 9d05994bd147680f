"""Which partner and position pages the knowledge views may use, and reading each on its own.
Pure.

A partner or position page is left out of every view, and reported by its title only (the run
fails for it, exit 1), when

* it is a redirect (the page it leads to is read on its own, if it carries the template);
* it carries the case template: what a case page says of partners and positions is the case's
  business, and a sensitive case keeps it to itself (``bots.cases.limits``);
* its title is, or lies below, the title of a sensitive case page, or of a case page that could
  not be read (fail closed): ``Case/fr``, ``Case/Partners``;
* its text names a sensitive case: the case's page title or display title, compared as the wiki
  compares titles (case-insensitive, underscores as spaces, invisible characters and entities
  and percent-encoding undone), as whole words. A false alarm leaves a public page out and says
  so; a miss would tie a partner or a position to a case that asked to stay hidden.

The rule itself lives in ``bots.cases.knowledge_pages`` (``refusal``), so that the digest can
apply it too when it reports positions. Reading one page never stops the others: a page whose
reading raises is left out and reported with the exception's type only (its message could
quote the page).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Sequence
from typing import TypeVar

from bots.cases.knowledge_pages import Hidden
from bots.cases.knowledge_pages import refusal as page_refusal
from bots.wiki.records import PageSnapshot

log = logging.getLogger(__name__)

Record = TypeVar("Record")


def refusal(snap: PageSnapshot, case_templates: Collection[str], hidden: Hidden) -> str | None:
    """Why a partner or position page may not be used (``bots.cases.knowledge_pages.refusal``)."""
    return page_refusal(snap.title, snap.text or "", snap.is_redirect, case_templates, hidden)


def read_each(
    snaps: Sequence[PageSnapshot],
    read: Callable[[PageSnapshot], Sequence[Record]],
    kind: str,
    allowed: Callable[[PageSnapshot], str | None] = lambda _: None,
) -> tuple[list[Record], list[tuple[str, str]]]:
    """Every record ``read`` yields of each page that ``allowed`` lets through, one page at a
    time: a page refused or whose reading raises is reported as (title, reason) and skipped."""
    records: list[Record] = []
    refused: list[tuple[str, str]] = []
    for snap in snaps:
        reason = allowed(snap)
        if reason is None:
            try:
                records.extend(read(snap))
                continue
            except Exception as exc:  # one page never stops the others
                # the type only: a message or traceback could quote the page's text
                log.error("reading %s %s failed: %s", kind, snap.title, type(exc).__name__)
                reason = f"it could not be read ({type(exc).__name__})"
        refused.append((snap.title, f"{kind} not used: {reason}"))
    return records, refused
