"""Which source pages one status table covers, and what a page listing says about them. Pure.

A :class:`PageSelection` is every page under a prefix (in the prefix's namespace) or a list of
pages, for some languages (none: every language seen). Under a prefix, language subpages
(``<page>/<lang>``) are translations, not pages; the bot's own status pages are not sources.
What a selection resolves to (its pages, or the :class:`~bots.wikitext.problems.Problem` that
stops it) and what the statuses of its pages are (:data:`SelectionResult`) are plain records
too, so the job that renders them never asks the wiki again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bots.translation_status.records import PageStatus, translation_subpage
from bots.wikitext.problems import Problem

__all__ = [
    "MAX_PAGES",
    "SHARED_LISTING_MIN_PAGES",
    "PageSelection",
    "PrefixListing",
    "SelectionProblem",
    "SelectionResult",
    "SelectionStatuses",
    "StatisticsPending",
    "bad_title",
    "shared_folder",
    "split_prefix_listing",
    "subpages_in",
    "too_many_pages",
]

MAX_PAGES = 500  # rows of one table, and titles of one ``pages`` list
SHARED_LISTING_MIN_PAGES = 3


@dataclass(frozen=True)
class PageSelection:
    """Every page under ``prefix``, or ``pages``; ``languages`` empty: every language seen."""

    prefix: str = ""
    pages: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class SelectionStatuses:
    """The statuses of a selection's pages, in the order of its pages."""

    statuses: tuple[PageStatus, ...]


@dataclass(frozen=True)
class SelectionProblem:
    """The selection cannot be shown (a bad title, too many pages)."""

    problem: Problem


@dataclass(frozen=True)
class StatisticsPending:
    """Translate's statistics for some of the pages are still being computed."""

    pages: tuple[str, ...]


SelectionResult = SelectionStatuses | SelectionProblem | StatisticsPending


@dataclass(frozen=True)
class PrefixListing:
    """A prefix listing taken apart: source pages, and each one's language subpages."""

    sources: tuple[str, ...]
    subpages: dict[str, dict[str, str]] = field(default_factory=dict)  # page -> lang -> title


def split_prefix_listing(
    titles: Sequence[str], known_codes: Iterable[str] | None, exclude: frozenset[str]
) -> PrefixListing:
    """Sources and language subpages among the titles listed under a prefix. A subpage counts
    as a translation only when its parent is listed too; ``exclude`` titles are no sources."""
    codes = frozenset(known_codes) if known_codes is not None else None
    present = set(titles)
    sources: list[str] = []
    subpages: dict[str, dict[str, str]] = {}
    for title in titles:
        parent, code = translation_subpage(title, codes)
        if code and parent in present:
            subpages.setdefault(parent, {})[code] = title
        elif title not in exclude:
            sources.append(title)
    return PrefixListing(tuple(sources), subpages)


def subpages_in(
    listed: Iterable[str], page: str, known_codes: Iterable[str] | None
) -> dict[str, str]:
    """The language subpages of ``page`` among listed titles, by language code."""
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
