"""Which source pages one status table covers, and what a page listing says about them. Pure.

A :class:`PageSelection` is every page under a prefix (in the prefix's namespace) or a list of
pages, for some languages (none: every language seen). What a selection resolves to (its pages,
or the :class:`~bots.wikitext.problems.Problem` s that stop it) and what the statuses of its
pages are (:data:`SelectionResult`) are plain records too, so the job that renders them never
asks the wiki again.

Under a prefix a table counts only what it shows: pages marked for translation (with units) and
pages with at least one translation the table expects. Untranslated pages, redirects, the bot's
own pages (status pages, digest archives) and subpages whose name only looks like a language
code (``/new`` is Newar, ``/arc`` Aramaic) are not rows, and do not count towards any limit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bots.translation_status.records import (
    KIND_SUBPAGES,
    KIND_UNITS,
    PageStatus,
    translation_subpage,
)
from bots.wiki.siteinfo import TitleAnswer, TitleKind
from bots.wikitext.problems import Problem

__all__ = [
    "MAX_LISTED",
    "MAX_PAGES",
    "MAX_SCANNED",
    "SHARED_LISTING_MIN_PAGES",
    "PageSelection",
    "PrefixListing",
    "SelectionProblem",
    "SelectionResult",
    "SelectionStatuses",
    "StatisticsPending",
    "bad_title",
    "expected_languages",
    "shared_folder",
    "shown_under_prefix",
    "split_prefix_listing",
    "subpages_in",
    "too_many_pages",
    "untranslated_under_prefix",
]

MAX_PAGES = 500  # rows of one table, and titles of one ``pages`` list
MAX_SCANNED = 5000  # candidate source pages under one prefix read to see whether they are shown
MAX_LISTED = 50_000  # titles of one prefix listing (ten requests for a bot)
SHARED_LISTING_MIN_PAGES = 3


@dataclass(frozen=True)
class PageSelection:
    """Every page under ``prefix``, or ``pages``; ``languages`` empty: every language seen."""

    prefix: str = ""
    pages: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class SelectionStatuses:
    """The statuses of a selection's pages, in the order of its pages. ``scan_limit``: the
    prefix held more candidate pages than this many, and only the first ones were looked at.
    ``untranslated``: pages under a prefix with no translation at all (no units, no subpage in
    a language the table expects): no rows, but listed under the table so translators see them.
    """

    statuses: tuple[PageStatus, ...]
    scan_limit: int = 0
    untranslated: tuple[str, ...] = ()


@dataclass(frozen=True)
class SelectionProblem:
    """The selection cannot be shown (a bad title, a namespace without translations ...)."""

    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class StatisticsPending:
    """Translate's statistics for some of the pages are still being computed."""

    pages: tuple[str, ...]


SelectionResult = SelectionStatuses | SelectionProblem | StatisticsPending


@dataclass(frozen=True)
class PrefixListing:
    """A prefix listing taken apart: candidate source pages, and the subpages of listed pages
    whose name is a language code (``page -> code -> title``). Whether such a subpage is a
    translation depends on its page and on the table (see :func:`expected_languages`)."""

    sources: tuple[str, ...]
    subpages: dict[str, dict[str, str]] = field(default_factory=dict)


def split_prefix_listing(
    titles: Sequence[str],
    known_codes: Iterable[str] | None,
    exclude: frozenset[str],
    own_prefixes: Sequence[str] = (),
) -> PrefixListing:
    """Candidate sources and language-code subpages among the titles listed under a prefix.

    A subpage counts as a possible translation only when its parent is listed too;
    ``exclude`` titles (the status pages) and titles under ``own_prefixes`` (the bot's digest
    archives) are neither."""
    codes = frozenset(known_codes) if known_codes is not None else None
    present = set(titles)
    sources: list[str] = []
    subpages: dict[str, dict[str, str]] = {}
    for title in titles:
        if title in exclude or any(title.startswith(p) for p in own_prefixes if p):
            continue
        parent, code = translation_subpage(title, codes)
        if code and parent in present:
            subpages.setdefault(parent, {})[code] = title
        else:
            sources.append(title)
    return PrefixListing(tuple(sources), subpages)


def expected_languages(
    selection: PageSelection, configured: Sequence[str]
) -> frozenset[str] | None:
    """The languages whose subpages count as translations in this table: its ``languages``,
    else the configuration's ``translations.languages``; None (any language the bot knows)
    when neither lists any."""
    if selection.languages:
        return frozenset(selection.languages)
    return frozenset(configured) if configured else None


def shown_under_prefix(status: PageStatus) -> bool:
    """Whether a page found under a prefix is a row: marked for translation (it has units),
    or translated by hand into at least one language the table expects. The other pages that
    exist (:func:`untranslated_under_prefix`) are listed apart, not counted as rows."""
    return status.kind == KIND_UNITS or (status.kind == KIND_SUBPAGES and bool(status.records))


def untranslated_under_prefix(status: PageStatus) -> bool:
    """Whether a page found under a prefix exists but has no translation at all."""
    return status.kind == KIND_SUBPAGES and not status.records


def subpages_in(
    listed: Iterable[str], page: str, known_codes: Iterable[str] | None
) -> dict[str, str]:
    """The language-code subpages of ``page`` among listed titles, by code."""
    codes = frozenset(known_codes) if known_codes is not None else None
    found: dict[str, str] = {}
    for title in listed:
        parent, code = translation_subpage(title, codes)
        if code and parent == page:
            found[code] = title
    return found


def shared_folder(titles: Sequence[str]) -> str:
    """The longest ``…/`` prefix shared by 3 or more titles, else "".

    Listing that folder once costs one request per 5,000 titles, where listing each page's
    subpages costs one request per page; below 3 pages the per-page listings are as cheap.
    """
    if len(titles) < SHARED_LISTING_MIN_PAGES:
        return ""
    folders = [t.split("/")[:-1] for t in titles]
    shared: list[str] = []
    for parts in zip(*folders, strict=False):
        if len(set(parts)) != 1:
            break
        shared.append(parts[0])
    return "/".join(shared) + "/" if shared else ""


def bad_title(title: str) -> Problem:
    return Problem("translations-bad-title", (title,))


def too_many_pages() -> Problem:
    """A ``pages`` list longer than :data:`MAX_PAGES` titles."""
    return Problem("translations-too-many-pages", (str(MAX_PAGES),))


def title_problem(
    written: str, answer: TitleAnswer | None, namespaces: frozenset[int]
) -> Problem | None:
    """Why a title or prefix an editor wrote names no page of this wiki that can hold
    translations: invalid, another wiki's, a special page or media link, an unknown
    namespace."""
    if answer is None or answer.kind == TitleKind.INVALID:
        return bad_title(written)
    if answer.kind == TitleKind.INTERWIKI:
        return Problem("translations-other-wiki", (written,))
    if answer.kind == TitleKind.SPECIAL or answer.namespace < 0:
        return Problem("translations-bad-namespace", (written,))
    if namespaces and answer.namespace not in namespaces:
        return Problem("translations-bad-namespace", (written,))
    return None


def listing_guess(prefix: str) -> tuple[int, str] | None:
    """(namespace, prefix) as the wiki most likely reads a prefix an editor wrote: a prefix in
    the main namespace with its first letter capitalised and underscores as spaces; None when
    it names a namespace (or nothing). Only a guess: the caller uses a listing made under it
    only when the wiki's own reading of the prefix is the same."""
    bare = prefix.replace("_", " ")
    if not bare.strip() or ":" in bare or bare != bare.lstrip():
        return None
    return 0, bare[:1].upper() + bare[1:]
