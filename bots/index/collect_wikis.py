"""Collect the cases of every source wiki (issue 16): the central wiki's as before, the others
through the sources service, each keyed by its wiki (``bots.index.wikis``).

Reads: on the central wiki, the participation list page (one request); on every taking-part
wiki (the sources service's participation and sessions, ``bots.sources``), its case
template's redirects (one request) and its case pages as ``bots.index.collect`` reads them:
the listing with revision ids, translation subpages, and the texts of only the pages whose
revision is not in that wiki's own cache (keyed by wiki, title and revision:
``bots.index.case_cache``), at most ``max_pages`` case pages per source wiki. A warm run
costs each wiki its login, the redirects and the listing, as one wiki does.
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
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from bots.cases.record import CaseParseResult
from bots.config.model import Config
from bots.config.source_model import SourceWiki
from bots.config.sources import is_central, source_wikis
from bots.i18n.messages import Messages
from bots.index.collect import CollectedCases, collect_cases, without_sensitive_contacts
from bots.index.wikis import IndexWikis, Staleness
from bots.outcomes import JobReport, Skipped
from bots.sources.collect import UNREADABLE, open_sources, parsing_config, wiki_tag
from bots.sources.memory import LastRows
from bots.sources.participation import Participation, read_participation
from bots.sources.records import (
    NotRefreshed,
    Refreshed,
    SourceCase,
    SourcesReading,
    SourceState,
)
from bots.sources.records import Skipped as SkippedWiki
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


def read_wiki(
    session: WikiSession, source: SourceWiki, config: Config, messages: Messages,
    report: JobReport, show_progress: bool | None = None,
) -> tuple[SourceState, int]:
    """One source wiki's case pages (at most ``source.max_pages``), parsed or from its
    cache, and how many were parsed; NotRefreshed when it does not answer, stays lagged or
    refuses the account."""
    tag, local = wiki_tag(source, config), parsing_config(config, source)
    template = source.case_template
    try:
        names = template_names(session, [template])[template]
        collected = collect_cases(session, local, messages, report, names=names,
                                  show_progress=show_progress, wiki=source.id,
                                  max_pages=source.max_pages)  # fmt: skip
    except UNREADABLE as exc:
        return NotRefreshed(tag, str(exc)), 0
    bound = (f"; more than {source.max_pages} case pages (max_pages): the rest not read, "
             "none of them counted as removed") if collected.truncated else ""  # fmt: skip
    report.notes.append(f"{source.id}: {collected.summary()}{bound}")
    return Refreshed(tag, tuple(SourceCase(tag, r) for r in collected.results),
                     listed=len(collected.listing),
                     truncated=collected.truncated), collected.parsed  # fmt: skip


def read_wikis(
    sessions: Mapping[str, WikiSession | NotRefreshed], config: Config,
    participation: Participation, messages: Messages, report: JobReport,
    show_progress: bool | None = None,
) -> tuple[SourcesReading, int]:
    """Every other wiki's state, in configuration order: read, not refreshed, or skipped;
    and how many case pages were parsed."""
    states: list[SourceState] = []
    parsed = 0
    for source in participation.taking_part:
        session = sessions[source.id]
        if isinstance(session, NotRefreshed):
            states.append(session)
            continue
        state, count = read_wiki(session, source, config, messages, report, show_progress)
        states.append(state)
        parsed += count
    states += [SkippedWiki(wiki_tag(s, config), why) for s, why in participation.skipped]
    order = {w.id: i for i, w in enumerate(config.sources.wikis)}
    states.sort(key=lambda state: order.get(state.wiki.id, 0))
    return SourcesReading(tuple(states)), parsed


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
    for state in reading.states:
        cases: Iterable[SourceCase] = ()
        if isinstance(state, Refreshed):
            cases = state.cases
            if state.truncated:
                unsure.add(state.wiki.id)
        elif isinstance(state, NotRefreshed):
            kept = memory.kept(state)
            cases = kept.cases
            stale[state.wiki.id] = Staleness(kept.refreshed_at, state.reason)
            unsure.add(state.wiki.id)
        results += [keyed(c.result, wikis.key(c.wiki.id, c.result.page)) for c in cases]
    results.sort(key=lambda r: r.page)
    collected = dataclasses.replace(central, results=tuple(results))
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
    reading, parsed = read_wikis(open_sources(session, config, others), config, others, messages,
                                 report, show_progress)  # fmt: skip
    memory = LastRows.for_config(config)
    memory.remember(reading, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    collected, wikis = combine(central, reading, memory, wikis)
    collected = dataclasses.replace(collected, parsed=collected.parsed + parsed)
    # a wiki read has its own line already (read_wiki); the others say why they were not
    report.notes.extend(note for state, note in zip(reading.states, reading.notes(), strict=True)
                        if not isinstance(state, Refreshed))  # fmt: skip
    report.notes.extend(f"the participation page lists {wiki_id!r}, which the configuration "
                        "does not know" for wiki_id in participation.unknown_ids)  # fmt: skip
    for state in reading.skipped:
        report.record(Skipped(f"wiki {state.wiki.id}", state.reason))
    return collected, wikis
