"""Statuses of pages with translation units from the Translate extension's statistics.

The collector (``bots.translation_status.collector``) asks here first when the wiki has
Translate and ``translations.source`` allows it: per language (``languagestats``, one request
per language) when a table lists fewer languages than pages, else per page
(``messagegroupstats``). Pages Translate has no message group for are handed back to be
computed from their unit pages; pages whose statistics are still being computed are named, so
their tables are left as they are for this run.
"""

from __future__ import annotations

from collections.abc import Callable

from bots.progress import progress
from bots.translation_status.records import PageStatus, status_from_api
from bots.wiki import translate_api
from bots.wiki.session import WikiSession

__all__ = ["collect_from_api"]


def collect_from_api(
    session: WikiSession,
    pages: dict[str, tuple[str, ...]],
    languages: frozenset[str] | None,
    source_language: Callable[[str], str],
    show_progress: bool | None = False,
) -> tuple[dict[str, PageStatus], dict[str, tuple[str, ...]], dict[str, str]]:
    """(statuses found, pages without a group to compute instead, pages still pending ->
    why)."""
    api = session.api
    found: dict[str, PageStatus] = {}
    left: dict[str, tuple[str, ...]] = {}
    pending: dict[str, str] = {}

    def store(title: str, figures: list[translate_api.GroupFigures]) -> None:
        found[title] = status_from_api(title, figures, source_language=source_language(title))

    if translate_api.prefer_language_stats(len(pages), languages):
        assert languages is not None
        try:
            by_page = translate_api.page_stats_by_language(api, pages, sorted(languages))
        except translate_api.StatsUnavailable as exc:
            return {}, {}, dict.fromkeys(pages, exc.reason)
        for title, units in pages.items():
            if title in by_page:
                store(title, by_page[title])
            else:
                left[title] = units
        return found, left, pending
    label = "Translate statistics"
    for title, units in progress(pages.items(), label=label, enabled=show_progress):
        try:
            figures = translate_api.group_stats(api, title)
        except translate_api.GroupNotFound:
            left[title] = units
            continue
        except translate_api.StatsUnavailable as exc:
            pending[title] = exc.reason
            continue
        store(title, figures)
    return found, left, pending
