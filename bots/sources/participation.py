"""Which wikis take part: a list page on the central wiki (``[participation] page``).

The community decides, the operator supplies access: a source wiki in the configuration is
read only when the list page names it. The page is a plain list, one wiki per line, its id
first (the id of its ``[[sources]]`` table); anything after the id is free text::

    * frdev — Wikimédia France, cases in the project namespace (since 2026)
    * dewiki

Lines that are not list items, ids the configuration does not know and repeated lines are
ignored (an unknown id is reported, it never adds a wiki). The central wiki itself needs no
line. A missing or unreadable list page lists nothing: every other wiki is skipped (fail
closed), and the reason says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bots.config.model import Config
from bots.config.source_model import SourceWiki
from bots.config.sources import is_central, source_wikis
from bots.wiki.session import WikiSession

MAX_LIST_LINES = 1000  # lines of the list page looked at, at most
_ITEM = re.compile(r"^[*#]+\s*(?:\[\[)?\s*([A-Za-z0-9][A-Za-z0-9-]{0,29})\b")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_NOWIKI = re.compile(r"<nowiki>.*?(?:</nowiki>|\Z)", re.S | re.I)


@dataclass(frozen=True)
class Participation:
    """The configured wikis split by the list page: those to read and those to skip."""

    taking_part: tuple[SourceWiki, ...]
    skipped: tuple[tuple[SourceWiki, str], ...]  # with the reason
    unknown_ids: tuple[str, ...] = ()  # listed, but not in the configuration


def listed_ids(text: str) -> tuple[str, ...]:
    """The wiki ids the list page names, in page order, each once (lowercase)."""
    text = _NOWIKI.sub("", _COMMENT.sub("", text))
    seen: dict[str, None] = {}
    for line in text.splitlines()[:MAX_LIST_LINES]:
        match = _ITEM.match(line.strip())
        if match:
            seen.setdefault(match.group(1).lower(), None)
    return tuple(seen)


def decide_participation(
    config: Config, page_text: str | None, wikis: Iterable[SourceWiki] | None = None
) -> Participation:
    """Split the configured wikis by the list page's text (None: the page does not exist)."""
    page = config.sources.participation_page
    listed = listed_ids(page_text or "")
    taking: list[SourceWiki] = []
    skipped: list[tuple[SourceWiki, str]] = []
    for wiki in source_wikis(config) if wikis is None else wikis:
        if is_central(wiki, config) or wiki.id in listed:
            taking.append(wiki)
        elif page_text is None:
            skipped.append((wiki, f"the participation page {page} does not exist"))
        else:
            skipped.append((wiki, f"not listed on the participation page {page}"))
    known = {w.id for w in source_wikis(config)}
    return Participation(tuple(taking), tuple(skipped), tuple(i for i in listed if i not in known))


def read_participation(session: WikiSession, config: Config) -> Participation:
    """Read the list page on the central wiki (one request) and decide; a configuration
    without ``[[sources]]`` reads nothing."""
    if not config.sources.wikis:
        return decide_participation(config, "")
    page = config.sources.participation_page
    snap = session.read_pages([page]).get(page)
    text = snap.text if snap is not None and snap.exists else None
    return decide_participation(config, text)
