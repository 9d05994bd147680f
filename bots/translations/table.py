"""Translation status tables: the wikitext of one region, its most-needed list, error box. Pure.

A region shows a :class:`~bots.translations.view.StatusView` of some
:class:`~bots.translation_status.records.PageStatus` es: a table of pages × languages (or languages
of one page), a colour legend and the "most needed" list.

Rendering is deterministic: rows and columns sorted, no "now" anywhere (only differences
between revision dates). Every data cell is one line carrying ``data-cell="<page>/<lang>"``,
which ``bots.translations.summary`` reads back to say in the edit summary which cells changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bots.i18n.messages import Messages
from bots.translation_status.records import (
    KIND_NONE,
    SOURCE_OTHER_WIKI,
    SOURCE_SUBPAGE,
    PageKind,
    PageStatus,
    TranslationRecord,
)
from bots.translation_status.selection import MAX_PAGES
from bots.translations.colours import (
    NEUTRAL_STYLE,
    STATE_STYLES,
    cell_state,
    legend_lines,
    score,
)
from bots.translations.grid import (
    TOTAL,
    Cell,
    cell_of,
    cells_of,
    completion,
    records_of,
    sum_records,
)
from bots.translations.links import cell_link, untranslated_lines
from bots.translations.view import RowOrder, StatusView, view_languages
from bots.translations.wording import TableText, needed_lines
from bots.wikitext.escape import escape_attribute, escape_inline
from bots.wikitext.problems import Problem, problem_text

__all__ = [
    "MAX_SHOWN_PROBLEMS",
    "NEUTRAL_STYLE",
    "STATE_STYLES",
    "RenderedTable",
    "cell_page",
    "render_status_view",
    "render_table",
    "render_view_errors",
    "view_id",
]

MAX_SHOWN_PROBLEMS = 10  # problems listed in one error box; the rest are counted


# ---------------------------------------------------------------------------------------------
# Rendering


def cell_page(page: str) -> str:
    """A page as its cells' ``data-cell`` attributes name it (escaped; the totals' ``*`` raw)."""
    return page if page == TOTAL else escape_attribute(page)


def _cell_attribute(key: str) -> str:
    """``<page>/<lang>``, the page escaped (a page-total key keeps its raw ``*``)."""
    page, _, lang = key.rpartition("/")
    return f"{cell_page(page)}/{lang}"


def _render_cell(cell: Cell, text: TableText, kind: PageKind | None = None) -> str:
    """One cell's line: state colour and symbol, figures, and (``kind`` given: a page's cell,
    not a total) a link to where the work is done."""
    attrs = f'data-cell="{_cell_attribute(cell.key)}"'
    rec = cell.record
    if cell.is_source or rec is None:
        which = "source" if cell.is_source else "none"
        content = text.msg(f"advocacyhub-translations-cell-{which}")
        colour, sort_value = NEUTRAL_STYLE, -1
    else:
        sort_value = score(rec)
        colour = STATE_STYLES[cell_state(rec)]
        note = ""
        if rec.source in (SOURCE_SUBPAGE, SOURCE_OTHER_WIKI) and rec.total == 1:
            if rec.outdated:
                figure = text.msg("advocacyhub-translations-cell-behind", rec.behind_days)
            elif rec.translated:
                figure = text.msg("advocacyhub-translations-cell-uptodate")
            else:
                figure = text.msg("advocacyhub-translations-cell-missing")
        else:
            figure = text.percent(rec.percent)
            outdated = text.msg("advocacyhub-translations-cell-outdated", rec.outdated)
            note = f"<br /><small>{outdated}</small>"
        if kind is not None:
            figure = cell_link(kind, rec, figure, translate_tool=text.translate_tool)
        note += _wiki_note(rec, text)
        content = f"{colour.symbol} {figure}{note}"
    style = f"background-color:{colour.background};color:{colour.text}"
    return f'| {attrs} data-sort-value="{sort_value}" style="{style}" | {content}'


def _wiki_note(rec: TranslationRecord, text: TableText) -> str:
    """Under a translation kept on another wiki: which wiki, and when that wiki could not be
    read this run, since when the cell shows its last reading."""
    if not rec.wiki:
        return ""
    wiki = escape_inline(rec.wiki, 40)
    if rec.not_refreshed_since:
        since = escape_inline(rec.not_refreshed_since, 40)
        shown = text.msg("advocacyhub-translations-cell-not-refreshed", wiki, since)
        return f"<br /><small>{shown}</small>"
    return f"<br /><small>{text.msg('advocacyhub-translations-cell-wiki', wiki)}</small>"


def _total_cell(key: str, records: Sequence[TranslationRecord], text: TableText) -> str:
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
    statuses: Sequence[PageStatus], languages: Sequence[str], view: StatusView, text: TableText
) -> list[str]:
    cells = cells_of(statuses, languages)
    page_totals = {
        s.page: sum_records(records_of(cells[(s.page, lang)] for lang in languages), s.page, "")
        for s in statuses
    }
    lines = ['{| class="wikitable sortable advocacyhub-translation-status"']
    lines.append(f'! scope="col" | {text.msg("advocacyhub-translations-header-page")}')
    lines.extend(f'! scope="col" | {text.language(lang)}' for lang in languages)
    lines.append(f'! scope="col" | {text.msg("advocacyhub-translations-header-all-languages")}')
    for status in statuses:  # in the order of the view's sort (see _ordered)
        lines.append("|-")
        lines.append(f'! scope="row" | {text.page(status.page)}')
        lines.extend(
            _render_cell(cells[(status.page, lang)], text, status.kind) for lang in languages
        )
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
    status: PageStatus, languages: Sequence[str], view: StatusView, text: TableText
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
        lines.append(_render_cell(cells[lang], text, status.kind))
    lines.append('|- class="sortbottom"')
    lines.append(f'! scope="row" | {text.msg("advocacyhub-translations-header-all-languages")}')
    lines.append(_total_cell(f"{status.page}/{TOTAL}", records_of(cells.values()), text))
    lines.append("|}")
    return lines


@dataclass(frozen=True)
class RenderedTable:
    """A region's table; ``hidden``: pages (as :func:`cell_page` writes them) left out at the
    limit; ``too_big``: not even a table without rows fits (``text`` is then empty)."""

    text: str
    hidden: frozenset[str] = frozenset()
    too_big: bool = False


def view_id(view: StatusView) -> str:
    """A short digest of what a view selects: the circuit breaker compares the bot's last
    rendering with a new one only when both show the same selection."""
    selection = view.selection
    key = "\n".join((selection.prefix, "|".join(selection.pages), " ".join(selection.languages)))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def _ordered(
    statuses: Sequence[PageStatus], languages: Sequence[str], view: StatusView
) -> list[PageStatus]:
    cells = cells_of(statuses, languages)
    totals = {
        s.page: sum_records(records_of(cells[(s.page, lang)] for lang in languages), s.page, "")
        for s in statuses
    }
    return sorted(statuses, key=lambda s: _row_sort_key(view.sort, s.page, totals[s.page]))


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _build(
    head: Sequence[str],
    rows: Sequence[PageStatus],
    count: int,
    languages: Sequence[str],
    view: StatusView,
    text: TableText,
    single: bool,
    extra: Sequence[str],
) -> str:
    """A region's body with its first ``count`` rows, and ``extra`` lines at its end."""
    lines = list(head)
    lines.append(text.msg("advocacyhub-translations-caption", count, len(languages)))
    if count < len(rows):
        notice = text.msg("advocacyhub-translations-truncated", count, len(rows))
        lines.append(_notice(notice))
    if count:
        if single:
            lines.extend(_table_by_language(rows[0], languages, view, text))
        else:
            lines.extend(_table_by_page(rows[:count], languages, view, text))
        lines.extend(legend_lines(text.msg))
        lines.extend(needed_lines(rows[:count], languages, view, text))
    lines.extend(extra)
    lines.append("</div>")
    return "\n".join(lines)


