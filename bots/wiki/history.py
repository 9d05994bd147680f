"""Page histories for the digest: recent changes per page, page moves, and revision texts by
revision id.

Reads, batched: ``list=recentchanges`` since a moment (one request per 5,000 changes), the
move log since a moment (``list=logevents``, one request per 5,000 moves, every namespace: a
draft moved in from user space is logged under its old title), and revision contents by id (as
many per request as the session allows for content).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bots.wiki.batches import chunks
from bots.wiki.session import WikiSession


@dataclass(frozen=True)
class RecentChange:
    """One edit or page creation, as ``list=recentchanges`` reports it."""

    title: str
    namespace: int
    revid: int
    old_revid: int  # 0: the edit created the page
    timestamp: str  # ISO 8601, UTC
    user: str = ""
    pageid: int = 0  # the page's id: it stays with the page when the page is moved


@dataclass(frozen=True)
class PageMove:
    """One page move, as the move log reports it: the page ``pageid`` went from ``source`` to
    ``target``. The page's recent changes keep the title the page had at each edit."""

    source: str
    source_namespace: int
    target: str
    target_namespace: int
    pageid: int
    timestamp: str  # ISO 8601, UTC
    user: str = ""
    logid: int = 0  # orders moves of one second


@dataclass
class PageHistory:
    """Recent changes of one page, oldest first."""

    namespace: int
    entries: list[RecentChange] = field(default_factory=list)

    def within(self, start: str, end: str) -> list[RecentChange]:
        return [e for e in self.entries if start < e.timestamp <= end]

    def revid_at(self, moment: str) -> int | None:
        """The revision current at ``moment`` (0: no page yet), None when it is the latest."""
        later = [e for e in self.entries if e.timestamp > moment]
        return later[0].old_revid if later else None


def span(inside: Sequence[RecentChange]) -> tuple[int, int]:
    """(revision at the period's start (0: no page yet), revision at its end) of a page,
    from its recent changes inside the period."""
    return inside[0].old_revid, inside[-1].revid


def recent_changes(
    session: WikiSession, namespaces: Iterable[int], start: str
) -> dict[str, PageHistory]:
    """Edits and creations since ``start``, per title (one request per 5,000 changes)."""
    out: dict[str, PageHistory] = {}
    for q in session.query_results(
        list="recentchanges", rcnamespace=sorted(set(namespaces)), rcend=start,
        rcprop="title|ids|timestamp|user", rctype="edit|new", rclimit="max",
    ):  # fmt: skip
        for rc in q.get("recentchanges", []):
            change = RecentChange(
                title=str(rc["title"]), namespace=int(rc["ns"]), revid=int(rc.get("revid", 0)),
                old_revid=int(rc.get("old_revid", 0)), timestamp=str(rc["timestamp"]),
                user=str(rc.get("user", "")), pageid=int(rc.get("pageid", 0)),
            )
            out.setdefault(change.title, PageHistory(change.namespace)).entries.append(change)
    for history in out.values():
        history.entries.sort(key=lambda e: (e.timestamp, e.revid))
    return out


def page_moves(session: WikiSession, start: str) -> list[PageMove]:
    """Page moves logged since ``start``, oldest first (one request per 5,000 moves). Moves
    whose details are hidden carry no target and are left out."""
    out: list[PageMove] = []
    for q in session.query_results(
        list="logevents", letype="move", leend=start, leprop="title|ids|details|timestamp|user",
        lelimit="max",
    ):  # fmt: skip
        for entry in q.get("logevents", []):
            params = entry.get("params") or {}
            if not entry.get("title") or not params.get("target_title"):
                continue
            out.append(PageMove(
                source=str(entry["title"]), source_namespace=int(entry.get("ns", 0)),
                target=str(params["target_title"]),
                target_namespace=int(params.get("target_ns", 0)),
                pageid=int(entry.get("logpage", 0)), timestamp=str(entry.get("timestamp", "")),
                user=str(entry.get("user", "")), logid=int(entry.get("logid", 0)),
            ))  # fmt: skip
    out.sort(key=lambda m: (m.timestamp, m.logid))
    return out


def texts_by_revid(session: WikiSession, revids: Iterable[int]) -> dict[int, str | None]:
    """Texts of revisions, batched; a deleted or hidden revision maps to None."""
    wanted = sorted({r for r in revids if r > 0})
    out: dict[int, str | None] = dict.fromkeys(wanted)
    for batch in chunks(wanted, session.batch_size(content=True)):
        for page in session.query_pages(
            revids=list(batch), prop="revisions", rvprop="ids|content", rvslots="main"
        ):
            for rev in page.get("revisions", []):
                slot = rev.get("slots", {}).get("main", {})
                out[int(rev["revid"])] = slot.get("content")
    return out
