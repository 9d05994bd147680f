"""The latest revisions of one page: who edited it, on top of which revision.

One ``prop=revisions`` request per call, newest revision first, without content. The index job
reads them to name the people who edited inside its regions since its own last save, and the
edits MediaWiki merged under one of its saves.
"""

from __future__ import annotations

from dataclasses import dataclass

from bots.wiki.session import WikiSession


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
