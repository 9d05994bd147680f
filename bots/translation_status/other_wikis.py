"""Reads translations kept on the source wikis (issue 16): for source pages of this wiki, the
pages of each taking-part ``[[sources]]`` wiki that translate them (``.cross_wiki``).

Reads: the participation page on this wiki (``bots.sources.participation``: the community
decides which wikis take part), a session per taking-part wiki, then on each wiki the
translation titles of all pages at once, without text (``read_pages``, 500 titles per
request). Nothing is written on any wiki.

A wiki that cannot be reached, is lagged past the retry budget or refuses the account is not
refreshed: its pages as last read stay in the tables, each marked with the time of that
reading (kept on disk: ``<state_dir>/sources/translations-<id>.json``). A wiki taken off the
participation page is forgotten. The file only ever holds what this bot read itself.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from bots.config.model import Config
from bots.config.source_model import SourceWiki
from bots.config.sources import is_central
from bots.errors import BotStop
from bots.sources.collect import open_sources, wiki_tag
from bots.sources.participation import read_participation
from bots.sources.records import NotRefreshed
from bots.translation_status.cross_wiki import WikiPage, translation_title, with_wiki_pages
from bots.translation_status.records import KIND_NONE, PageStatus
from bots.wiki.session import WikiSession

log = logging.getLogger(__name__)

MEMORY_FORMAT = 1
Found = dict[str, tuple[str, str]]  # page here -> (title there, its latest revision time)


class OtherWikis:
    """Translations of this wiki's pages kept on the configured source wikis."""

    def __init__(self, central: WikiSession, config: Config) -> None:
        self.central = central
        self.config = config
        self.folder = config.state_path / "sources"
        self.notes: list[str] = []
        self.others = tuple(s for s in config.sources.wikis if not is_central(s, config))

    def _path(self, wiki_id: str) -> Path:
        return self.folder / f"translations-{wiki_id}.json"  # ids are checked: a-z, 0-9, -

    def merge(
        self, statuses: Mapping[str, PageStatus], source_changed: Callable[[str], str]
    ) -> dict[str, PageStatus]:
        """The statuses with the languages other wikis translate them into added."""
        titles = sorted(t for t, s in statuses.items() if s.kind != KIND_NONE)
        if not self.others or not titles:
            return dict(statuses)
        found = self.find(titles)
        out = dict(statuses)
        for title, pages in found.items():
            out[title] = with_wiki_pages(statuses[title], pages, source_changed(title))
        return out

    def find(self, titles: Iterable[str]) -> dict[str, list[WikiPage]]:
        """Per page here, its translations on the taking-part wikis (fresh or as last read)."""
        wanted = list(titles)
        participation = read_participation(self.central, self.config)
        for source, reason in participation.skipped:
            self._path(source.id).unlink(missing_ok=True)
            self.notes.append(f"{source.id}: translations not read: {reason}")
        taking = tuple(s for s in participation.taking_part if not is_central(s, self.config))
        sessions: Mapping[str, WikiSession | NotRefreshed] = {}
        try:
            sessions = open_sources(self.central, self.config, participation) if taking else {}
        except BotStop:
            raise
        except Exception as exc:  # one wiki's odd failure never stops the run: none refreshed
            log.warning("sessions on the source wikis could not be opened: %s", exc)
        out: dict[str, list[WikiPage]] = {}
        for source in taking:
            session = sessions.get(source.id)
            pages, since = self._read(source, session, wanted)
            link = wiki_tag(source, self.config)
            for title, (there, timestamp) in pages.items():
                target = link.link_target(there) or link.url(there)
                out.setdefault(title, []).append(
                    WikiPage(source.id, source.language, there, timestamp, target, since)
                )
        return out

    def _read(
        self, source: SourceWiki, session: WikiSession | NotRefreshed | None, titles: list[str]
    ) -> tuple[Found, str]:
        """The wiki's translations of ``titles`` and "" (read now), or as last read and the
        time of that reading (not refreshed)."""
        reason = session.reason if isinstance(session, NotRefreshed) else "no session"
        if isinstance(session, WikiSession):
            asked = {title: translation_title(title, source.translation_prefixes)
                     for title in titles}  # fmt: skip
            try:
                snaps = session.read_pages(asked.values(), content=False)
            except BotStop:
                raise
            except Exception as exc:  # down, lagged, refused, or odd: that wiki is not refreshed
                reason = f"{type(exc).__name__}: {exc}"
            else:
                found = {title: (snap.title, snap.timestamp) for title, there in asked.items()
                         if (snap := snaps.get(there)) and snap.exists
                         and not snap.is_redirect}  # fmt: skip
                self._remember(source.id, found)
                return found, ""
        kept, read_at = self._recall(source.id)
        log.warning("%s: translations not refreshed: %s", source.id, reason)
        shown = f"as read {read_at}" if read_at else "never read"
        self.notes.append(f"{source.id}: translations not refreshed ({shown}): {reason}")
        return {t: kept[t] for t in titles if t in kept}, read_at or "?"

    def _remember(self, wiki_id: str, found: Found) -> None:
        read_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        data = {"format": MEMORY_FORMAT, "wiki": wiki_id, "read_at": read_at,
                "pages": {t: list(v) for t, v in sorted(found.items())}}  # fmt: skip
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".translations-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False)
            os.replace(tmp, self._path(wiki_id))
        except OSError as exc:  # only a later run without the wiki loses anything
            log.warning("%s: could not keep the translations read: %s", wiki_id, exc)

    def _recall(self, wiki_id: str) -> tuple[Found, str]:
        """The wiki's pages as last read and when; nothing when unknown or not as written."""
        try:
            data = json.loads(self._path(wiki_id).read_text(encoding="utf-8"))
            if data.get("format") != MEMORY_FORMAT or data.get("wiki") != wiki_id:
                raise ValueError("another format or another wiki")
            pages = {str(t): (str(v[0]), str(v[1])) for t, v in data["pages"].items()}
            return pages, str(data["read_at"])
        except FileNotFoundError:
            return {}, ""
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
            log.warning("%s: the translations last read cannot be used (%s)", wiki_id, exc)
            return {}, ""
