"""The collect step of ``advocacy-hub run translations``: everything the run reads, up front.

Reads, in order: the pages carrying ``{{<translation_start>}}`` (``embeddedin`` with content,
in ``permissions.edit_namespaces``), with the site facts (``meta=siteinfo``: content language,
Translate, language names) and the redirects to the start marker in the same request
(``list=backlinks``); the titles the tables name, with the redirects to the end marker in the
same request; then the statuses of every page those markers select, for all markers at once (see
``bots.translation_status.collector``; unit translations whose revision the local fuzzy cache
knows are not read again: ``bots.translation_status.units``); with ``[[sources]]`` wikis, the
pages there that translate the selected pages (``bots.translation_status.other_wikis``).
Nothing is read after this step but the saves' own conflict re-reads.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bots.config.model import Config
from bots.config.permissions import edit_refusal
from bots.outcomes import Failed, Skipped
from bots.progress import progress
from bots.run_options import RunOptions
from bots.translation_status.collect import use_translate_api
from bots.translation_status.collector import StatusCollector
from bots.translation_status.fuzzy_cache import FuzzyCache
from bots.translation_status.other_wikis import OtherWikis
from bots.translation_status.selection import PageSelection, SelectionResult
from bots.translations.view import MAX_REGIONS, StatusView, parse_status_view
from bots.wiki.last_edits import bot_revision_text
from bots.wiki.records import PageSnapshot
from bots.wiki.session import WikiSession
from bots.wiki.siteinfo import (
    SITE_FACTS_PARAMS,
    SiteFacts,
    has_site_facts,
    read_site_facts,
    redirect_names_from,
    site_facts_from,
    template_redirects_params,
)
from bots.wiki.templates import template_names
from bots.wikitext.markers import (
    MarkerScan,
    find_marker_regions,
    inner_was_edited_by_human,
    strip_stamp,
)

__all__ = ["Collected", "StatusMarkers", "StatusPage", "collect"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StatusMarkers:
    """The start and end marker templates, with the names of their redirects."""

    start: str
    end: str
    start_aliases: frozenset[str]
    end_aliases: frozenset[str]

    def scan(self, text: str) -> MarkerScan:
        return find_marker_regions(
            text,
            self.start,
            self.end,
            extra_names=self.start_aliases,
            extra_end_names=self.end_aliases,
        )


@dataclass(frozen=True)
class StatusPage:
    """A page the bot may edit, with at least one usable status region. ``bot_text``: the
    bot's own last revision of the page, read only when someone edited inside a table the
    bot wrote (the circuit breaker compares with the bot's rendering, not theirs)."""

    snapshot: PageSnapshot
    scan: MarkerScan
    bot_text: str | None = None


@dataclass(frozen=True)
class Collected:
    """What the run read: the pages to update and the statuses their regions select."""

    facts: SiteFacts
    markers: StatusMarkers
    pages: tuple[StatusPage, ...]
    skipped: tuple[Skipped, ...]  # marker pages the bot may not or cannot update
    notes: tuple[str, ...]  # for the operator: why a page with markers was left untouched
    results: Mapping[PageSelection, SelectionResult]
    pages_read: int


def collect(session: WikiSession, config: Config, options: RunOptions) -> Collected | Failed:
    start, end = config.templates.translation_start, config.templates.translation_end
    answers: list[SiteFacts] = []  # the site facts ride along with the listing: no request
    start_names = {_bare(start)}  # and the redirects to the start marker (list=backlinks)

    def keep_facts(query: Mapping[str, Any]) -> None:
        if not answers and has_site_facts(query):
            answers.append(site_facts_from(query))
        start_names.update(redirect_names_from(query))

    found = session.embedded_in(
        start,
        namespaces=config.permissions.edit_namespaces,
        content=True,
        extra={**SITE_FACTS_PARAMS, **template_redirects_params(_full(start))},
        on_query=keep_facts,
    )
    read = progress(found, label="reading status pages", enabled=options.progress)
    snapshots = sorted(read, key=lambda s: s.title)
    facts = answers[0] if answers else read_site_facts(session)
    if config.translations.source == "translate" and not facts.has_translate:
        reason = "translations.source is 'translate' but the wiki has no Translate extension"
        return Failed(config.path, reason)
    cache = FuzzyCache.for_wiki(config)
    other_wikis = OtherWikis(session, config) if config.sources.wikis else None
    collector = StatusCollector(
        session,
        config,
        facts,
        exclude=(s.title for s in snapshots),
        use_api=use_translate_api(config, facts),
        show_progress=options.progress,
        fuzzy_cache=cache,
        other_wikis=other_wikis,
    )
    # the end marker's redirects ride along with the titles the tables name: a first scan
    # knowing only the end marker's own name finds the selections; every page is scanned
    # again with all the names before anything is used (a table the first scan missed is
    # resolved with the statuses, one more request in that rare case)
    first = StatusMarkers(start, end, frozenset(start_names), frozenset({_bare(end)}))
    end_names = collector.resolve(_selections(_usable_pages(snapshots, first, config)[0]),
                                  redirects_of=_full(end))  # fmt: skip
    if end_names is None:  # the answer did not hold them all
        end_names = template_names(session, [end])[end]
    markers = StatusMarkers(start, end, frozenset(start_names), end_names)
    pages, skipped, notes = _usable_pages(snapshots, markers, config)
    pages = tuple(_with_bot_text(session, page, config.wiki.user) for page in pages)
    results = collector.collect(_selections(pages))
    try:
        cache.save()
    except OSError as exc:  # the cache only saves requests: the run goes on without it
        log.warning("could not save the translation unit cache %s: %s", cache.path, exc)
    pages_read = len(snapshots) + collector.pages_read
    notes = (*notes, *(other_wikis.notes if other_wikis else ()))
    return Collected(facts, markers, pages, skipped, notes, results, pages_read)


def _full(template: str) -> str:
    return template if template.lower().startswith("template:") else f"Template:{template}"


def _bare(title: str) -> str:
    return title.split(":", 1)[1] if title.lower().startswith("template:") else title



def _usable_pages(
    snapshots: Sequence[PageSnapshot], markers: StatusMarkers, config: Config
) -> tuple[tuple[StatusPage, ...], tuple[Skipped, ...], tuple[str, ...]]:
    pages: list[StatusPage] = []
    skipped: list[Skipped] = []
    notes: list[str] = []
    for snap in snapshots:
        refusal = edit_refusal(snap.title, snap.namespace, config)
        if refusal:
            skipped.append(Skipped(snap.title, refusal))
            continue
        scan = markers.scan(snap.text or "")
        if scan.error is not None:
            reason = f"markers not usable, page left untouched: {scan.error.reason}"
            skipped.append(Skipped(snap.title, reason))
            notes.append(f"{snap.title}: {reason}")
        elif scan.regions:
            pages.append(StatusPage(snap, scan))
    return tuple(pages), tuple(skipped), tuple(notes)


def _with_bot_text(session: WikiSession, page: StatusPage, bot: str) -> StatusPage:
    """The page with the bot's last revision's text when a table on it was edited by someone
    since the bot wrote it (one request for such a page, none for the others)."""
    if not any(_edited_by_someone(r.inner) for r in page.scan.regions):
        return page
    return dataclasses.replace(page, bot_text=bot_revision_text(session, page.snapshot.title, bot))


def _edited_by_someone(inner: str) -> bool:
    stamped = strip_stamp(inner) != inner.strip("\n")
    return stamped and inner_was_edited_by_human(inner)


def _selections(pages: Sequence[StatusPage]) -> list[PageSelection]:
    # tables beyond the maximum per page get an error box: nothing is read for them
    views = (parse_status_view(r.params) for page in pages for r in page.scan.regions
             if r.index < MAX_REGIONS)  # fmt: skip
    return list(dict.fromkeys(v.selection for v in views if isinstance(v, StatusView)))
