"""Translation status: figures per page and language, and the tables that show them. Pure.

On-wiki contract. ``{{Advocacy translation status|...}}`` … ``{{Advocacy translation status
end}}`` (names from ``config.templates``): the bot writes a status table between the markers.
Parameters of the start marker (names case-insensitive; an empty value counts as not given):

========== ====================================================================================
prefix     every page whose title starts with this (``Advocacy/``), in that page's namespace;
           language subpages (``…/fr``) count as translations, not as pages
pages      or these pages, separated by commas, semicolons or new lines; a title that holds a
           comma can be given as a link (``[[Advocacy/Copyright, EU]]``)
languages  language codes separated by commas or spaces (default: every language seen)
sort       rows by ``page`` (default: title), ``language`` (code; the same as ``page`` when
           rows are pages), ``complete`` (most complete first) or ``outdated`` (most outdated
           units first); ties by title or code
lang       language of headers, labels and the edit summary (default: the page's language)
needed     how many entries each part of the "most needed" list shows (0 to 20, default 3)
========== ====================================================================================

Where the figures come from (see ``bots.translations_job``): the Translate extension's API, or
the pages themselves. Translate keeps each translation unit of a source page (``<!--T:n-->``
inside ``<translate>``) at ``Translations:<source>/<n>/<lang>``; an outdated ("fuzzy") one
starts with ``!!FUZZY!!``. Pages without units may be translated by hand into language
subpages ``<source>/<lang>``; such a translation is outdated when the source was edited after
it. All three sources give the same :class:`TranslationRecord`, so one renderer serves them.

Rendering is deterministic: rows and columns sorted, no "now" anywhere (only differences
between revision dates). Every data cell is one line carrying ``data-cell="<page>/<lang>"``,
which :func:`describe_changes` reads back to say in the edit summary which cells changed.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bots.cases import Problem
from bots.i18n import Messages
from bots.wikitext_escape import escape_attribute, escape_inline, internal_link

__all__ = [
    "COLOUR_BANDS",
    "FUZZY_MARK",
    "KIND_NONE",
    "KIND_SUBPAGES",
    "KIND_UNITS",
    "MAX_PAGES",
    "SORTS",
    "SOURCE_COMPUTED",
    "SOURCE_SUBPAGE",
    "SOURCE_TRANSLATE",
    "VIEW_PARAMS",
    "CellChange",
    "ChangeSummary",
    "PageStatus",
    "PageTranslations",
    "StatusView",
    "TranslationRecord",
    "UnitPage",
    "describe_changes",
    "edit_summary",
    "is_language_code",
    "languages_cell",
    "most_needed",
    "page_translations",
    "parse_status_view",
    "render_status",
    "render_status_view",
    "render_view_errors",
    "split_unit_title",
    "status_from_api",
    "status_from_subpages",
    "status_from_units",
    "translation_subpage",
    "unit_ids",
    "view_languages",
]

SOURCE_TRANSLATE = "translate"
SOURCE_COMPUTED = "computed"
SOURCE_SUBPAGE = "subpage"

KIND_UNITS = "units"  # a page with translation units (Translate's layout)
KIND_SUBPAGES = "subpages"  # a page translated by hand into language subpages
KIND_NONE = "none"  # neither: nothing to translate or nothing found

FUZZY_MARK = "!!FUZZY!!"
MAX_PAGES = 500  # per view: a prefix that matches more is almost certainly a mistake
SORTS = ("page", "language", "complete", "outdated")
VIEW_PARAMS = ("prefix", "pages", "languages", "sort", "lang", "needed")
DEFAULT_NEEDED = 3
MAX_NEEDED = 20

# Documentation pseudo-language of Translate; never a translation readers want to see.
_NOT_A_TRANSLATION = frozenset({"qqq"})

_LANG_CODE_RE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{1,8})*")


def is_language_code(text: str) -> bool:
    """Whether ``text`` has the shape of a MediaWiki language code (``fr``, ``zh-hant``)."""
    return bool(_LANG_CODE_RE.fullmatch(text))


# ---------------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class TranslationRecord:
    """How far one page is translated into one language.

    ``translated`` excludes outdated units (as Translate counts them), so
    ``translated + outdated <= total``. A hand-translated subpage counts as one unit: present
    and current (1/1), or present and outdated (0/1, one outdated, ``behind_days`` older than
    the source's last edit). ``last_change`` is the newest translation revision (ISO 8601) when
    the source knows it; the Translate API does not, so renderers never show it for units.
    """

    page: str
    language: str
    total: int
    translated: int
    outdated: int
    proofread: int = 0
    last_change: str = ""
    source: str = SOURCE_COMPUTED
    behind_days: int = 0

    @property
    def percent(self) -> int:
        """Whole percent translated and current, rounded down so 100 means complete."""
        return self.translated * 100 // self.total if self.total else 0

    @property
    def remaining(self) -> int:
        """Units still to translate or update."""
        return max(self.total - self.translated, 0)

    @property
    def present(self) -> bool:
        return self.translated + self.outdated > 0

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.translated >= self.total


@dataclass(frozen=True)
class PageStatus:
    """Everything known about one source page: its kind, unit count and per-language records.

    ``records`` hold only languages where something exists (sorted by code); a language without
    a record has nothing translated (see :meth:`record`).
    """

    page: str
    kind: str
    total: int
    records: tuple[TranslationRecord, ...] = ()
    source_language: str = ""

    def record(self, language: str) -> TranslationRecord | None:
        """The record for ``language``; an empty one when nothing exists; None for a page with
        nothing to translate."""
        for rec in self.records:
            if rec.language == language:
                return rec
        if self.kind == KIND_NONE or self.total <= 0:
            return None
        source = SOURCE_SUBPAGE if self.kind == KIND_SUBPAGES else SOURCE_COMPUTED
        return TranslationRecord(self.page, language, self.total, 0, 0, source=source)

    def languages(self) -> tuple[str, ...]:
        return tuple(r.language for r in self.records)


@dataclass(frozen=True)
class UnitPage:
    """One ``Translations:<page>/<unit>/<lang>`` page as read."""

    unit: str
    language: str
    fuzzy: bool
    timestamp: str = ""


_TRANSLATE_BLOCK_RE = re.compile(r"<translate(?:\s[^>]*)?>(.*?)</translate\s*>", re.S | re.I)
_UNIT_MARKER_RE = re.compile(r"<!--T:([^\s/>]+?)-->")


def unit_ids(source_text: str) -> tuple[str, ...]:
    """Unit ids of a source page: ``<!--T:n-->`` markers inside ``<translate>`` blocks, in page
    order. Markers outside the blocks are not units (Translate ignores them too)."""
    seen: dict[str, None] = {}
    for block in _TRANSLATE_BLOCK_RE.finditer(source_text):
        for m in _UNIT_MARKER_RE.finditer(block.group(1)):
            seen.setdefault(m.group(1), None)
    return tuple(seen)


def split_unit_title(title: str) -> tuple[str, str, str] | None:
    """``Translations:Advocacy/Foo/3/fr`` -> ``("Advocacy/Foo", "3", "fr")``, else None.

    Unit ids and language codes never contain ``/``, so the last two segments are they and
    the rest is the source page's full title (its own namespace prefix included).
    """
    _ns, sep, rest = title.partition(":")
    if not sep:
        return None
    parts = rest.rsplit("/", 2)
    if len(parts) != 3 or not all(parts) or not is_language_code(parts[2]):
        return None
    return parts[0], parts[1], parts[2]


def translation_subpage(title: str, known_codes: Iterable[str] | None = None) -> tuple[str, str]:
    """``("Advocacy/Foo", "fr")`` for ``Advocacy/Foo/fr`` when the last segment is a language
    code (one of ``known_codes`` when given); ``(title, "")`` otherwise."""
    parent, sep, last = title.rpartition("/")
    if not sep or not parent or not is_language_code(last):
        return title, ""
    if known_codes is not None and last not in known_codes:
        return title, ""
    return parent, last


def status_from_units(
    page: str,
    units: Sequence[str],
    unit_pages: Iterable[UnitPage],
    *,
    source_language: str = "",
) -> PageStatus:
    """Records computed from a source page's units and its unit translation pages."""
    if not units:
        return PageStatus(page, KIND_NONE, 0, source_language=source_language)
    current = set(units)
    by_lang: dict[str, dict[str, UnitPage]] = {}
    for up in unit_pages:
        if up.unit in current and up.language not in _NOT_A_TRANSLATION:
            by_lang.setdefault(up.language, {})[up.unit] = up
    records = []
    for lang in sorted(by_lang):
        pages = by_lang[lang].values()
        fuzzy = sum(1 for p in pages if p.fuzzy)
        records.append(
            TranslationRecord(
                page=page,
                language=lang,
                total=len(current),
                translated=len(by_lang[lang]) - fuzzy,
                outdated=fuzzy,
                last_change=max((p.timestamp for p in pages), default=""),
                source=SOURCE_COMPUTED,
            )
        )
    return PageStatus(page, KIND_UNITS, len(current), tuple(records), source_language)


def status_from_api(
    page: str, items: Iterable[Mapping[str, object]], *, source_language: str = ""
) -> PageStatus:
    """Records from ``meta=messagegroupstats`` items of the page's group ``page-<title>``.

    Translate answers for every language it knows; languages with nothing translated and
    nothing outdated are dropped, as the computed path never sees them.
    """
    records = []
    total = 0
    for item in items:
        lang = str(item.get("language") or item.get("code") or "")
        count = _int(item.get("total"))
        total = max(total, count)
        translated, fuzzy = _int(item.get("translated")), _int(item.get("fuzzy"))
        if not lang or lang in _NOT_A_TRANSLATION or translated + fuzzy == 0:
            continue
        records.append(
            TranslationRecord(
                page=page,
                language=lang,
                total=count,
                translated=translated,
                outdated=fuzzy,
                proofread=_int(item.get("proofread")),
                source=SOURCE_TRANSLATE,
            )
        )
    records.sort(key=lambda r: r.language)
    kind = KIND_UNITS if total else KIND_NONE
    return PageStatus(page, kind, total, tuple(records), source_language)


def _int(value: object) -> int:
    try:
        return int(value)  # type: ignore[call-overload,no-any-return]
    except (TypeError, ValueError):
        return 0


def _parse_time(ts: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(ts.replace("Z", "+00:00"))
    except ValueError:
        return None


def status_from_subpages(
    page: str,
    source_timestamp: str,
    subpages: Mapping[str, str],
    *,
    source_language: str = "",
) -> PageStatus:
    """Records for a page translated by hand: ``subpages`` maps language -> timestamp of the
    subpage's last revision. A subpage is outdated when the source changed after it."""
    source_time = _parse_time(source_timestamp)
    records = []
    for lang in sorted(subpages):
        if lang in _NOT_A_TRANSLATION:
            continue
        sub_ts = subpages[lang]
        sub_time = _parse_time(sub_ts)
        outdated = bool(source_time and sub_time and sub_time < source_time)
        behind = (source_time - sub_time).days if outdated and source_time and sub_time else 0
        records.append(
            TranslationRecord(
                page=page,
                language=lang,
                total=1,
                translated=0 if outdated else 1,
                outdated=1 if outdated else 0,
                last_change=sub_ts,
                source=SOURCE_SUBPAGE,
                behind_days=behind,
            )
        )
    return PageStatus(page, KIND_SUBPAGES, 1, tuple(records), source_language)


# ---------------------------------------------------------------------------------------------
# Marker parameters


@dataclass(frozen=True)
class StatusView:
    """What one status region shows. ``languages`` empty: every language seen."""

    prefix: str = ""
    pages: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    sort: str = "page"
    lang: str = ""
    needed: int = DEFAULT_NEEDED


_PAGE_ITEM_RE = re.compile(r"\[\[([^\[\]]*)\]\]|((?:(?!\[\[)[^,;\n])+)")
_LANG_SPLIT_RE = re.compile(r"[\s,;]+")
_BAD_TITLE_CHARS = re.compile(r"[#<>\[\]{}|]")


def _page_entries(value: str) -> list[str]:
    """Titles of a ``pages`` value: ``[[links]]`` whole, the rest split on ``,``/``;``/lines."""
    out = []
    for link, plain in _PAGE_ITEM_RE.findall(value):
        item = link.split("|", 1)[0] if link else plain
        item = " ".join(item.replace("_", " ").split()).lstrip(":").strip()
        if item:
            out.append(item)
    return out


def parse_status_view(params: Mapping[str, str]) -> StatusView | list[Problem]:
    """The view a start marker asks for, or every problem with its parameters (plain words
    come from messages ``advocacyhub-problem-translations-*``)."""
    problems: list[Problem] = []
    values: dict[str, str] = {}
    for name, value in params.items():
        key = name.strip().casefold()
        if key not in VIEW_PARAMS:
            close = difflib.get_close_matches(key, VIEW_PARAMS, n=1, cutoff=0)
            suggestion = close[0] if close else ""
            problems.append(Problem("translations-unknown-param", (name, suggestion)))
        elif value.strip():
            values[key] = value.strip()
    prefix = " ".join(values.get("prefix", "").replace("_", " ").split())
    pages = tuple(dict.fromkeys(_page_entries(values.get("pages", ""))))
    if prefix and pages:
        problems.append(Problem("translations-prefix-and-pages"))
    elif not prefix and not pages:
        problems.append(Problem("translations-no-pages"))
    for title in pages:
        if _BAD_TITLE_CHARS.search(title):
            problems.append(Problem("translations-bad-title", (title,)))
    if len(pages) > MAX_PAGES:
        problems.append(Problem("translations-too-many-pages", (str(len(pages)), str(MAX_PAGES))))
    languages: list[str] = []
    for written in _LANG_SPLIT_RE.split(values.get("languages", "")):
        code = written.strip().lower()
        if not code:
            continue
        if not is_language_code(code):
            problems.append(Problem("translations-bad-language", (written.strip(),)))
        elif code not in languages:
            languages.append(code)
    sort = values.get("sort", "page").casefold()
    if sort not in SORTS:
        problems.append(Problem("translations-bad-sort", (values["sort"], ", ".join(SORTS))))
    lang = values.get("lang", "").lower()
    if lang and not is_language_code(lang):
        problems.append(Problem("translations-bad-lang", (values["lang"],)))
    needed = DEFAULT_NEEDED
    if "needed" in values:
        text = values["needed"]
        if text.isdigit() and int(text) <= MAX_NEEDED:
            needed = int(text)
        else:
            problems.append(Problem("translations-bad-needed", (text, str(MAX_NEEDED))))
    if problems:
        return problems
    return StatusView(prefix, pages, tuple(languages), sort, lang, needed)


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

    def msg(self, key: str, *params: object) -> str:
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


def view_languages(
    view: StatusView, statuses: Sequence[PageStatus], content_language: str
) -> tuple[str, ...]:
    """The view's columns: its ``languages``, or every language seen except the wiki's content
    language (the usual source language) and documentation."""
    if view.languages:
        return view.languages
    seen = {lang for s in statuses for lang in s.languages()}
    seen -= _NOT_A_TRANSLATION | {content_language, ""}
    return tuple(sorted(seen))


@dataclass(frozen=True)
class _Cell:
    key: str
    record: TranslationRecord | None
    is_source: bool = False


def _sum(records: Iterable[TranslationRecord], page: str, language: str) -> TranslationRecord:
    recs = list(records)
    return TranslationRecord(
        page=page,
        language=language,
        total=sum(r.total for r in recs),
        translated=sum(r.translated for r in recs),
        outdated=sum(r.outdated for r in recs),
        source=SOURCE_COMPUTED,
    )


def _cell_record(status: PageStatus, language: str) -> _Cell:
    key = f"{status.page}/{language}"
    if status.source_language and status.source_language == language:
        return _Cell(key, None, is_source=True)
    return _Cell(key, status.record(language))


TOTAL = "*"  # page or language part of a total cell's key; never a title nor a code


def _cell_attribute(key: str) -> str:
    """``<page>/<lang>``, the page escaped (a page-total key keeps its raw ``*``)."""
    page, _, lang = key.rpartition("/")
    return f"{page if page == TOTAL else escape_attribute(page)}/{lang}"


def _render_cell(cell: _Cell, text: _Text) -> str:
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
    total = _sum(records, "", "")
    if total.total == 0:
        return _render_cell(_Cell(key, None), text)
    return _render_cell(_Cell(key, total), text)


def _row_sort_key(sort: str, name: str, total: TranslationRecord) -> tuple[object, ...]:
    if sort == "complete":
        return (-_ratio(total), name)
    if sort == "outdated":
        return (-total.outdated, name)
    return (name,)


def _ratio(rec: TranslationRecord) -> float:
    return rec.translated / rec.total if rec.total else -1.0


def _cells_of(
    statuses: Sequence[PageStatus], languages: Sequence[str]
) -> dict[tuple[str, str], _Cell]:
    return {(s.page, lang): _cell_record(s, lang) for s in statuses for lang in languages}


def _records(cells: Iterable[_Cell]) -> list[TranslationRecord]:
    return [c.record for c in cells if c.record is not None]


def _table_by_page(
    statuses: Sequence[PageStatus], languages: Sequence[str], view: StatusView, text: _Text
) -> list[str]:
    cells = _cells_of(statuses, languages)
    page_totals = {
        s.page: _sum(_records(cells[(s.page, lang)] for lang in languages), s.page, "")
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
        column = _records(cells[(s.page, lang)] for s in statuses)
        lines.append(_total_cell(f"{TOTAL}/{lang}", column, text))
    lines.append(_total_cell(f"{TOTAL}/{TOTAL}", list(page_totals.values()), text))
    lines.append("|}")
    return lines


def _table_by_language(
    status: PageStatus, languages: Sequence[str], view: StatusView, text: _Text
) -> list[str]:
    cells = {lang: _cell_record(status, lang) for lang in languages}

    def key(lang: str) -> tuple[object, ...]:
        rec = cells[lang].record
        return _row_sort_key(view.sort, lang, rec if rec else _sum([], "", ""))

    lines = ['{| class="wikitable sortable advocacyhub-translation-status"']
    lines.append(f'! scope="col" | {text.msg("advocacyhub-translations-header-language")}')
    lines.append(f'! scope="col" | {text.page(status.page)}')
    for lang in sorted(languages, key=key):
        lines.append("|-")
        lines.append(f'! scope="row" | {text.language(lang)}')
        lines.append(_render_cell(cells[lang], text))
    lines.append('|- class="sortbottom"')
    lines.append(f'! scope="row" | {text.msg("advocacyhub-translations-header-all-languages")}')
    lines.append(_total_cell(f"{status.page}/{TOTAL}", _records(cells.values()), text))
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
    cells = _cells_of(statuses, languages)
    started = [
        NeededItem(page, lang, cell.record)
        for (page, lang), cell in cells.items()
        if cell.record is not None and cell.record.present and not cell.record.complete
    ]
    started.sort(key=lambda i: (i.record.remaining, -_ratio(i.record), i.page, i.language))
    by_language = []
    for lang in languages:
        total = _sum(_records(cells[(s.page, lang)] for s in statuses), "", lang)
        if total.total and not total.complete:
            by_language.append(NeededItem("", lang, total))
    by_language.sort(key=lambda i: (_ratio(i.record), i.language))
    by_page = []
    if len(statuses) > 1:
        for s in statuses:
            total = _sum(_records(cells[(s.page, lang)] for lang in languages), s.page, "")
            if total.total and not total.complete:
                by_page.append(NeededItem(s.page, "", total))
        by_page.sort(key=lambda i: (_ratio(i.record), i.page))
    return started[:limit], by_language[:limit], by_page[:limit]


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
        for item in behind_languages:
            lines.append(
                "* "
                + text.msg(
                    "advocacyhub-translations-needed-total",
                    text.language(item.language),
                    text.percent(item.record.percent),
                    item.record.outdated,
                )
            )
        for item in behind_pages:
            lines.append(
                "* "
                + text.msg(
                    "advocacyhub-translations-needed-total",
                    text.page(item.page),
                    text.percent(item.record.percent),
                    item.record.outdated,
                )
            )
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
    """The wikitext of one region (without the stamp, which ``bots.markers`` adds).

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
    for p in problems:
        params = [escape_inline(v, 200) for v in p.params]
        lines.append("* " + messages.msg(p.message_key, lang, *params))
    lines.append("</div>")
    return "\n".join(lines)


def render_status(
    params: Mapping[str, str],
    statuses: Sequence[PageStatus],
    messages: Messages,
    lang: str,
    *,
    content_language: str = "en",
    language_names: Mapping[str, str] | None = None,
) -> str:
    """Parse the marker's parameters and render the view, or the error box."""
    view = parse_status_view(params)
    if isinstance(view, list):
        return render_view_errors(view, messages, view_lang(params) or lang)
    return render_status_view(
        view,
        statuses,
        messages,
        lang,
        content_language=content_language,
        language_names=language_names,
    )


def view_lang(params: Mapping[str, str]) -> str:
    """The marker's ``lang`` when it is a usable code, else "" (for error boxes, summaries)."""
    for name, value in params.items():
        if name.strip().casefold() == "lang" and is_language_code(value.strip().lower()):
            return value.strip().lower()
    return ""


# ---------------------------------------------------------------------------------------------
# What changed: read back the data cells of the old and new region bodies.

_CELL_LINE_RE = re.compile(r'^\| data-cell="([^"]*)" data-sort-value="(-?\d+)"', re.M)


@dataclass(frozen=True)
class CellChange:
    key: str  # "<page>/<lang>" as written in the attribute (entities kept)
    old: int | None  # sort value: percent, or -1 for "nothing to show"
    new: int | None


@dataclass(frozen=True)
class ChangeSummary:
    changed: tuple[CellChange, ...] = ()
    added: int = 0
    removed: int = 0
    other: bool = False  # something else changed (layout, legend, needed list, error box)

    @property
    def anything(self) -> bool:
        return bool(self.changed or self.added or self.removed or self.other)


def _cells_in(body: str) -> dict[str, tuple[str, int]]:
    out: dict[str, tuple[str, int]] = {}
    for line in body.splitlines():
        m = _CELL_LINE_RE.match(line)
        if m:
            out[m.group(1)] = (line, int(m.group(2)))
    return out


def _is_total(key: str) -> bool:
    page, _, lang = key.rpartition("/")
    return TOTAL in (page, lang)


def describe_changes(old_body: str, new_body: str) -> ChangeSummary:
    """Which page×language cells changed between two region bodies (totals not counted)."""
    old, new = _cells_in(old_body), _cells_in(new_body)
    changed = tuple(
        CellChange(key, old[key][1], new[key][1])
        for key in sorted(old.keys() & new.keys())
        if old[key][0] != new[key][0] and not _is_total(key)
    )
    data_keys = {k for k in old.keys() ^ new.keys() if not _is_total(k)}
    added = sum(1 for k in data_keys if k in new)
    removed = len(data_keys) - added

    def rest(body: str) -> list[str]:
        return [line for line in body.splitlines() if not _CELL_LINE_RE.match(line)]

    other = rest(old_body) != rest(new_body) and not (changed or added or removed)
    return ChangeSummary(changed, added, removed, other)


MAX_SUMMARY_CELLS = 4


def edit_summary(
    changes: Sequence[ChangeSummary],
    messages: Messages,
    lang: str,
    *,
    created: bool = False,
    errors: bool = False,
    human_revid: int | None = None,
) -> str:
    """The edit summary of one page's update, in ``lang``."""
    parts: list[str] = []
    changed = [c for s in changes for c in s.changed]
    added = sum(s.added for s in changes)
    removed = sum(s.removed for s in changes)
    if created:
        parts.append(messages.msg("advocacyhub-translations-summary-created", lang, added))
    else:
        if changed:
            shown = []
            for c in changed[:MAX_SUMMARY_CELLS]:
                page, _, language = c.key.rpartition("/")
                if c.old is not None and c.new is not None and c.old >= 0 and c.new >= 0:
                    shown.append(
                        messages.msg(
                            "advocacyhub-translations-summary-cell",
                            lang,
                            page,
                            language,
                            messages.msg("advocacyhub-translations-percent", lang, c.old),
                            messages.msg("advocacyhub-translations-percent", lang, c.new),
                        )
                    )
                else:
                    shown.append(f"{page} ({language})")
            listing = messages.msg("advocacyhub-label-separator", lang).join(shown)
            if len(changed) > MAX_SUMMARY_CELLS:
                listing += " …"
            key = "advocacyhub-translations-summary-changed"
            parts.append(messages.msg(key, lang, len(changed), listing))
        if added:
            parts.append(messages.msg("advocacyhub-translations-summary-added", lang, added))
        if removed:
            parts.append(messages.msg("advocacyhub-translations-summary-removed", lang, removed))
        if not parts and any(s.other for s in changes):
            parts.append(messages.msg("advocacyhub-translations-summary-layout", lang))
    if errors:
        parts.append(messages.msg("advocacyhub-translations-summary-errors", lang))
    if human_revid is not None:
        parts.append(messages.msg("advocacyhub-translations-summary-human", lang, human_revid))
    if not parts:
        parts.append(messages.msg("advocacyhub-translations-summary-layout", lang))
    return messages.msg(
        "advocacyhub-translations-summary",
        lang,
        messages.msg("advocacyhub-translations-summary-separator", lang).join(parts),
    )


# ---------------------------------------------------------------------------------------------
# For other jobs: which translations of a page exist and which are outdated.


@dataclass(frozen=True)
class PageTranslations:
    """Languages of one page's translations, for the case index's languages column."""

    page: str
    existing: tuple[str, ...] = ()  # every language with something translated, sorted
    outdated: tuple[str, ...] = ()  # those among them with outdated units or an old subpage
    complete: tuple[str, ...] = field(default=())  # fully translated and current


def page_translations(status: PageStatus) -> PageTranslations:
    recs = [r for r in status.records if r.present and r.language != status.source_language]
    return PageTranslations(
        page=status.page,
        existing=tuple(r.language for r in recs),
        outdated=tuple(r.language for r in recs if r.outdated),
        complete=tuple(r.language for r in recs if r.complete),
    )


def languages_cell(translations: PageTranslations, messages: Messages, lang: str) -> str:
    """Wikitext for an index cell: each existing language's code, outdated ones marked."""
    if not translations.existing:
        return ""
    items = []
    for code in translations.existing:
        if code in translations.outdated:
            items.append(messages.msg("advocacyhub-translations-language-outdated", lang, code))
        else:
            items.append(code)
    return messages.msg("advocacyhub-label-separator", lang).join(items)
