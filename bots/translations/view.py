"""What one translation status region shows: its start marker's parameters, parsed. Pure.

On-wiki contract. ``{{Advocacy translation status|...}}`` … ``{{Advocacy translation status
end}}`` (names from ``config.templates``): the bot writes a status table between the markers.
Parameters of the start marker (names case-insensitive; an empty value counts as not given):

========== ====================================================================================
prefix     every page whose title starts with this (``Advocacy/``), in that page's namespace;
           language subpages (``…/fr``) count as translations, not as pages; only pages with
           units or a translation the table expects are rows (and counted)
pages      or these pages (at most 500), separated by commas, semicolons or new lines; a title
           that holds a comma can be given as a link (``[[Advocacy/Copyright, EU]]``)
languages  codes of languages the bot knows (at most 100), separated by commas or spaces
           (default: every language seen; hand translations into the configured languages)
sort       rows by ``page`` (default: title), ``language`` (code; the same as ``page`` when
           rows are pages), ``complete`` (most complete first) or ``outdated`` (most outdated
           units first); ties by title or code
lang       language of headers, labels and the edit summary (default: the page's language), a
           language the bot knows
needed     how many entries each part of the "most needed" list shows (0 to 20, default 3)
========== ====================================================================================

Hostile or careless values get a clear problem each, never an exception: numbers are read with
``parse_count``, lists have maximums, ``qqq``, pseudo-codes and typos get the same "not a
language the bot knows". Whether a title names a page that can hold translations (not a
special page, media or another wiki) is asked of the wiki when the statuses are collected.

The parsed :class:`StatusView` is rendered by ``bots.translations.table``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bots.i18n.languages import is_known_language, normalize_lang
from bots.translation_status.records import NOT_A_TRANSLATION, PageStatus
from bots.translation_status.selection import MAX_PAGES, PageSelection, too_many_pages
from bots.wikitext.numbers import parse_count
from bots.wikitext.problems import Problem

__all__ = [
    "DEFAULT_NEEDED",
    "MAX_LANGUAGES",
    "MAX_NEEDED",
    "MAX_PAGES",
    "MAX_REGIONS",
    "MAX_TITLE_BYTES",
    "SORTS",
    "VIEW_PARAMS",
    "RowOrder",
    "StatusView",
    "parse_status_view",
    "title_problem",
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
# characters no title may hold: link and template syntax, and control characters (the API would
# also read "|" as the separator of several titles)
_BAD_TITLE_CHARS = re.compile(r"[#<>\[\]{}|\x00-\x1f\x7f\ufffd]")
MAX_TITLE_BYTES = 255  # MediaWiki's limit for a title
MAX_LANGUAGES = 100  # codes in one ``languages`` value
MAX_PARAM_NAME = 60  # characters of an unknown parameter's name compared with the known ones
MAX_REGIONS = 20  # status tables kept up to date on one page; the others get an error box


def _page_entries(value: str, limit: int) -> list[str]:
    """Titles of a ``pages`` value: ``[[links]]`` whole, the rest split on ``,``/``;``/lines;
    at most ``limit`` + 1 distinct entries (one more tells that the list is too long)."""
    out: dict[str, None] = {}
    for m in _PAGE_ITEM_RE.finditer(value):
        link, plain = m.group(1), m.group(2)
        item = link.split("|", 1)[0] if link is not None else plain
        item = " ".join(item.replace("_", " ").split()).lstrip(":").strip()
        if item:
            out.setdefault(item, None)
            if len(out) > limit:
                break
    return list(out)


def title_problem(title: str) -> Problem | None:
    """Why ``title`` (or a prefix) cannot be a title on this wiki, before asking the wiki."""
    if _BAD_TITLE_CHARS.search(title) or len(title.encode("utf-8")) > MAX_TITLE_BYTES:
        return Problem("translations-bad-title", (title,))
    return None


def _language(written: str, param: str) -> tuple[str, Problem | None]:
    """A code of a language the bot knows, or the problem (the same for typos and pseudo-codes
    such as ``qqq``)."""
    code = normalize_lang(written)
    if not is_known_language(code):
        return "", Problem("translations-bad-language", (written.strip(), param))
    return code, None


def _unknown_param(name: str) -> Problem:
    key = name.strip().casefold()[:MAX_PARAM_NAME]
    close = difflib.get_close_matches(key, VIEW_PARAMS, n=1, cutoff=0)
    return Problem("translations-unknown-param", (name, close[0] if close else ""))


def parse_status_view(params: Mapping[str, str]) -> StatusView | list[Problem]:
    """The view a start marker asks for, or every problem with its parameters (plain words
    come from messages ``advocacyhub-problem-translations-*``). Every value is bounded: at most
    :data:`MAX_PAGES` pages and :data:`MAX_LANGUAGES` languages, titles of at most
    :data:`MAX_TITLE_BYTES` bytes, ``needed`` read with ``parse_count``."""
    problems: list[Problem] = []
    values: dict[str, str] = {}
    for name, value in params.items():
        key = name.strip().casefold()
        if key not in VIEW_PARAMS:
            problems.append(_unknown_param(name))
        elif value.strip():
            values[key] = value.strip()
    prefix = " ".join(values.get("prefix", "").replace("_", " ").split())
    pages = tuple(_page_entries(values.get("pages", ""), MAX_PAGES))
    if prefix and pages:
        problems.append(Problem("translations-prefix-and-pages"))
    elif not prefix and not pages:
        problems.append(Problem("translations-no-pages"))
    if len(pages) > MAX_PAGES:
        problems.append(too_many_pages())
        pages = pages[:MAX_PAGES]
    problems += [p for title in (prefix, *pages) if title and (p := title_problem(title))]
    languages: list[str] = []
    written_codes = [w for w in _LANG_SPLIT_RE.split(values.get("languages", "")) if w]
    if len(written_codes) > MAX_LANGUAGES:
        count = str(len(written_codes))
        problems.append(Problem("translations-too-many-languages", (count, str(MAX_LANGUAGES))))
        written_codes = written_codes[:MAX_LANGUAGES]
    for written in written_codes:
        code, problem = _language(written, "languages")
        if problem is not None:
            problems.append(problem)
        elif code not in languages:
            languages.append(code)
    sort = values.get("sort", "page").casefold()
    if sort not in SORTS:
        problems.append(Problem("translations-bad-sort", (values["sort"], ", ".join(SORTS))))
    lang = ""
    if "lang" in values:
        lang, problem = _language(values["lang"], "lang")
        problems += [problem] if problem is not None else []
    needed = DEFAULT_NEEDED
    if "needed" in values:
        count_or_none = parse_count(values["needed"], maximum=MAX_NEEDED)
        if count_or_none is None:
            problems.append(Problem("translations-bad-needed", (values["needed"], str(MAX_NEEDED))))
        else:
            needed = count_or_none
    if problems:
        return problems
    return StatusView(prefix, pages, tuple(languages), RowOrder(sort), lang, needed)


def view_lang(params: Mapping[str, str]) -> str:
    """The marker's ``lang`` when it names a language the bot knows, else "" (for error
    boxes and summaries)."""
    for name, value in params.items():
        if name.strip().casefold() == "lang" and is_known_language(value):
            return normalize_lang(value)
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
