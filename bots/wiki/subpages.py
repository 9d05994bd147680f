"""Subpages of a few pages: the titles directly below each (``Page/fr``, ``Page/de``).

The knowledge job asks this of the pages holding ``{{Advocacy position}}`` (a handful): one
``list=allpages`` request per page and 5,000 subpages. Pages that share one prefix listing are
listed once.
"""

from __future__ import annotations

from collections.abc import Iterable

from bots.wiki.session import WikiSession

MAX_PAGES = 50  # pages whose subpages one run lists


def direct_subpages(session: WikiSession, titles: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Title -> the last parts of the titles directly below it (``fr`` for ``Page/fr``), sorted.
    At most :data:`MAX_PAGES` titles are listed; the rest get no subpages."""
    wanted = sorted(set(titles))[:MAX_PAGES]
    out: dict[str, tuple[str, ...]] = {}
    for title in wanted:
        name, namespace = session.normalize(title)
        bare = name.split(":", 1)[1] if namespace and ":" in name else name
        below = [
            t[len(name) + 1 :]
            for t in session.all_pages(bare + "/", namespace)
            if t.startswith(name + "/") and "/" not in t[len(name) + 1 :]
        ]
        out[title] = tuple(sorted(below))
    return out
