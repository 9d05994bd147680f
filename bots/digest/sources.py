"""The source wikis' part of a digest (issue 16): the changes of every wiki in ``[[sources]]``.

Each taking-part source wiki (``bots.sources.participation``; the central wiki is read by
``bots.digest.collect`` as always) is read like the central wiki, through its own session and
with its own case template and parameter names (``bots.sources.collect.parsing_config``, so the
sensitive rule is the same everywhere): its recent changes in its case namespaces and their
talk namespaces, the move log, the revisions at its period's start and end. Its hubs,
positions and translations are none (those are the central wiki's).

Each wiki has its own period, recorded in the archive (``bots.digest.ids.SourceMark``): it
ends where the digest ends and starts where the last digest that read the wiki ended. A wiki
that cannot be read (down, lagged past the retry budget, refusing the account) is marked
``wait`` from the start it had: the next digest reads it from there, so its changes are
neither lost nor sent twice, and the digest says it was not refreshed. A resumed digest keeps
its marks (every recipient gets the same digest): a wiki it marked ``read`` that cannot be
read again stops the run, and the deliveries wait.

Reads on the central wiki: the participation page (one request). Per source wiki: the login,
the case template's redirects, and ``bots.digest.collect``'s batched reads.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence

from bots.config.model import Config
from bots.config.source_model import SourceWiki
from bots.config.sources import is_central
from bots.digest.changes import digest_content
from bots.digest.collect import Collector
from bots.digest.content import DigestContent, with_source_parts
from bots.digest.ids import SourceMark
from bots.digest.ledger import RunStop
from bots.digest.period import MAX_PERIOD_DAYS, Period
from bots.outcomes import Failed, JobReport
from bots.sources.collect import UNREADABLE, Opener, open_sources, parsing_config, wiki_tag
from bots.sources.participation import read_participation
from bots.sources.records import NotRefreshed, WikiTag
from bots.wiki.session import WikiSession
from bots.wiki.sites import open_source_session
from bots.wiki.templates import template_names


def _ts(value: str) -> dt.datetime:
    return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)


def source_starts(period: Period, wikis: Sequence[str], notes: list[str]) -> dict[str, SourceMark]:
    """Each source wiki's start (pure): a new digest reads a wiki from where the last digest
    left it waiting, else from the digest's start; a resumed digest keeps its own marks (a
    wiki it does not know waits from the digest's start)."""
    marks = {m.wiki: m for m in period.marks}
    earliest = (_ts(period.end) - dt.timedelta(days=MAX_PERIOD_DAYS)).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    out: dict[str, SourceMark] = {}
    for wiki in wikis:
        mark = marks.get(wiki)
        if period.resumed:
            out[wiki] = mark or SourceMark(wiki, period.start, read=False)
            continue
        start = mark.start if mark is not None and not mark.read else period.start
        if start < earliest:
            notes.append(f"{wiki}: changes waiting since {start} capped to {MAX_PERIOD_DAYS}"
                         " days (recent changes span)")
            start = earliest
        out[wiki] = SourceMark(wiki, start, read=True)
    return out


def source_config(config: Config, source: SourceWiki) -> Config:
    """The configuration a source wiki is read with: its case names and scope; no hubs."""
    local = parsing_config(config, source)
    return dataclasses.replace(local, digest=dataclasses.replace(local.digest, hub_pages=()))


def read_source_content(
    session: WikiSession, config: Config, source: SourceWiki, period: Period, tag: WikiTag,
    notes: list[str],
) -> tuple[DigestContent, int]:
    """One source wiki's changes in ``period`` (its own start), and the pages read."""
    local = source_config(config, source)
    names = template_names(session, [source.case_template])[source.case_template]
    collector = Collector(session, local, period, case_names=names)
    revisions = collector.collect(())
    found: list[str] = []
    content = digest_content(revisions, local, names, found)
    notes.extend(f"{tag.id}: {note}" for note in (*collector.notes, *found))
    return content, collector.pages_read


def with_sources(
    central: WikiSession, config: Config, period: Period, report: JobReport,
    content: DigestContent, opener: Opener = open_source_session,
) -> DigestContent:
    """``content`` (the central wiki's) with every taking-part source wiki's changes and the
    marks of each wiki's period. A configuration without ``[[sources]]`` reads nothing.
    ``opener`` opens a source wiki's session (tests pass their own)."""
    if not config.sources.wikis:
        return content
    participation = read_participation(central, config)
    report.notes.extend(f"{source.id}: skipped: {reason}"
                        for source, reason in participation.skipped)
    sources = [s for s in participation.taking_part if not is_central(s, config)]
    starts = source_starts(period, [s.id for s in sources], report.notes)
    sessions: Mapping[str, WikiSession | NotRefreshed] = open_sources(
        central, config, participation, opener) if any(m.read for m in starts.values()) else {}
    parts: list[tuple[WikiTag, DigestContent]] = []
    marks: list[SourceMark] = []
    for source in sources:
        mark, tag = starts[source.id], wiki_tag(source, config)
        session = sessions.get(source.id)
        part: DigestContent | None = None
        if mark.read and isinstance(session, WikiSession):
            try:
                sub = dataclasses.replace(period, start=mark.start)
                part, pages = read_source_content(session, config, source, sub, tag,
                                                  report.notes)
                report.pages_read += pages
            except UNREADABLE as exc:
                report.notes.append(f"{source.id}: not refreshed: {exc}")
        elif isinstance(session, NotRefreshed):
            report.notes.append(f"{source.id}: not refreshed: {session.reason}")
        if part is None and mark.read and period.resumed:
            # this digest went out to some with the wiki's changes: the rest wait for them
            report.record(Failed(period.archive_page, f"{source.id} cannot be read again "
                                 "for the digest being delivered; deliveries wait"))
            raise RunStop
        if part is not None:
            parts.append((tag, part))
        marks.append(dataclasses.replace(mark, read=part is not None))
    return with_source_parts(content, parts, tuple(marks))
