"""Translations kept on other wikis (issue 16): a page of a source wiki that translates a page
of this wiki into that wiki's language. Pure.

A source wiki (``[[sources]]``) holds the translation of a page here under the same title, or
under the title an explicit mapping gives (``translation_prefixes``: a prefix here -> the
prefix there, the longest matching prefix wins). Such a page is one whole translation, like a
hand-translated subpage: current when it was edited after the source page's last change,
outdated (so many days behind) when not. A translation on this wiki itself always wins: the
other wiki's page only fills a language this wiki has nothing in.

When the other wiki could not be read this run, its pages as last read are shown, each record
saying since when (``not_refreshed_since``): a wiki that is down never empties cells.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bots.translation_status.records import (
    KIND_NONE,
    KIND_UNITS,
    NOT_A_TRANSLATION,
    SOURCE_OTHER_WIKI,
    PageStatus,
    TranslationRecord,
    status_from_subpages,
)


@dataclass(frozen=True)
class WikiPage:
    """A page on another wiki that translates a source page of this wiki."""

    wiki: str  # the source wiki's id
    language: str  # that wiki's content language
    title: str  # on that wiki
    timestamp: str  # its latest revision (ISO 8601)
    link: str  # a ``[[…]]`` target on this wiki (interwiki), or a URL; "" when neither
    not_refreshed_since: str = ""  # that wiki was not read this run: the page as read then


def translation_title(title: str, prefixes: Mapping[str, str]) -> str:
    """The title the translation of ``title`` has on a wiki with these ``prefixes`` (the
    longest prefix of ``title`` mapped; else the same title)."""
    for here in sorted(prefixes, key=len, reverse=True):
        if title.startswith(here):
            return prefixes[here] + title[len(here) :]
    return title


def wiki_record(status: PageStatus, page: WikiPage, source_changed: str) -> TranslationRecord:
    """The record of one translation on another wiki: as a hand translation made at
    ``page.timestamp`` of a source last changed at ``source_changed``; a page with units
    counts all of them (a whole translation, current or outdated)."""
    made = status_from_subpages(status.page, source_changed, {page.language: page.timestamp})
    one = made.records[0]
    total = status.total if status.kind == KIND_UNITS and status.total > 0 else 1
    return dataclasses.replace(
        one, total=total, translated=one.translated * total, outdated=one.outdated * total,
        source=SOURCE_OTHER_WIKI, wiki=page.wiki, wiki_link=page.link,
        not_refreshed_since=page.not_refreshed_since,
    )  # fmt: skip


def with_wiki_pages(
    status: PageStatus, pages: Sequence[WikiPage], source_changed: str
) -> PageStatus:
    """``status`` with a record for each language only another wiki translates it into."""
    if status.kind == KIND_NONE or not pages:
        return status
    taken = {*status.languages(), status.source_language}
    added: list[TranslationRecord] = []
    for page in sorted(pages, key=lambda p: (p.language, p.wiki)):
        if page.language in taken or page.language in NOT_A_TRANSLATION or not page.language:
            continue
        taken.add(page.language)
        added.append(wiki_record(status, page, source_changed))
    if not added:
        return status
    records = tuple(sorted((*status.records, *added), key=lambda r: r.language))
    return dataclasses.replace(status, records=records)
