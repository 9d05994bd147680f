"""Page histories for the digest: recent changes per page, and revision texts by revision id.

Reads, batched: ``list=recentchanges`` since a moment (one request per 5,000 changes), and
revision contents by id (as many per request as the session allows for content).
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
                user=str(rc.get("user", "")),
            )
            out.setdefault(change.title, PageHistory(change.namespace)).entries.append(change)
    for history in out.values():
        history.entries.sort(key=lambda e: (e.timestamp, e.revid))
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
