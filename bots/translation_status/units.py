"""Unit translation pages (``Translations:<page>/<unit>/<lang>``, Translate's layout) as the
translation status reads them without the extension's statistics.

Whether a unit translation is outdated is in its text (``!!FUZZY!!``). Unit pages are listed
with their latest revision ids (``bots.wiki.translate_api.unit_revisions``); a revision the
local :class:`~bots.translation_status.fuzzy_cache.FuzzyCache` knows is not read again, the
others are read in batches of 500 and remembered. A run that knows no unit at all (no cache,
or one ignored) lists the units with their text instead: the listing is the read.

The cache holds only what this bot read itself, by revision id: a revision's text never
changes, so a known revision needs no request, and an unknown one is always read (fail
closed: nothing is assumed about a revision the bot did not read).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bots.translation_status.fuzzy_cache import FuzzyCache
from bots.translation_status.records import FUZZY_MARK
from bots.wiki.records import PageSnapshot
from bots.wiki.session import WikiSession
from bots.wiki.translate_api import unit_revisions


@dataclass(frozen=True)
class UnitState:
    """One unit translation page's latest revision: outdated or not, and when it was made."""

    fuzzy: bool
    timestamp: str


class UnitReader:
    """Lists unit pages by prefix (once per prefix and run) and says which are outdated,
    reading only the texts the cache cannot answer for. ``texts_read``: unit texts read."""

    def __init__(self, session: WikiSession, namespace: int, cache: FuzzyCache | None) -> None:
        self.session = session
        self.namespace = namespace
        self.cache = cache
        self.texts_read = 0
        self._listings: dict[str, dict[str, PageSnapshot]] = {}
        self._knows_none = cache is None or cache.empty  # at the start of the run

    def list_prefix(self, prefix: str, *, all_wanted: bool = False) -> None:
        """List the unit pages under ``prefix`` (a title prefix without namespace).
        ``all_wanted``: the caller needs (nearly) every unit there, so a run that knows no
        unit yet takes their texts with the listing."""
        if prefix in self._listings:
            return
        with_text = all_wanted and self._knows_none
        listing = unit_revisions(self.session, prefix, self.namespace, content=with_text)
        if with_text:
            self.texts_read += len(listing)
        self._listings[prefix] = listing

    def titles(self) -> list[str]:
        """Every unit page listed so far (a page under two prefixes once)."""
        return list(dict.fromkeys(t for listing in self._listings.values() for t in listing))

    def states(self, titles: Iterable[str]) -> dict[str, UnitState]:
        """The state of each listed unit page among ``titles`` (unlisted ones are left out)."""
        listed = self._listed(titles)
        out: dict[str, UnitState] = {}
        unread: list[str] = []
        for title, snap in listed.items():
            fuzzy = self._known(title, snap)
            if fuzzy is None:
                unread.append(title)
            else:
                out[title] = UnitState(fuzzy, snap.timestamp)
        read = self.session.read_pages(sorted(unread)) if unread else {}
        self.texts_read += len(unread)
        for title in unread:
            page = read.get(title)
            if page is None or not page.exists or page.is_redirect or page.text is None:
                continue  # gone since the listing: no translation
            out[title] = UnitState(self._record(title, page), page.timestamp)
        return out

    def _listed(self, titles: Iterable[str]) -> dict[str, PageSnapshot]:
        found: dict[str, PageSnapshot] = {}
        for title in titles:
            for listing in self._listings.values():
                if title in listing:
                    found[title] = listing[title]
                    break
        return found

    def _known(self, title: str, snap: PageSnapshot) -> bool | None:
        """Outdated or not without a request: from the listing's own text, or the cache."""
        if snap.text is not None:
            return self._record(title, snap)
        return self.cache.fuzzy(title, snap.revid) if self.cache is not None else None

    def _record(self, title: str, snap: PageSnapshot) -> bool:
        text = snap.text or ""
        if self.cache is None:
            return text.startswith(FUZZY_MARK)
        return self.cache.record(title, snap.revid, text)
