"""Translation status tables: the wikitext of one region, its most-needed list, error box. Pure.

A region shows a :class:`~bots.translations.view.StatusView` of some
:class:`~bots.translation_status.records.PageStatus` es: a table of pages × languages (or languages
of one page), a colour legend and the "most needed" list.

Rendering is deterministic: rows and columns sorted, no "now" anywhere (only differences
between revision dates). Every data cell is one line carrying ``data-cell="<page>/<lang>"``,
which ``bots.translations.summary`` reads back to say in the edit summary which cells changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bots.i18n.messages import Messages
from bots.translation_status.records import KIND_NONE, SOURCE_SUBPAGE, PageStatus, TranslationRecord
from bots.translations.grid import (
    TOTAL,
    Cell,
    cell_of,
    cells_of,
    completion,
    records_of,
    sum_records,
)
from bots.translations.needed import most_needed
from bots.translations.view import RowOrder, StatusView, view_languages
from bots.wikitext.escape import escape_attribute, escape_inline, internal_link
from bots.wikitext.problems import Problem, problem_text

__all__ = [
    "COLOUR_BANDS",
    "NEUTRAL_BAND",
    "ColourBand",
    "render_status_view",
    "render_view_errors",
]


# ---------------------------------------------------------------------------------------------
# Colour scale: viridis samples, lightness rising with completeness so that the order survives
# any colour-vision deficiency and greyscale printing; each with the text colour that keeps a
# contrast of at least 4.5:1. The figure is always printed; colour only helps scanning.


@dataclass(frozen=True)
class ColourBand:
    minimum: int  # lowest score in the band
    background: str
    text: str


COLOUR_BANDS: tuple[ColourBand, ...] = (
    ColourBand(100, "#fde725", "#000000"),
    ColourBand(75, "#a0da39", "#000000"),
    ColourBand(50, "#4ac16d", "#000000"),
    ColourBand(25, "#1fa187", "#000000"),
    ColourBand(1, "#365c8d", "#ffffff"),
    ColourBand(0, "#46327e", "#ffffff"),
)
MAX_SHOWN_PROBLEMS = 10  # problems listed in one error box; the rest are counted
NEUTRAL_BAND = ColourBand(-1, "#eaecf0", "#000000")  # source language, nothing to translate
SUBPAGE_OUTDATED_SCORE = 50  # an outdated hand translation: present, but needs work


def _band(score: int) -> ColourBand:
    for band in COLOUR_BANDS:
        if score >= band.minimum:
            return band
    return NEUTRAL_BAND


def _score(rec: TranslationRecord) -> int:
    if rec.source == SOURCE_SUBPAGE and rec.outdated:
        return SUBPAGE_OUTDATED_SCORE
    return rec.percent


# ---------------------------------------------------------------------------------------------
# Rendering


class _Text:
    """Message lookups in one language, and language labels."""

    def __init__(
        self, messages: Messages, lang: str, names: Mapping[str, str], prefix: str = ""
    ) -> None:
        self.messages = messages
        self.lang = lang
        self.names = names
        self.rtl = messages.is_rtl(lang)
        # under a prefix, rows are labelled by the rest of the title ("Guide", not "Advocacy/Guide")
        prefix = " ".join(prefix.replace("_", " ").split())
        self.prefix = prefix[:1].upper() + prefix[1:]

    def msg(self, key: str, *params: str | int) -> str:
        return self.messages.msg(key, self.lang, *params)

    def language(self, code: str) -> str:
        """Autonym and code; right-to-left names isolated so they display correctly."""
        name = self.messages.autonym(code)
        if name == code:
            name = self.names.get(code, code)
        shown = escape_inline(name, 80)
        if self.messages.is_rtl(code):
            label = f'<bdi dir="rtl" lang="{code}">{shown}</bdi> ({code})'
        else:
            label = f"{shown} ({code})"
        # in a right-to-left table a left-to-right label needs isolating too, or its closing
        # parenthesis would be drawn at the wrong end
        return f"<bdi>{label}</bdi>" if self.rtl else label

    def page(self, title: str) -> str:
        rest = title[len(self.prefix) :] if self.prefix and title.startswith(self.prefix) else ""
        link = internal_link(title, rest.strip() or None)
        return f"<bdi>{link}</bdi>" if self.rtl else link

    def percent(self, value: int) -> str:
        return self.msg("advocacyhub-translations-percent", value)


def _cell_attribute(key: str) -> str:
    """``<page>/<lang>``, the page escaped (a page-total key keeps its raw ``*``)."""
    page, _, lang = key.rpartition("/")
    return f"{page if page == TOTAL else escape_attribute(page)}/{lang}"


def _render_cell(cell: Cell, text: _Text) -> str:
    attrs = f'data-cell="{_cell_attribute(cell.key)}"'
    rec = cell.record
    if cell.is_source or rec is None:
        which = "source" if cell.is_source else "none"
        content = text.msg(f"advocacyhub-translations-cell-{which}")
        band, sort_value = NEUTRAL_BAND, -1
    else:
        score = _score(rec)
        band, sort_value = _band(score), score
        if rec.source == SOURCE_SUBPAGE and rec.total == 1:
            if rec.outdated:
                content = text.msg("advocacyhub-translations-cell-behind", rec.behind_days)
            elif rec.translated:
                content = text.msg("advocacyhub-translations-cell-uptodate")
            else:
                content = text.msg("advocacyhub-translations-cell-missing")
        else:
            content = (
                f"{text.percent(rec.percent)}<br /><small>"
                f"{text.msg('advocacyhub-translations-cell-outdated', rec.outdated)}</small>"
            )
    style = f"background-color:{band.background};color:{band.text}"
    return f'| {attrs} data-sort-value="{sort_value}" style="{style}" | {content}'


def _total_cell(key: str, records: Sequence[TranslationRecord], text: _Text) -> str:
    total = sum_records(records, "", "")
    if total.total == 0:
        return _render_cell(Cell(key, None), text)
    return _render_cell(Cell(key, total), text)


def _row_sort_key(sort: RowOrder, name: str, total: TranslationRecord) -> tuple[float | str, ...]:
    if sort == RowOrder.COMPLETE:
        return (-completion(total), name)
    if sort == RowOrder.OUTDATED:
        return (-total.outdated, name)
    return (name,)


def _table_by_page(
    statuses: Sequence[PageStatus], languages: Sequence[str], view: StatusView, text: _Text
) -> list[str]:
    cells = cells_of(statuses, languages)
    page_totals = {
        s.page: sum_records(records_of(cells[(s.page, lang)] for lang in languages), s.page, "")
        for s in statuses
    }
    rows = sorted(statuses, key=lambda s: _row_sort_key(view.sort, s.page, page_totals[s.page]))
    lines = ['{| class="wikitable sortable advocacyhub-translation-status"']
    lines.append(f'! scope="col" | {text.msg("advocacyhub-translations-header-page")}')
    lines.extend(f'! scope="col" | {text.language(lang)}' for lang in languages)
    lines.append(f'! scope="col" | {text.msg("advocacyhub-translations-header-all-languages")}')
    for status in rows:
        lines.append("|-")
        lines.append(f'! scope="row" | {text.page(status.page)}')
        lines.extend(_render_cell(cells[(status.page, lang)], text) for lang in languages)
        lines.append(_total_cell(f"{status.page}/{TOTAL}", [page_totals[status.page]], text))
    lines.append('|- class="sortbottom"')
    lines.append(f'! scope="row" | {text.msg("advocacyhub-translations-row-all-pages")}')
    for lang in languages:
        column = records_of(cells[(s.page, lang)] for s in statuses)
        lines.append(_total_cell(f"{TOTAL}/{lang}", column, text))
    lines.append(_total_cell(f"{TOTAL}/{TOTAL}", list(page_totals.values()), text))
    lines.append("|}")
    return lines


def _table_by_language(
    status: PageStatus, languages: Sequence[str], view: StatusView, text: _Text
) -> list[str]:
    cells = {lang: cell_of(status, lang) for lang in languages}

    def key(lang: str) -> tuple[float | str, ...]:
        rec = cells[lang].record
        return _row_sort_key(view.sort, lang, rec if rec else sum_records([], "", ""))

    lines = ['{| class="wikitable sortable advocacyhub-translation-status"']
    lines.append(f'! scope="col" | {text.msg("advocacyhub-translations-header-language")}')
    lines.append(f'! scope="col" | {text.page(status.page)}')
    for lang in sorted(languages, key=key):
        lines.append("|-")
        lines.append(f'! scope="row" | {text.language(lang)}')
        lines.append(_render_cell(cells[lang], text))
    lines.append('|- class="sortbottom"')
    lines.append(f'! scope="row" | {text.msg("advocacyhub-translations-header-all-languages")}')
    lines.append(_total_cell(f"{status.page}/{TOTAL}", records_of(cells.values()), text))
    lines.append("|}")
    return lines


def _legend(text: _Text) -> list[str]:
    swatches = []
    labels = {
        100: text.percent(100),
        75: text.msg("advocacyhub-translations-range", 75, 99),
        50: text.msg("advocacyhub-translations-range", 50, 74),
        25: text.msg("advocacyhub-translations-range", 25, 49),
        1: text.msg("advocacyhub-translations-range", 1, 24),
        0: text.percent(0),
    }
    for band in COLOUR_BANDS:
        style = f"background-color:{band.background};color:{band.text};padding:0 0.4em"
        swatches.append(f'<span style="{style}">{labels[band.minimum]}</span>')
    return [
        "",
        '<div class="advocacyhub-translation-legend">'
        + text.msg("advocacyhub-translations-legend", " ".join(swatches))
        + "</div>",
    ]


def _needed_lines(
    statuses: Sequence[PageStatus], languages: Sequence[str], view: StatusView, text: _Text
) -> list[str]:
    if view.needed == 0:
        return []
    closest, behind_languages, behind_pages = most_needed(statuses, languages, view.needed)
    lines = ["", f"'''{text.msg('advocacyhub-translations-needed-heading')}'''"]
    if not (closest or behind_languages or behind_pages):
        lines.append(text.msg("advocacyhub-translations-needed-none"))
        return lines
    if closest:
        lines.append(text.msg("advocacyhub-translations-needed-closest"))
        for item in closest:
            rec = item.record
            if rec.source == SOURCE_SUBPAGE:
                line = text.msg(
                    "advocacyhub-translations-needed-update",
                    text.page(item.page),
                    text.language(item.language),
                    rec.behind_days,
                )
            else:
                line = text.msg(
                    "advocacyhub-translations-needed-units",
                    text.page(item.page),
                    text.language(item.language),
                    rec.remaining,
                    rec.outdated,
                )
            lines.append(f"* {line}")
    if behind_languages or behind_pages:
        lines.append(text.msg("advocacyhub-translations-needed-behind"))
        behind = [(text.language(i.language), i.record) for i in behind_languages]
        behind += [(text.page(i.page), i.record) for i in behind_pages]
        for label, record in behind:
            total = text.msg(
                "advocacyhub-translations-needed-total",
                label,
                text.percent(record.percent),
                record.outdated,
            )
            lines.append(f"* {total}")
    return lines


def render_status_view(
    view: StatusView,
    statuses: Sequence[PageStatus],
    messages: Messages,
    lang: str,
    *,
    content_language: str = "en",
    language_names: Mapping[str, str] | None = None,
) -> str:
    """The wikitext of one region (without the stamp, which ``bots.wikitext.markers`` adds).

    ``statuses`` are the view's pages; those with nothing to translate are left out. ``lang``
    is the page's language, used when the view has no ``lang``. ``language_names`` (code ->
    name, e.g. from the wiki's site info) names languages the message catalogue does not know.
    """
    text = _Text(messages, view.lang or lang, language_names or {}, view.prefix)
    shown = [s for s in statuses if s.kind != KIND_NONE]
    languages = view_languages(view, shown, content_language)
    direction = "rtl" if text.rtl else "ltr"
    lines = [f'<div class="advocacyhub-translations" lang="{text.lang}" dir="{direction}">']
    if not shown or not languages:
        lines.append(text.msg("advocacyhub-translations-empty"))
        lines.append("</div>")
        return "\n".join(lines)
    lines.append(text.msg("advocacyhub-translations-caption", len(shown), len(languages)))
    if len(shown) == 1 and view.pages:
        lines.extend(_table_by_language(shown[0], languages, view, text))
    else:
        lines.extend(_table_by_page(shown, languages, view, text))
    lines.extend(_legend(text))
    lines.extend(_needed_lines(shown, languages, view, text))
    lines.append("</div>")
    return "\n".join(lines)


def render_view_errors(problems: Sequence[Problem], messages: Messages, lang: str) -> str:
    """A visible error box listing every problem with the marker's parameters."""
    direction = "rtl" if messages.is_rtl(lang) else "ltr"
    lines = [f'<div class="error advocacyhub-translations-error" lang="{lang}" dir="{direction}">']
    lines.append(messages.msg("advocacyhub-translations-error-intro", lang))
    lines.extend("* " + problem_text(p, messages, lang) for p in problems[:MAX_SHOWN_PROBLEMS])
    if len(problems) > MAX_SHOWN_PROBLEMS:
        more = len(problems) - MAX_SHOWN_PROBLEMS
        lines.append("* " + messages.msg("advocacyhub-translations-error-more", lang, more))
    lines.append("</div>")
    return "\n".join(lines)
