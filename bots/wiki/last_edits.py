"""What the translation status reads about pages besides their text: listings, revision times,
and the bot's own last revision.

* :func:`list_titles`: every page under a prefix that is not a redirect (a redirect is never a
  source page, a translation subpage nor a translation unit);
* :func:`latest_edit_times`: the latest revision time of each page (batched, no content). A hand
  translation (``<source>/<lang>``) is outdated when its source was edited after it;
* :func:`last_edit_excluding`: the source's latest edit by someone other than the bot (the
  bot's own table on a source page must not make its translations look old);
* :func:`revision_at`: the revision of a page that was current at a moment (the source revision
  an outdated hand translation was made from, for a diff link in the status table);
* :func:`bot_revision_text`: the text of the bot's own latest revision of a page, the only
  record of a table the bot wrote that a person has since edited.
"""

from __future__ import annotations

from collections.abc import Iterable

from bots.wiki.session import WikiSession

LISTING_BATCH = 5000  # titles per ``list=allpages`` request for a bot (500 for others)


def list_titles(
    session: WikiSession, prefix: str, namespace: int, *, limit: int | None = None
) -> list[str]:
    """Titles of the pages (redirects left out) under ``prefix`` in ``namespace``, in title
    order; at most ``limit`` + 1 of them (one more says the listing went on), so a prefix that
    holds a million pages costs a bounded number of requests."""
    titles: list[str] = []
    for query in session.query_results(
        list="allpages", apprefix=prefix, apnamespace=namespace, aplimit="max",
        apfilterredir="nonredirects",
    ):  # fmt: skip
        titles.extend(str(page["title"]) for page in query.get("allpages", []))
        if limit is not None and len(titles) > limit:
            return titles[: limit + 1]
    return titles


def latest_edit_times(session: WikiSession, titles: Iterable[str]) -> dict[str, str]:
    """Timestamp of each existing page's latest revision, by title (batched, without text).
    Redirects are left out: a subpage turned into a redirect is no translation."""
    wanted = sorted(set(titles))
    if not wanted:
        return {}
    snapshots = session.read_pages(wanted, content=False)
    return {
        title: snap.timestamp
        for title, snap in snapshots.items()
        if snap.exists and not snap.is_redirect
    }


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


def revision_at(session: WikiSession, title: str, timestamp: str) -> int:
    """Id of the revision of ``title`` that was current at ``timestamp`` (its latest revision
    at or before that moment); 0 when there was none. One request (``rvstart`` works for one
    page at a time)."""
    result = session.api(
        action="query",
        prop="revisions",
        titles=title,
        rvprop="ids",
        rvlimit=1,
        rvstart=timestamp,
        rvdir="older",
    )
    pages = result.get("query", {}).get("pages", [])
    revisions = pages[0].get("revisions", []) if pages else []
    return int(revisions[0].get("revid", 0) or 0) if revisions else 0


def bot_revision_text(session: WikiSession, title: str, user: str) -> str | None:
    """The text of ``user``'s latest revision of ``title``; None when they never edited it.
    One request (``rvuser`` works for one page at a time)."""
    result = session.api(
        action="query",
        prop="revisions",
        titles=title,
        rvprop="ids|content",
        rvslots="main",
        rvlimit=1,
        rvuser=user,
    )
    pages = result.get("query", {}).get("pages", [])
    revisions = pages[0].get("revisions", []) if pages else []
    if not revisions:
        return None
    slots = revisions[0].get("slots", {})
    content = slots.get("main", {}).get("content") if slots else revisions[0].get("content")
    return None if content is None else str(content)
