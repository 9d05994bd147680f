"""The translation status service: how far pages are translated, for any job that asks.

* :func:`collect_statuses`: the :class:`~bots.translation_status.records.PageStatus` of pages;
* :func:`translation_needs` (the digest): every missing, incomplete or outdated translation;
* :func:`case_translations` (the case index's languages column): which translations exist.

The figures come from Translate's statistics when the wiki has the extension and
``translations.source`` allows it (``auto`` or ``translate``), else from the pages themselves;
:class:`~bots.translation_status.collector.StatusCollector` lists what it reads. The
translations job uses the collector directly, for whole selections of pages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bots.config.model import Config
from bots.translation_status.collector import StatusCollector
from bots.translation_status.records import (
    PageStatus,
    PageTranslations,
    TranslationRecord,
    expected_only,
    page_translations,
)
from bots.wiki.records import PageSnapshot
from bots.wiki.session import WikiSession
from bots.wiki.siteinfo import SiteFacts, read_site_facts

__all__ = ["case_translations", "collect_statuses", "translation_needs", "use_translate_api"]


def use_translate_api(config: Config, facts: SiteFacts) -> bool:
    """``auto`` uses the API when the wiki has Translate; ``computed`` never does."""
    source = config.translations.source
    return source == "translate" or (source == "auto" and facts.has_translate)


def collect_statuses(
    session: WikiSession,
    config: Config,
    pages: Sequence[str],
    languages: Sequence[str] | None = None,
    *,
    facts: SiteFacts | None = None,
    snapshots: Mapping[str, PageSnapshot] | None = None,
) -> dict[str, PageStatus]:
    """Statuses of ``pages`` (any titles; keys as given), for ``languages`` (None: all).

    A subpage counts as a hand translation only into ``languages`` (None: the configuration's
    ``translations.languages``, or any language the bot knows when that is empty): ``/new``
    is no Newar translation unless it is asked for. ``snapshots`` already read by the caller
    (with text) are reused instead of read again.
    """
    facts = facts or read_site_facts(session)
    collector = StatusCollector(
        session, config, facts, use_api=use_translate_api(config, facts), snapshots=snapshots
    )
    names = {title: session.normalize(title)[0] for title in pages}
    collector.collect_pages(names.values(), languages)
    wanted = languages if languages is not None else config.translations.languages
    expected = frozenset(wanted) if wanted else None
    out: dict[str, PageStatus] = {}
    for asked, title in names.items():
        status = collector.status(title)
        if status is not None:
            out[asked] = expected_only(status, expected)
    return out


def translation_needs(
    session: WikiSession,
    config: Config,
    pages: Sequence[str],
    languages: Sequence[str] | None = None,
    *,
    facts: SiteFacts | None = None,
) -> list[TranslationRecord]:
    """For the digest: every (page, language) whose translation is missing, incomplete or
    outdated, sorted by page then language. ``languages`` default to
    ``config.translations.languages``; a page's own language is never listed."""
    langs = tuple(languages) if languages is not None else config.translations.languages
    statuses = collect_statuses(session, config, pages, langs, facts=facts)
    needs = []
    for status in sorted(statuses.values(), key=lambda s: s.page):
        for lang in langs:
            if lang == status.source_language:
                continue
            rec = status.record(lang)
            if rec is not None and not rec.complete:
                needs.append(rec)
    return needs


def case_translations(
    session: WikiSession,
    config: Config,
    pages: Sequence[str],
    *,
    facts: SiteFacts | None = None,
    snapshots: Mapping[str, PageSnapshot] | None = None,
) -> dict[str, PageTranslations]:
    """For the case index: per case page, which translations exist and which are outdated."""
    statuses = collect_statuses(session, config, pages, None, facts=facts, snapshots=snapshots)
    return {asked: page_translations(status) for asked, status in statuses.items()}
