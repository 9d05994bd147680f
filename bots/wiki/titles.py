"""Titles as the wiki itself spells them: ask it (``action=query&titles=``), never guess.

MediaWiki normalises a title in ways no local rule repeats exactly: it drops invisible
direction marks, turns odd spaces and underscores into spaces, upper-cases the first letter
(on wikis that do), resolves namespace aliases (``User_talk``, ``user talk``, localised names)
and recognises interwiki prefixes. Every comparison the digest makes between titles (duplicates,
user accounts, deliveries) uses the wiki's answer.

Reads: one request per batch of titles (500 for accounts with ``apihighlimits``, else 50).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bots.wiki.batches import chunks
from bots.wiki.session import WikiSession


@dataclass(frozen=True)
class WikiTitle:
    """What the wiki made of one title as written."""

    asked: str
    title: str = ""  # the wiki's spelling ("" when invalid or on another wiki)
    namespace: int = 0
    invalid: str = ""  # why the wiki refuses it ("" for a valid title)
    interwiki: str = ""  # the interwiki prefix, when the title names a page on another wiki


def _answers(batch: list[str], query: dict[str, Any], out: dict[str, WikiTitle]) -> None:
    renamed: dict[str, str] = {}
    for item in query.get("normalized", []):
        renamed[str(item.get("from", ""))] = str(item.get("to", ""))
    interwiki = {str(i.get("title", "")): str(i.get("iw", "")) for i in query.get("interwiki", [])}
    pages = {str(p.get("title", "")): p for p in query.get("pages", [])}
    for asked in batch:
        name = renamed.get(asked, asked)
        if name in interwiki or asked in interwiki:
            out[asked] = WikiTitle(asked, interwiki=interwiki.get(name) or interwiki[asked] or "?")
            continue
        page = pages.get(name)
        if page is None or page.get("invalid") is not None:
            reason = str((page or {}).get("invalidreason", "the wiki gave no answer for it"))
            out[asked] = WikiTitle(asked, invalid=reason or "invalid")
            continue
        out[asked] = WikiTitle(asked, str(page.get("title", name)), int(page.get("ns", 0)))


def wiki_titles(session: WikiSession, titles: Iterable[str]) -> dict[str, WikiTitle]:
    """Each title as written -> the wiki's reading of it (batched; no page content)."""
    wanted = [t for t in dict.fromkeys(titles) if t]
    out: dict[str, WikiTitle] = {}
    for batch in chunks(wanted, session.batch_size(content=False)):
        merged: dict[str, Any] = {"normalized": [], "interwiki": [], "pages": []}
        for query in session.query_results(titles=list(batch)):
            for key in merged:
                merged[key].extend(query.get(key, []))
        _answers(list(batch), merged, out)
    return out
