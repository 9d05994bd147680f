"""When pages were last edited: the revision times a translation status compares.

A hand translation (``<source>/<lang>``) is outdated when its source was edited after it. Both
times come from here: the latest revision of each subpage (batched, no content), and the
source's latest revision by someone other than the bot (the bot's own table on a source page
must not make its translations look old).
"""

from __future__ import annotations

from collections.abc import Iterable

from bots.wiki.session import WikiSession


def latest_edit_times(session: WikiSession, titles: Iterable[str]) -> dict[str, str]:
    """Timestamp of each existing page's latest revision, by title (batched, without text)."""
    wanted = sorted(set(titles))
    if not wanted:
        return {}
    snapshots = session.read_pages(wanted, content=False)
    return {title: snap.timestamp for title, snap in snapshots.items() if snap.exists}


def last_edit_excluding(session: WikiSession, title: str, user: str) -> str | None:
    """Timestamp of the latest revision of ``title`` not made by ``user``; None when every
    revision is theirs. One request (``rvexcludeuser`` works for one page at a time)."""
    result = session.api(
        action="query",
        prop="revisions",
        titles=title,
        rvprop="timestamp|user",
        rvlimit=1,
        rvexcludeuser=user,
    )
    pages = result.get("query", {}).get("pages", [])
    revisions = pages[0].get("revisions", []) if pages else []
    return str(revisions[0]["timestamp"]) if revisions else None
