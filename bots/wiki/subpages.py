"""Subpages of a few pages: the titles directly below each (``Page/fr``, ``Page/de``).

The knowledge job asks this of the pages holding ``{{Advocacy position}}`` (a handful): one
``list=allpages`` request per page and 5,000 subpages, except that a page below another wanted
page (``Positions/Copyright`` below ``Positions``) is answered from that page's listing, which
already holds every title below it.
"""

from __future__ import annotations

from collections.abc import Iterable

from bots.wiki.session import WikiSession

MAX_PAGES = 50  # pages whose subpages one run lists


def direct_subpages(session: WikiSession, titles: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Title -> the last parts of the titles directly below it (``fr`` for ``Page/fr``), sorted.
    At most :data:`MAX_PAGES` titles are listed; the rest get no subpages."""
    wanted = sorted(set(titles))[:MAX_PAGES]
    listed: dict[str, list[str]] = {}  # canonical title -> every title below it
    out: dict[str, tuple[str, ...]] = {}
    for title in wanted:
        name, namespace = session.normalize(title)
        above = next((t for t in listed if name.startswith(t + "/")), None)
        if above is not None:
            below_all = [t for t in listed[above] if t.startswith(name + "/")]
        else:
            bare = name.split(":", 1)[1] if namespace and ":" in name else name
            below_all = [t for t in session.all_pages(bare + "/", namespace)
                         if t.startswith(name + "/")]  # fmt: skip
        listed[name] = below_all
        rest = (t[len(name) + 1 :] for t in below_all)
        out[title] = tuple(sorted(r for r in rest if r and "/" not in r))
    return out
