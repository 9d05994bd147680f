"""The "most needed" list under a status table: which translation work would help most. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bots.translation_status.records import PageStatus, TranslationRecord
from bots.translations.grid import cells_of, completion, records_of, sum_records

__all__ = ["NeededItem", "most_needed"]


@dataclass(frozen=True)
class NeededItem:
    """One entry of the "most needed" list."""

    page: str  # "" for a whole language
    language: str  # "" for a whole page
    record: TranslationRecord


def most_needed(
    statuses: Sequence[PageStatus], languages: Sequence[str], limit: int
) -> tuple[list[NeededItem], list[NeededItem], list[NeededItem]]:
    """(closest to done, languages furthest behind, pages furthest behind), each up to
    ``limit`` long. Closest to done: started translations with the fewest units left (an
    outdated hand translation is one unit). Furthest behind: lowest share, incomplete only."""
    cells = cells_of(statuses, languages)
    started = [
        NeededItem(page, lang, cell.record)
        for (page, lang), cell in cells.items()
        if cell.record is not None and cell.record.present and not cell.record.complete
    ]
    started.sort(key=lambda i: (i.record.remaining, -completion(i.record), i.page, i.language))
    by_language = []
    for lang in languages:
        total = sum_records(records_of(cells[(s.page, lang)] for s in statuses), "", lang)
        if total.total and not total.complete:
            by_language.append(NeededItem("", lang, total))
    by_language.sort(key=lambda i: (completion(i.record), i.language))
    by_page = []
    if len(statuses) > 1:
        for s in statuses:
            total = sum_records(records_of(cells[(s.page, lang)] for lang in languages), s.page, "")
            if total.total and not total.complete:
                by_page.append(NeededItem(s.page, "", total))
        by_page.sort(key=lambda i: (completion(i.record), i.page))
    return started[:limit], by_language[:limit], by_page[:limit]
