"""What the sources service yields: case records tagged with their wiki, and per wiki whether
it was read this run (pure data).

A wiki that was not read (down, lagged, refused, not on the participation list) is a state of
its own, never an empty list: a consumer keeps that wiki's last rows, marked as not
refreshed, and its circuit breaker never counts them as removed cases.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

from bots.cases.record import CaseParseResult


@dataclass(frozen=True)
class WikiTag:
    """Which wiki a case page lives on, and how the central wiki links to it."""

    id: str
    language: str = ""  # the wiki's content language ("" for the implicit single wiki)
    interwiki: str = ""  # the central wiki's interwiki prefix for it
    page_url: str = ""  # URL with $1 for the title
    central: bool = False  # the central wiki itself: plain internal links

    def link_target(self, title: str) -> str:
        """What a ``[[...]]`` link on the central wiki needs to reach ``title``: the title
        itself on the central wiki, ``prefix:title`` through the interwiki prefix, or ""
        when only an external link (:meth:`url`) can reach it."""
        if self.central:
            return title
        if self.interwiki:
            return f":{self.interwiki}:{title}"  # the colon: a link, never a language link
        return ""

    def url(self, title: str) -> str:
        """The page's URL from ``page_url`` ("" when none is configured)."""
        if not self.page_url:
            return ""
        return self.page_url.replace("$1", quote(title.replace(" ", "_"), safe="/:"))


@dataclass(frozen=True)
class SourceCase:
    """One case page's parse result (with its problems) and the wiki it lives on."""

    wiki: WikiTag
    result: CaseParseResult

    @property
    def key(self) -> tuple[str, str]:
        """(wiki id, page title): a page title alone is not unique across wikis."""
        return self.wiki.id, self.result.page


@dataclass(frozen=True)
class Refreshed:
    """The wiki was read this run: these are all its case pages (up to its bound)."""

    wiki: WikiTag
    cases: tuple[SourceCase, ...]  # sorted by page title
    listed: int  # pages listed with the case template (before the scope filters)
    # more pages than ``max_pages`` carry the template: the rest were not read, so a consumer
    # must not take a page missing from ``cases`` for a removed case
    truncated: bool = False


@dataclass(frozen=True)
class NotRefreshed:
    """The wiki could not be read this run (down, lagged, refused): keep its last rows."""

    wiki: WikiTag
    reason: str


@dataclass(frozen=True)
class Skipped:
    """The wiki is in the configuration but not on the participation list: not read."""

    wiki: WikiTag
    reason: str


SourceState = Refreshed | NotRefreshed | Skipped


@dataclass(frozen=True)
class SourcesReading:
    """One run's reading of every configured wiki, in configuration order."""

    states: tuple[SourceState, ...]

    @property
    def by_wiki(self) -> Mapping[str, SourceState]:
        return {state.wiki.id: state for state in self.states}

    @property
    def cases(self) -> tuple[SourceCase, ...]:
        """The cases of every refreshed wiki."""
        return tuple(c for s in self.states if isinstance(s, Refreshed) for c in s.cases)

    @property
    def not_refreshed(self) -> tuple[NotRefreshed, ...]:
        return tuple(s for s in self.states if isinstance(s, NotRefreshed))

    @property
    def skipped(self) -> tuple[Skipped, ...]:
        return tuple(s for s in self.states if isinstance(s, Skipped))

    def notes(self) -> list[str]:
        """One line per wiki for the run's report."""
        out = []
        for state in self.states:
            if isinstance(state, Refreshed):
                more = f" (stopped at {len(state.cases)} of more)" if state.truncated else ""
                out.append(f"{state.wiki.id}: {len(state.cases)} case pages read{more}")
            elif isinstance(state, NotRefreshed):
                out.append(f"{state.wiki.id}: not refreshed: {state.reason}")
            else:
                out.append(f"{state.wiki.id}: skipped: {state.reason}")
        return out
