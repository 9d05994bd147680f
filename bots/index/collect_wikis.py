"""Collect the cases of every source wiki (issue 16): the central wiki's as before, the others
through the sources service, each keyed by its wiki (``bots.index.wikis``).

Reads: on the central wiki, the participation list page (one request) and its case pages as
``bots.index.collect`` reads them (listing, cache by title and revision, translation
subpages); on every other taking-part wiki, what ``bots.sources.collect.read_source`` reads
(its case template's redirects, its case pages with their texts, at most ``max_pages``).
Writes: each source wiki's last rows (``bots.sources.memory``), nothing on any wiki.

A configuration without ``[[sources]]`` is read exactly as before. A source wiki that is not
refreshed (down, lagged, refused) shows its last rows, marked (``IndexWikis.stale``); a
truncated one (more case pages than its ``max_pages``) shows what was read. Neither can lose
rows to the circuit breaker (``IndexWikis.unsure``). A wiki that is not on the participation
list is skipped: reported, none of its rows shown. Sensitive cases come from the service and
the memory with their contacts already withheld; they are withheld once more here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import UTC, datetime

from bots.cases.record import CaseParseResult
from bots.config.model import Config
from bots.config.source_model import SourceWiki
from bots.config.sources import is_central, source_wikis
from bots.i18n.messages import Messages
from bots.index.collect import CollectedCases, collect_cases, without_sensitive_contacts
from bots.index.wikis import IndexWikis, Staleness
from bots.outcomes import JobReport, Skipped
from bots.sources.collect import open_sources, parsing_config, read_sources
from bots.sources.memory import LastRows
from bots.sources.participation import Participation, read_participation
from bots.sources.records import NotRefreshed, Refreshed, SourceCase, SourcesReading
from bots.wiki.session import WikiSession
from bots.wiki.templates import template_names


def central_config(config: Config, source: SourceWiki) -> Config:
    """The configuration the central wiki's cases are read with when it is one of the
    ``[[sources]]``: its template and parameter names, namespaces and prefixes; the index's
    own settings (required category, exclusions) as configured."""
    return dataclasses.replace(parsing_config(config, source), index=config.index)


def keyed(result: CaseParseResult, key: str) -> CaseParseResult:
    """The result under its row key (``bots.index.wikis``), contacts of a sensitive case
    withheld."""
    result = without_sensitive_contacts(result)
    case = dataclasses.replace(result.case, page=key) if result.case is not None else None
    return dataclasses.replace(result, page=key, case=case)


def _central(
    session: WikiSession, config: Config, messages: Messages, report: JobReport,
    names: frozenset[str], show_progress: bool | None,
) -> CollectedCases:
    """The central wiki's cases (none when it is not one of the sources)."""
    central = next((w for w in source_wikis(config) if is_central(w, config)), None)
    if central is None:
        return CollectedCases(results=(), parsed=0)
    local = central_config(config, central)
    template = local.templates.case
    if template != config.templates.case:
        names = template_names(session, [template])[template]
    return collect_cases(session, local, messages, report, names=names,
                         show_progress=show_progress)  # fmt: skip


def _others(participation: Participation, config: Config) -> Participation:
    """The participation without the central wiki (read by ``bots.index.collect``)."""
    return dataclasses.replace(participation, taking_part=tuple(
        w for w in participation.taking_part if not is_central(w, config)))  # fmt: skip


def combine(
    central: CollectedCases, reading: SourcesReading, memory: LastRows, wikis: IndexWikis
) -> tuple[CollectedCases, IndexWikis]:
    """The central wiki's cases and every other wiki's (refreshed, or kept from its last
    reading), each under its row key; the run's state of each wiki."""
    results = list(central.results)
    stale: dict[str, Staleness] = {}
    unsure: set[str] = set()
    read = 0
    for state in reading.states:
        cases: Iterable[SourceCase] = ()
        if isinstance(state, Refreshed):
            cases, read = state.cases, read + len(state.cases)
            if state.truncated:
                unsure.add(state.wiki.id)
        elif isinstance(state, NotRefreshed):
            kept = memory.kept(state)
            cases = kept.cases
            stale[state.wiki.id] = Staleness(kept.refreshed_at, state.reason)
            unsure.add(state.wiki.id)
        results += [keyed(c.result, wikis.key(c.wiki.id, c.result.page)) for c in cases]
    results.sort(key=lambda r: r.page)
    collected = dataclasses.replace(central, results=tuple(results), parsed=central.parsed + read)
    return collected, dataclasses.replace(wikis, stale=stale, unsure=frozenset(unsure))


def collect_wiki_cases(
    session: WikiSession,
    config: Config,
    messages: Messages,
    report: JobReport,
    *,
    names: frozenset[str],
    show_progress: bool | None = None,
) -> tuple[CollectedCases, IndexWikis]:
    """Every case of every taking-part wiki, and the run's state of each wiki.

    ``names`` are the configured case template's name and its redirects (central wiki)."""
    wikis = IndexWikis.from_config(config)
    if not config.sources.wikis:
        return collect_cases(session, config, messages, report, names=names,
                             show_progress=show_progress), wikis  # fmt: skip
    participation = read_participation(session, config)
    central = _central(session, config, messages, report, names, show_progress)
    others = _others(participation, config)
    reading = read_sources(open_sources(session, config, others), config, others)
    memory = LastRows.for_config(config)
    memory.remember(reading, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    collected, wikis = combine(central, reading, memory, wikis)
    report.pages_read += sum(len(s.cases) for s in reading.states if isinstance(s, Refreshed))
    report.notes.extend(reading.notes())
    report.notes.extend(f"the participation page lists {wiki_id!r}, which the configuration "
                        "does not know" for wiki_id in participation.unknown_ids)  # fmt: skip
    for state in reading.skipped:
        report.record(Skipped(f"wiki {state.wiki.id}", state.reason))
    return collected, wikis
