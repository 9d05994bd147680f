"""Listings of pages: those that transclude a template, and every title under some prefixes.

The index job needs both: the case pages (those with the case template, with their revision
ids and times but without text) and every page under the case prefixes (translation subpages
need not carry the template). The first prefix listing (``list=allpages``) rides along in the
requests that list the template's pages (``generator=embeddedin``): MediaWiki continues a
``list=`` module together with the generator, so it costs no request of its own. Each further
prefix costs one request per 5,000 titles. Membership of one category (``category``) rides along
too (``prop=categories`` with ``clcategories``): no request of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bots.wiki.records import PageSnapshot
from bots.wiki.session import WikiSession


@dataclass(frozen=True)
class TemplateListing:
    pages: tuple[PageSnapshot, ...]  # pages transcluding the template (no text), listing order
    under_prefixes: frozenset[str]  # titles of every page under the prefixes
    in_category: frozenset[str] = frozenset()  # those of `pages` in `category` (when asked)


def pages_with_template(
    session: WikiSession,
    template: str,
    namespaces: Iterable[int],
    prefixes: Sequence[tuple[str, int]] = (),
    *,
    category: str = "",
) -> TemplateListing:
    """Pages transcluding ``template`` in ``namespaces`` (through its redirects too), and the
    titles of all pages under each ``(prefix without namespace, namespace)`` of ``prefixes``;
    with ``category`` (a full title), which of the pages are in it."""
    titles: set[str] = set()
    members: set[str] = set()
    extra: dict[str, str | int] = {}
    if prefixes:
        prefix, namespace = prefixes[0]
        extra.update({"list": "allpages", "apprefix": prefix, "apnamespace": namespace,
                      "aplimit": "max"})  # fmt: skip
    if category:
        extra.update({"prop": "revisions|info|categories", "clcategories": category,
                      "cllimit": "max"})  # fmt: skip

    def listed(query: Mapping[str, Any]) -> None:
        titles.update(p["title"] for p in query.get("allpages", []))
        members.update(p["title"] for p in query.get("pages", []) if p.get("categories"))

    pages = tuple(
        session.embedded_in(template, namespaces, content=False, extra=extra or None,
                            on_query=listed)
    )  # fmt: skip
    for prefix, namespace in prefixes[1:]:
        titles.update(session.all_pages(prefix, namespace))
    return TemplateListing(pages=pages, under_prefixes=frozenset(titles),
                           in_category=frozenset(members))  # fmt: skip