def render_table(
    view: StatusView,
    statuses: Sequence[PageStatus],
    messages: Messages,
    lang: str,
    *,
    content_language: str = "en",
    language_names: Mapping[str, str] | None = None,
    max_rows: int = MAX_PAGES,
    max_bytes: int | None = None,
    scan_limit: int = 0,
    untranslated: Sequence[str] = (),
    translate_tool: bool = False,
) -> RenderedTable:
    """The wikitext of one region (without the stamp, which ``bots.wikitext.markers`` adds).

    ``statuses`` are the view's pages; those with nothing to translate are left out. ``lang``
    is the page's language, used when the view has no ``lang``. ``language_names`` (code ->
    name, e.g. from the wiki's site info) names languages the message catalogue does not know.

    A table over its limit (``max_rows`` rows, ``max_bytes`` bytes of wikitext) shows the first
    rows in the view's order that fit, with a notice saying how many of how many; totals and
    the most-needed list then count the rows shown. ``scan_limit``: the prefix held more pages
    than were looked at (a notice says so). ``untranslated``: pages with no translation at all,
    listed under the table (dropped first when the region is short of room).
    ``translate_tool``: the wiki has the Translate extension, whose tool unit cells link to.
    """
    text = TableText(messages, view.lang or lang, language_names or {}, view.prefix, translate_tool)
    shown = [s for s in statuses if s.kind != KIND_NONE]
    languages = view_languages(view, shown, content_language)
    direction = "rtl" if text.rtl else "ltr"
    head = [f'<div class="advocacyhub-translations" lang="{text.lang}" dir="{direction}" '
            f'data-view="{view_id(view)}">']  # fmt: skip
    if scan_limit:
        head.append(_notice(text.msg("advocacyhub-translations-scan-limit", scan_limit)))

    def listed(room: bool) -> list[str]:
        return untranslated_lines(untranslated, languages, text.msg, text.page) if room else []

    if not shown or not languages:
        for room in (True, False):
            lines = listed(room) or ["", text.msg("advocacyhub-translations-empty")]
            empty = "\n".join([*head, *lines[1:], "</div>"])
            if max_bytes is None or _size(empty) <= max_bytes:
                return RenderedTable(empty)
        return RenderedTable("", too_big=True)
    single = len(shown) == 1 and bool(view.pages)
    rows = shown if single else _ordered(shown, languages, view)
    fits = _build(head, rows, 0, languages, view, text, single, listed(True))
    room = max_bytes is None or _size(fits) <= max_bytes
    extra = listed(room)

    def build(count: int) -> str:
        return _build(head, rows, count, languages, view, text, single, extra)

    count = min(len(rows), max_rows)
    body = build(count)
    if max_bytes is not None and _size(body) > max_bytes:
        low, high = 0, count - 1  # the largest count whose rendering fits lies in [low, high]
        while low < high:
            middle = (low + high + 1) // 2
            if _size(build(middle)) <= max_bytes:
                low = middle
            else:
                high = middle - 1
        count, body = low, build(low)
        if _size(body) > max_bytes:
            return RenderedTable("", too_big=True)
    hidden = frozenset(cell_page(s.page) for s in rows[count:])
    return RenderedTable(body, hidden)


