"""What one translation status region shows: its start marker's parameters, parsed. Pure.

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

The parsed :class:`StatusView` is rendered by ``bots.translations.table``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bots.i18n.languages import is_language_code
from bots.translation_status.records import NOT_A_TRANSLATION, PageStatus
from bots.translation_status.selection import MAX_PAGES, PageSelection, too_many_pages
from bots.wikitext.problems import Problem

__all__ = [
    "DEFAULT_NEEDED",
    "MAX_NEEDED",
    "MAX_PAGES",
    "SORTS",
    "VIEW_PARAMS",
    "RowOrder",
    "StatusView",
    "parse_status_view",
    "view_lang",
    "view_languages",
]


class RowOrder(StrEnum):
    """How a table's rows are sorted (the ``sort`` parameter); ties by title or code."""

    PAGE = "page"
    LANGUAGE = "language"  # the same as PAGE when rows are pages
    COMPLETE = "complete"  # most complete first
    OUTDATED = "outdated"  # most outdated units first


SORTS = tuple(order.value for order in RowOrder)
VIEW_PARAMS = ("prefix", "pages", "languages", "sort", "lang", "needed")
DEFAULT_NEEDED = 3
MAX_NEEDED = 20


@dataclass(frozen=True)
class StatusView:
    """What one status region shows. ``languages`` empty: every language seen."""

    prefix: str = ""
    pages: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    sort: RowOrder = RowOrder.PAGE
    lang: str = ""
    needed: int = DEFAULT_NEEDED

    @property
    def selection(self) -> PageSelection:
        """The pages and languages whose statuses the view shows."""
        return PageSelection(self.prefix, self.pages, self.languages)


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
        problems.append(too_many_pages(len(pages)))
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
    return StatusView(prefix, pages, tuple(languages), RowOrder(sort), lang, needed)


def view_lang(params: Mapping[str, str]) -> str:
    """The marker's ``lang`` when it is a usable code, else "" (for error boxes, summaries)."""
    for name, value in params.items():
        if name.strip().casefold() == "lang" and is_language_code(value.strip().lower()):
            return value.strip().lower()
    return ""


def view_languages(
    view: StatusView, statuses: Sequence[PageStatus], content_language: str
) -> tuple[str, ...]:
    """The view's columns: its ``languages``, or every language seen except the wiki's content
    language (the usual source language) and documentation."""
    if view.languages:
        return view.languages
    seen = {lang for s in statuses for lang in s.languages()}
    seen -= NOT_A_TRANSLATION | {content_language, ""}
    return tuple(sorted(seen))
