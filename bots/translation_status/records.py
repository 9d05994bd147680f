"""Translation status records: how far each page is translated into each language. Pure.

Where the figures come from (read by ``bots.translation_status.collector``): the Translate
extension's API, or the pages themselves. Translate keeps each translation unit of a source
page (``<!--T:n-->`` inside ``<translate>``) at ``Translations:<source>/<n>/<lang>``; an
outdated ("fuzzy") one starts with ``!!FUZZY!!``. Pages without units may be translated by
hand into language subpages ``<source>/<lang>``; such a translation is outdated when the
source was edited after it. All three sources give the same :class:`TranslationRecord`, so
one renderer serves them.

The status tables built from these records: ``bots.translations.view`` (what a marker asks
for), ``bots.translations.table`` (the wikitext), ``bots.translations.summary`` (edit summaries).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from bots.i18n.languages import is_known_language, is_language_code
from bots.wiki.translate_api import GroupFigures

__all__ = [
    "FUZZY_MARK",
    "KIND_NONE",
    "KIND_SUBPAGES",
    "KIND_UNITS",
    "NOT_A_TRANSLATION",
    "SOURCE_COMPUTED",
    "SOURCE_OTHER_WIKI",
    "SOURCE_SUBPAGE",
    "SOURCE_TRANSLATE",
    "PageKind",
    "PageStatus",
    "PageTranslations",
    "RecordSource",
    "TranslationRecord",
    "UnitPage",
    "expected_only",
    "page_translations",
    "split_unit_title",
    "status_from_api",
    "status_from_subpages",
    "status_from_units",
    "translation_subpage",
    "unit_ids",
]


class RecordSource(StrEnum):
    """Where a record's figures come from."""

    TRANSLATE = "translate"  # Translate's statistics API
    COMPUTED = "computed"  # counted from the unit pages
    SUBPAGE = "subpage"  # a hand-translated language subpage
    OTHER_WIKI = "wiki"  # a page on another wiki, in its language (issue 16)


class PageKind(StrEnum):
    """How a source page is translated."""

    UNITS = "units"  # a page with translation units (Translate's layout)
    SUBPAGES = "subpages"  # a page translated by hand into language subpages
    NONE = "none"  # neither: nothing to translate or nothing found


SOURCE_TRANSLATE = RecordSource.TRANSLATE
SOURCE_COMPUTED = RecordSource.COMPUTED
SOURCE_SUBPAGE = RecordSource.SUBPAGE
SOURCE_OTHER_WIKI = RecordSource.OTHER_WIKI

KIND_UNITS = PageKind.UNITS
KIND_SUBPAGES = PageKind.SUBPAGES
KIND_NONE = PageKind.NONE

FUZZY_MARK = "!!FUZZY!!"

# Documentation pseudo-language of Translate; never a translation readers want to see.
NOT_A_TRANSLATION = frozenset({"qqq"})


# ---------------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class TranslationRecord:
    """How far one page is translated into one language.

    ``translated`` excludes outdated units (as Translate counts them), so
    ``translated + outdated <= total``. A hand-translated subpage counts as one unit: present
    and current (1/1), or present and outdated (0/1, one outdated, ``behind_days`` older than
    the source's last edit; ``since_revision``, when known, the source's revision current
    when the translation was last edited, so a translator can see what changed since).
    ``last_change`` is the newest translation revision (ISO 8601) when the source knows it;
    the Translate API does not, so renderers never show it for units.
    """

    page: str
    language: str
    total: int
    translated: int
    outdated: int
    proofread: int = 0
    last_change: str = ""
    source: RecordSource = SOURCE_COMPUTED
    behind_days: int = 0
    since_revision: int = 0  # outdated hand translation: the source revision it was made from
    # a translation kept on another wiki (SOURCE_OTHER_WIKI): its id, the link to the page from
    # this wiki (``[[…]]`` target, or a URL), and when that wiki could not be read this run,
    # the time of the reading shown instead (not refreshed)
    wiki: str = ""
    wiki_link: str = ""
    not_refreshed_since: str = ""

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
    kind: PageKind
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


_TRANSLATE_TAG_RE = re.compile(r"<(/?)translate(?:\s[^<>]*)?>", re.I)
_UNIT_MARKER_RE = re.compile(r"<!--T:([^\s/<>]{1,64}?)-->")
MAX_UNITS = 5000  # unit ids read from one source page


def unit_ids(source_text: str) -> tuple[str, ...]:
    """Unit ids of a source page: ``<!--T:n-->`` markers inside ``<translate>`` blocks, in page
    order. Markers outside the blocks are not units (Translate ignores them too).

    Linear in the text whatever it holds (tags are paired in one pass; an id is at most 64
    characters), and at most :data:`MAX_UNITS` ids: a hostile page costs no more than a big one.
    """
    seen: dict[str, None] = {}
    start: int | None = None
    for tag in _TRANSLATE_TAG_RE.finditer(source_text):
        if not tag.group(1):
            start = tag.end() if start is None else start
            continue
        if start is None:
            continue
        for m in _UNIT_MARKER_RE.finditer(source_text, start, tag.start()):
            seen.setdefault(m.group(1), None)
            if len(seen) >= MAX_UNITS:
                return tuple(seen)
        start = None
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
        if up.unit in current and up.language not in NOT_A_TRANSLATION:
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
    page: str, figures: Iterable[GroupFigures], *, source_language: str = ""
) -> PageStatus:
    """Records from Translate's figures for the page's group ``page-<title>``.

    Translate answers for every language it knows; languages with nothing translated and
    nothing outdated are dropped, as the computed path never sees them.
    """
    records = []
    total = 0
    for item in figures:
        total = max(total, item.total)
        lang = item.language
        if not lang or lang in NOT_A_TRANSLATION or item.translated + item.fuzzy == 0:
            continue
        records.append(
            TranslationRecord(
                page=page,
                language=lang,
                total=item.total,
                translated=item.translated,
                outdated=item.fuzzy,
                proofread=item.proofread,
                source=SOURCE_TRANSLATE,
            )
        )
    records.sort(key=lambda r: r.language)
    kind = KIND_UNITS if total else KIND_NONE
    return PageStatus(page, kind, total, tuple(records), source_language)


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
    since: Mapping[str, int] | None = None,
) -> PageStatus:
    """Records for a page translated by hand: ``subpages`` maps language -> timestamp of the
    subpage's last revision. A subpage is outdated when the source changed after it; ``since``
    (language -> revision id) names the source revision an outdated translation was made from,
    where the collector looked it up."""
    source_time = _parse_time(source_timestamp)
    records = []
    for lang in sorted(subpages):
        if lang in NOT_A_TRANSLATION:
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
                since_revision=(since or {}).get(lang, 0) if outdated else 0,
            )
        )
    return PageStatus(page, KIND_SUBPAGES, 1, tuple(records), source_language)


def expected_only(status: PageStatus, expected: frozenset[str] | None) -> PageStatus:
    """``status`` with only the hand translations into ``expected`` languages (None: any
    language the bot knows). A subpage whose name merely has the shape of a code (``/new``,
    ``/arc``) is no translation unless a table asks for that language; the languages of
    translation units are the page's translation markup's own, and stay."""
    if status.kind != KIND_SUBPAGES:
        return status
    keep = tuple(
        r
        for r in status.records
        if (r.language in expected if expected is not None else is_known_language(r.language))
    )
    return status if keep == status.records else dataclasses.replace(status, records=keep)


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
