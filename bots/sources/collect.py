"""The sources service: case records from every taking-part wiki, each tagged with its wiki.

Reads, per wiki: the case template's redirects (one request), then the pages transcluding the
wiki's own case template in its case namespaces, with their texts, in request-sized batches
(``generator=embeddedin``), at most ``max_pages`` of them; on the central wiki, the
participation list page (``bots.sources.participation``). Nothing is written anywhere.

Each page is parsed by the one case parser (``bots.cases.parser``) with that wiki's template
name and parameter names, so the sensitive rule is the same on every wiki: a sensitive case
keeps nothing but what every list shows, and its contacts are placeholders before the record
leaves this module. A wiki that does not answer, answers too lagged, or refuses the account
yields :class:`NotRefreshed` for that wiki alone; the other wikis are read as usual.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping
from itertools import islice

from bots.cases.parser import parse_case_page
from bots.cases.record import HIDDEN_CONTACT, CaseParseResult
from bots.cases.scope import not_a_case_page, writes_template
from bots.config.model import Config
from bots.config.source_model import SourceWiki
from bots.config.sources import is_central
from bots.errors import BlockedError, WikiUnavailableError, WrongUserError
from bots.sources.participation import Participation, read_participation
from bots.sources.records import (
    NotRefreshed,
    Refreshed,
    Skipped,
    SourceCase,
    SourcesReading,
    SourceState,
    WikiTag,
)
from bots.wiki.records import PageSnapshot
from bots.wiki.session import WikiSession
from bots.wiki.sites import open_source_session
from bots.wiki.templates import template_names

log = logging.getLogger(__name__)

# A wiki that cannot be read this run: only that wiki is marked, the run goes on.
UNREADABLE = (WikiUnavailableError, WrongUserError, BlockedError)

Opener = Callable[[WikiSession, SourceWiki], WikiSession]


def wiki_tag(source: SourceWiki, config: Config) -> WikiTag:
    return WikiTag(id=source.id, language=source.language, interwiki=source.interwiki,
                   page_url=source.page_url, central=is_central(source, config))  # fmt: skip


def parsing_config(config: Config, source: SourceWiki) -> Config:
    """The configuration the case parser gets for one wiki: its template name, its parameter
    names on top of the central ones, its case namespaces and prefixes."""
    if source.implicit:
        return config
    aliases = {name: tuple(dict.fromkeys((*config.templates.case_aliases.get(name, ()),
                                          *source.case_aliases.get(name, ()))))
               for name in {*config.templates.case_aliases, *source.case_aliases}}  # fmt: skip
    return dataclasses.replace(
        config,
        templates=dataclasses.replace(config.templates, case=source.case_template,
                                      case_aliases=aliases),
        permissions=dataclasses.replace(config.permissions,
                                        case_namespaces=source.case_namespaces,
                                        case_prefixes=source.case_prefixes),
        index=dataclasses.replace(config.index, required_category=""),
    )  # fmt: skip


def without_sensitive_contacts(result: CaseParseResult) -> CaseParseResult:
    """The result with the contacts of a sensitive case replaced by placeholders."""
    case = result.case
    if case is None or not case.sensitive or not case.contacts:
        return result
    hidden = (HIDDEN_CONTACT,) * len(case.contacts)
    return dataclasses.replace(result, case=dataclasses.replace(case, contacts=hidden))


def _in_scope(snap: PageSnapshot, source: SourceWiki, config: Config) -> bool:
    if source.case_prefixes and not snap.title.startswith(source.case_prefixes):
        return False
    return not_a_case_page(snap.title, config) is None


def read_source(session: WikiSession, source: SourceWiki, config: Config) -> SourceState:
    """All case pages of one wiki (at most ``source.max_pages``), parsed; or NotRefreshed."""
    tag = wiki_tag(source, config)
    local = parsing_config(config, source)
    try:
        names = template_names(session, [source.case_template])[source.case_template]
        listing = session.embedded_in(source.case_template, source.case_namespaces,
                                      content=True)  # fmt: skip
        pages = list(islice(listing, source.max_pages + 1))
    except UNREADABLE as exc:
        log.warning("%s: not refreshed: %s", source.id, exc)
        return NotRefreshed(tag, str(exc))
    truncated = len(pages) > source.max_pages
    cases: list[SourceCase] = []
    for snap in pages[: source.max_pages]:
        if not snap.exists or snap.text is None or not _in_scope(snap, source, local):
            continue
        result = without_sensitive_contacts(
            parse_case_page(snap.title, snap.text, local, template_names=names)
        )
        if result.case is None and (not result.problems or not writes_template(snap.text, names)):
            continue  # only transcludes cases, or excluded: not a case page
        if result.case is not None:
            result = dataclasses.replace(result, case=dataclasses.replace(
                result.case, revid=snap.revid, last_edit=snap.timestamp))  # fmt: skip
        cases.append(SourceCase(tag, result))
    cases.sort(key=lambda c: c.result.page)
    return Refreshed(tag, tuple(cases), listed=len(pages), truncated=truncated)


def open_sources(
    central: WikiSession,
    config: Config,
    participation: Participation,
    opener: Opener = open_source_session,
) -> dict[str, WikiSession | NotRefreshed]:
    """A session per taking-part wiki (the central wiki's own for itself), or NotRefreshed
    for a wiki that cannot be reached or logged in to."""
    out: dict[str, WikiSession | NotRefreshed] = {}
    for source in participation.taking_part:
        if is_central(source, config):
            out[source.id] = central
            continue
        try:
            out[source.id] = opener(central, source)
        except UNREADABLE as exc:
            log.warning("%s: not refreshed: %s", source.id, exc)
            out[source.id] = NotRefreshed(wiki_tag(source, config), str(exc))
    return out


def read_sources(
    sessions: Mapping[str, WikiSession | NotRefreshed],
    config: Config,
    participation: Participation,
) -> SourcesReading:
    """Every wiki's state, in configuration order: read, not refreshed, or skipped."""
    skipped = {source.id: reason for source, reason in participation.skipped}
    states: list[SourceState] = []
    for source in (*participation.taking_part, *(s for s, _ in participation.skipped)):
        if source.id in skipped:
            states.append(Skipped(wiki_tag(source, config), skipped[source.id]))
            continue
        session = sessions[source.id]
        states.append(session if isinstance(session, NotRefreshed)
                      else read_source(session, source, config))  # fmt: skip
    order = {s.id: i for i, s in enumerate(config.sources.wikis)}
    states.sort(key=lambda s: order.get(s.wiki.id, 0))
    return SourcesReading(tuple(states))


def collect_sources(
    central: WikiSession, config: Config, opener: Opener = open_source_session
) -> SourcesReading:
    """The service: participation (read on the central wiki), a session per taking-part wiki,
    every wiki's cases. ``opener`` opens a source wiki's session (tests pass their own)."""
    participation = read_participation(central, config)
    for wiki_id in participation.unknown_ids:
        log.warning("the participation page lists %r, which the configuration does not know",
                    wiki_id)  # fmt: skip
    return read_sources(open_sources(central, config, participation, opener), config,
                        participation)  # fmt: skip
