"""The digest's reads of pages it keeps records with: the subscriber list and its history, and
the archive pages with who made them.

* :func:`read_list_page`: the subscriber list as it is now and, when asked, its revisions after
  a given one, oldest first, with their authors and texts (who added which line). One request
  per 500 revisions (50 without ``apihighlimits``); the latest revision alone is one request.
* :func:`archive_pages`: the pages under the archive prefix with the author of each one's latest
  revision, and which of them the bot created (its own ``list=usercontribs`` of page creations
  in the namespace rides along). One request per 5,000 pages.
* :func:`own_revision_text`: the text of the bot's own latest revision of a page (when someone
  else edited it since). One request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bots.wiki.records import PageSnapshot, merge_page, snapshot_from
from bots.wiki.session import WikiSession


@dataclass(frozen=True)
class ListRevision:
    revid: int
    user: str  # "" when hidden
    text: str | None  # None when hidden


@dataclass(frozen=True)
class ListPage:
    snapshot: PageSnapshot
    revisions: tuple[ListRevision, ...] = ()  # after the one asked, oldest first
    history_complete: bool = True  # False: more revisions than the run reads (see ``limit``)


def _revision(rev: dict[str, Any]) -> ListRevision:
    slot = rev.get("slots", {}).get("main", {})
    text = None if "texthidden" in slot or "texthidden" in rev else slot.get("content")
    user = "" if "userhidden" in rev else str(rev.get("user", ""))
    return ListRevision(int(rev.get("revid", 0)), user, None if text is None else str(text))


def read_list_page(
    session: WikiSession, title: str, *, history_from: int | None = None, limit: int = 2000
) -> ListPage | None:
    """The page now (None when the wiki gave no answer), and with ``history_from`` its
    revisions from that id on (0: from the first), at most ``limit`` of them."""
    from pywikibot.exceptions import APIError  # lazily, as everywhere (bots.wiki.runtime)

    params: dict[str, Any] = {
        "action": "query", "titles": title, "prop": "revisions|info", "rvslots": "main",
        "rvprop": "ids|timestamp|user|content", "curtimestamp": True,
    }
    if history_from is not None:
        params.update({"rvdir": "newer", "rvlimit": "max"})
        if history_from > 0:
            params["rvstartid"] = history_from
    record: dict[str, Any] = {}
    read_at = ""
    cont: dict[str, Any] = {}
    complete = True
    while True:
        try:
            result = session.api(**params, **cont)
        except APIError:
            if not history_from or cont:
                raise
            # the revision last read belongs to another page now (deleted and re-created,
            # or moved away): read this page's history from its start
            return read_list_page(session, title, history_from=0, limit=limit)
        read_at = str(result.get("curtimestamp", read_at))
        for page in result.get("query", {}).get("pages", []):
            merge_page(record, page)
        if history_from is None or "continue" not in result:
            break
        if len(record.get("revisions", [])) >= limit:
            complete = False
            break
        cont = dict(result["continue"])
    if not record:
        return None
    revisions = tuple(_revision(r) for r in record.get("revisions", []))
    # the page as it is now: its latest revision (the history is oldest first)
    record = {**record, "revisions": record.get("revisions", [])[-1:]}
    if history_from is None or not complete:
        latest = read_list_page(session, title) if not complete else None
        snap = latest.snapshot if latest else snapshot_from(record, read_at)
        return ListPage(snap, revisions if history_from is not None else (), complete)
    return ListPage(snapshot_from(record, read_at), revisions, True)


@dataclass(frozen=True)
class ArchivePage:
    title: str
    latest_user: str  # the author of its latest revision
    created_by: bool  # the bot created it (its own contributions say so)


def archive_pages(
    session: WikiSession, prefix: str, namespace: int, bot: str
) -> list[ArchivePage]:
    """Pages whose title starts with ``prefix`` (without namespace) in ``namespace``."""
    latest: dict[str, str] = {}
    created: set[str] = set()

    def creations(query: Mapping[str, Any]) -> None:
        created.update(str(c.get("title", "")) for c in query.get("usercontribs", []))

    for page in session.query_pages(
        generator="allpages", gapprefix=prefix, gapnamespace=namespace, gaplimit="max",
        prop="revisions", rvprop="user|ids",
        list="usercontribs", ucuser=bot, ucnamespace=namespace, ucshow="new", ucprop="title",
        uclimit="max", on_query=creations,
    ):  # fmt: skip
        revs = page.get("revisions") or [{}]
        user = "" if "userhidden" in revs[-1] else str(revs[-1].get("user", ""))
        latest[str(page.get("title", ""))] = user
    return [ArchivePage(t, u, t in created) for t, u in sorted(latest.items())]


def own_revision_text(session: WikiSession, title: str, user: str) -> str | None:
    """The text of ``user``'s latest revision of ``title`` (None when there is none)."""
    for page in session.query_pages(
        titles=title, prop="revisions", rvuser=user, rvlimit=1, rvprop="ids|content",
        rvslots="main",
    ):  # fmt: skip
        for rev in page.get("revisions", []):
            return _revision(rev).text
    return None
