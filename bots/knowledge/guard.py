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

Reading one page never stops the others: a page whose reading raises is left out and reported
with the exception's type only (its message could quote the page).
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import unquote

from bots.cases.knowledge_pages import INVISIBLE_RE
from bots.wiki.records import PageSnapshot
from bots.wikitext.markers import find_templates

log = logging.getLogger(__name__)

Record = TypeVar("Record")


def comparable(text: str) -> str:
    """Text as titles compare: entities and percent-encoding decoded, invisible characters
    removed, underscores as spaces, whitespace collapsed, case-folded."""
    decoded = unquote(html.unescape(text), errors="replace")
    return " ".join(INVISIBLE_RE.sub("", decoded).replace("_", " ").split()).casefold()


def _whole_word_at(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_")


_WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True)
class Hidden:
    """What no partner or position page may touch: pages (and their subpages) and names."""

    pages: frozenset[str]  # comparable titles of sensitive and unreadable case pages
    # those titles and the cases' display titles, comparable, by their first word (a page's
    # words are looked up, so thousands of sensitive cases cost no more than a few)
    by_first_word: Mapping[str, tuple[str, ...]]
    others: tuple[str, ...]  # names that do not start with a word character

    @classmethod
    def of(cls, pages: Iterable[str], names: Iterable[str]) -> Hidden:
        page_set = frozenset(c for p in pages if (c := comparable(p)))
        words = {comparable(n) for n in names} | set(page_set)
        words.discard("")
        by_first: dict[str, list[str]] = {}
        others = []
        for word in sorted(words):
            first = _WORD_RE.match(word)
            if first is None:
                others.append(word)
            else:
                by_first.setdefault(first.group(), []).append(word)
        return cls(page_set, {k: tuple(v) for k, v in by_first.items()}, tuple(others))

    def covers(self, title: str) -> bool:
        own = comparable(title)
        return any(own == p or own.startswith(p + "/") for p in self.pages)

    def named_in(self, text: str) -> bool:
        plain = comparable(text)
        for match in _WORD_RE.finditer(plain):
            for word in self.by_first_word.get(match.group(), ()):
                at = match.start()
                if plain.startswith(word, at) and _whole_word_at(plain, at, at + len(word)):
                    return True
        for word in self.others:
            start = plain.find(word)
            while start >= 0:
                if _whole_word_at(plain, start, start + len(word)):
                    return True
                start = plain.find(word, start + 1)
        return False


def refusal(snap: PageSnapshot, case_templates: Collection[str], hidden: Hidden) -> str | None:
    """Why a partner or position page may not be used (see the module's description)."""
    if snap.is_redirect:
        return "it is a redirect"
    if hidden.covers(snap.title):
        return "it is or lies below a sensitive case page"
    text = snap.text or ""
    if find_templates(text, case_templates):
        return "it carries the case template"
    if hidden.named_in(text):
        return "it names a sensitive case"
    return None


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
