"""The page × language grid of a status table, as records: cells, sums and shares. Pure.

A cell is keyed ``<page>/<lang>``; :data:`TOTAL` stands for "every page" or "every language"
in the keys of total cells. ``bots.translations.table`` renders the grid and
``bots.translations.needed`` picks the most needed work from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bots.translation_status.records import SOURCE_COMPUTED, PageStatus, TranslationRecord

__all__ = ["TOTAL", "Cell", "cell_of", "cells_of", "completion", "records_of", "sum_records"]

TOTAL = "*"  # page or language part of a total cell's key; never a title nor a code


@dataclass(frozen=True)
class Cell:
    key: str
    record: TranslationRecord | None  # None: nothing to translate
    is_source: bool = False  # the page's own language


def cell_of(status: PageStatus, language: str) -> Cell:
    key = f"{status.page}/{language}"
    if status.source_language and status.source_language == language:
        return Cell(key, None, is_source=True)
    return Cell(key, status.record(language))


def cells_of(
    statuses: Sequence[PageStatus], languages: Sequence[str]
) -> dict[tuple[str, str], Cell]:
    return {(s.page, lang): cell_of(s, lang) for s in statuses for lang in languages}


def records_of(cells: Iterable[Cell]) -> list[TranslationRecord]:
    return [c.record for c in cells if c.record is not None]


def sum_records(
    records: Iterable[TranslationRecord], page: str, language: str
) -> TranslationRecord:
    """One record adding up units of several (a row's, a column's or the table's total)."""
    recs = list(records)
    return TranslationRecord(
        page=page,
        language=language,
        total=sum(r.total for r in recs),
        translated=sum(r.translated for r in recs),
        outdated=sum(r.outdated for r in recs),
        source=SOURCE_COMPUTED,
    )


def completion(rec: TranslationRecord) -> float:
    """Share of units translated and current; -1 when there is nothing to translate."""
    return rec.translated / rec.total if rec.total else -1.0