def render_status_view(
    view: StatusView,
    statuses: Sequence[PageStatus],
    messages: Messages,
    lang: str,
    *,
    content_language: str = "en",
    language_names: Mapping[str, str] | None = None,
) -> str:
    """:func:`render_table`'s text, with the default limits."""
    return render_table(
        view, statuses, messages, lang,
        content_language=content_language, language_names=language_names,
    ).text  # fmt: skip


def _notice(text: str) -> str:
    return f'<div class="advocacyhub-translations-notice">{text}</div>'


def render_view_errors(
    problems: Sequence[Problem],
    messages: Messages,
    lang: str,
    *,
    intro: str = "advocacyhub-translations-error-intro",
) -> str:
    """A visible error box listing the problems (the first :data:`MAX_SHOWN_PROBLEMS`, and
    how many more) with the marker's parameters, or (``intro``) why the table failed."""
    direction = "rtl" if messages.is_rtl(lang) else "ltr"
    lines = [f'<div class="error advocacyhub-translations-error" lang="{lang}" dir="{direction}">']
    lines.append(messages.msg(intro, lang))
    lines.extend("* " + problem_text(p, messages, lang) for p in problems[:MAX_SHOWN_PROBLEMS])
    if len(problems) > MAX_SHOWN_PROBLEMS:
        more = len(problems) - MAX_SHOWN_PROBLEMS
        lines.append("* " + messages.msg("advocacyhub-translations-error-more", lang, more))
    lines.append("</div>")
    return "\n".join(lines)
