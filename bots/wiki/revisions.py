"""Revisions of pages: who edited a page on top of which revision, and the bot's own last one.

:func:`latest_revisions`: one ``prop=revisions`` request per call, newest revision first,
without content. The index job reads them to name the people who edited inside its regions
since its own last save, and the edits MediaWiki merged under one of its saves.

:func:`own_revisions`: the text of the bot account's own last revision of pages that someone
else edited since (the index job's circuit breaker compares with what the bot itself wrote,
never with what others added). Up to :data:`PAGE_BY_PAGE` pages: one request each
(``prop=revisions`` with ``rvuser``). More: batched, the account's contributions
(``list=usercontribs``, at most :data:`CONTRIB_REQUESTS` requests), then the texts by revision
id (one request per 50, or 500 with ``apihighlimits``); a page not found among those
contributions costs one request of its own.

:func:`edited_by`: which of some pages a user ever edited (``prop=contributors``, one request
per 50 pages, or 500 with ``apihighlimits``, and more only for pages with hundreds of editors):
pages the bot never saved need no search for its last revision.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bots.wiki.batches import chunks
from bots.wiki.records import content_of
from bots.wiki.session import WikiSession

PAGE_BY_PAGE = 3  # this many pages or fewer are asked for one by one: fewer requests
CONTRIB_REQUESTS = 3  # requests of the bot's contributions read before asking page by page


@dataclass(frozen=True)
class Revision:
    revid: int
    parentid: int  # 0 for a page's first revision
    user: str  # "" when the user name is hidden


def latest_revisions(
    session: WikiSession, title: str, *, limit: int, start_revid: int | None = None
) -> tuple[Revision, ...]:
    """Up to ``limit`` revisions of the page, newest first, from ``start_revid`` down when given.

    One request: a limit is all the callers need, so the answer is not continued.
    """
    answer = session.api(
        action="query", titles=title, prop="revisions", rvprop="ids|user",
        rvlimit=limit, rvstartid=start_revid,
    )  # fmt: skip
    pages = answer.get("query", {}).get("pages", [])
    return tuple(
        Revision(
            revid=int(rev["revid"]),
            parentid=int(rev.get("parentid") or 0),
            user=str(rev.get("user", "")),
        )
        for page in pages[:1]
        for rev in page.get("revisions", [])
    )


@dataclass(frozen=True)
class OwnRevision:
    """The bot's own last revision of a page; ``text`` is None when it cannot be read (the
    revision's text was hidden)."""

    revid: int
    text: str | None


def own_revisions(
    session: WikiSession, titles: Sequence[str], user: str, namespaces: Iterable[int]
) -> dict[str, OwnRevision]:
    """``user``'s last revision of each of ``titles`` (in ``namespaces``); a title ``user``
    never edited is absent."""
    wanted = set(titles)
    revids: dict[str, int] = {}
    if len(wanted) <= PAGE_BY_PAGE:
        return _one_by_one(session, sorted(wanted), user)
    contributions = session.query_results(
        list="usercontribs", ucuser=user, ucnamespace=sorted(set(namespaces)),
        ucprop="ids|title", uclimit="max",
    )  # fmt: skip
    for requests, query in enumerate(contributions, start=1):
        for contrib in query.get("usercontribs", []):
            title = contrib.get("title", "")
            if title in wanted and title not in revids:
                revids[title] = int(contrib["revid"])
        if len(revids) == len(wanted) or requests >= CONTRIB_REQUESTS:
            break
    found: dict[str, OwnRevision] = {}
    for batch in chunks(sorted(revids.values()), session.batch_size(content=True)):
        answer = session.api(action="query", revids=batch, prop="revisions",
                             rvprop="ids|content", rvslots="main")  # fmt: skip
        for page in answer.get("query", {}).get("pages", []):
            for rev in page.get("revisions", []):
                found[page.get("title", "")] = OwnRevision(
                    int(rev["revid"]), content_of({"revisions": [rev]})
                )
    found.update(_one_by_one(session, sorted(wanted - set(revids)), user))  # older ones
    return found


def _one_by_one(session: WikiSession, titles: Sequence[str], user: str) -> dict[str, OwnRevision]:
    found: dict[str, OwnRevision] = {}
    for title in titles:
        answer = session.api(action="query", titles=title, prop="revisions", rvuser=user,
                             rvlimit=1, rvprop="ids|content", rvslots="main")  # fmt: skip
        for page in answer.get("query", {}).get("pages", [])[:1]:
            for rev in page.get("revisions", [])[:1]:
                found[title] = OwnRevision(int(rev["revid"]), content_of({"revisions": [rev]}))
    return found


def edited_by(session: WikiSession, titles: Sequence[str], user: str) -> set[str]:
    """Those of ``titles`` that ``user`` ever edited (as a logged-in contributor)."""
    found: set[str] = set()
    for batch in chunks(sorted(set(titles)), session.batch_size(content=False)):
        for query in session.query_results(prop="contributors", titles=batch, pclimit="max"):
            for page in query.get("pages", []):
                if any(c.get("name") == user for c in page.get("contributors", [])):
                    found.add(page.get("title", ""))
    return found
