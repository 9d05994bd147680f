"""Listings of pages: those that transclude a template, and every title under some prefixes.

The index job needs both: the case pages (those with the case template, with their revision
ids and times but without text) and every page under the case prefixes (translation subpages
need not carry the template). The first prefix listing (``list=allpages``) rides along in the
requests that list the template's pages (``generator=embeddedin``): MediaWiki continues a
``list=`` module together with the generator, so it costs no request of its own. Each further
prefix costs one request per 5,000 titles.
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


def pages_with_template(
    session: WikiSession,
    template: str,
    namespaces: Iterable[int],
    prefixes: Sequence[tuple[str, int]] = (),
) -> TemplateListing:
    """Pages transcluding ``template`` in ``namespaces`` (through its redirects too), and the
    titles of all pages under each ``(prefix without namespace, namespace)`` of ``prefixes``."""
    titles: set[str] = set()
    extra: dict[str, str | int] | None = None
    if prefixes:
        prefix, namespace = prefixes[0]
        extra = {"list": "allpages", "apprefix": prefix, "apnamespace": namespace,
                 "aplimit": "max"}  # fmt: skip

    def listed(query: Mapping[str, Any]) -> None:
        titles.update(p["title"] for p in query.get("allpages", []))

    pages = tuple(
        session.embedded_in(template, namespaces, content=False, extra=extra, on_query=listed)
    )
    for prefix, namespace in prefixes[1:]:
        titles.update(session.all_pages(prefix, namespace))
    return TemplateListing(pages=pages, under_prefixes=frozenset(titles))
