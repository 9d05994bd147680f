"""The wiki's recent changes, for watch mode: one request per interval when nothing happened.

Each poll is a single ``list=recentchanges`` query (edits, page creations and log entries:
deletions, moves, restorations) newer than the position reached, without the bot's own edits,
sent together with the text of the shutoff page and of the refresh request page, so an idle
interval costs exactly one request and still sees a stop. Where a restarted watcher resumes
comes from the wiki: the time of the bot account's latest edit (``list=usercontribs``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bots.wiki.records import content_of
from bots.wiki.session import WikiSession

MAX_CHANGES = 5000  # changes read in one poll at most; the rest come at the next


@dataclass(frozen=True)
class Change:
    """One entry of the recent changes."""

    rcid: int
    timestamp: str  # ISO 8601, UTC
    title: str
    namespace: int
    kind: str  # edit | new | log
    user: str = ""
    log_type: str = ""  # delete, move, ... for log entries
    target: str = ""  # a move's new title
    target_namespace: int = 0


@dataclass(frozen=True)
class Position:
    """How far the watcher has read: changes after (timestamp, rcid)."""

    timestamp: str
    rcid: int = 0


@dataclass(frozen=True)
class Poll:
    changes: tuple[Change, ...]
    texts: Mapping[str, str | None] = field(default_factory=dict)  # the pages read along
    position: Position = Position("")
    complete: bool = True  # False: more changes wait (MAX_CHANGES)


def _change(item: Mapping[str, Any]) -> Change:
    params = item.get("logparams") or {}
    return Change(
        rcid=int(item.get("rcid", 0)), timestamp=str(item.get("timestamp", "")),
        title=str(item.get("title", "")), namespace=int(item.get("ns", 0)),
        kind=str(item.get("type", "")), user=str(item.get("user", "")),
        log_type=str(item.get("logtype", "")),
        target=str(params.get("target_title", "")) if isinstance(params, Mapping) else "",
        target_namespace=int(params.get("target_ns", 0)) if isinstance(params, Mapping) else 0,
    )  # fmt: skip


def poll_changes(
    session: WikiSession, position: Position, *, pages: tuple[str, ...] = (),
) -> Poll:
    """Changes after ``position`` by anyone but the bot, with the current text of ``pages``
    (the shutoff and request pages) from the same request."""
    changes: list[Change] = []
    texts: dict[str, str | None] = {}
    last = position
    complete = True
    params: dict[str, Any] = {
        "list": "recentchanges", "rcdir": "newer", "rcstart": position.timestamp,
        "rcprop": "title|ids|timestamp|user|loginfo", "rctype": "edit|new|log",
        "rcexcludeuser": session.config.wiki.user, "rclimit": "max",
    }
    if pages:
        params.update(titles=list(pages), prop="revisions", rvprop="content", rvslots="main")
    aliases: dict[str, str] = {}
    for query in session.query_results(**params):
        for page in query.get("pages", []):
            texts[str(page.get("title", ""))] = content_of(page)
        for normal in query.get("normalized", []):
            aliases[str(normal["from"])] = str(normal["to"])
        for item in query.get("recentchanges", []):
            change = _change(item)
            if (change.timestamp, change.rcid) <= (position.timestamp, position.rcid):
                continue  # rcstart is inclusive: the entries of the last second come again
            changes.append(change)
            last = Position(change.timestamp, change.rcid)
        if len(changes) >= MAX_CHANGES:
            complete = False
            break
    for asked in pages:  # as asked, whatever the wiki made of the spelling
        texts[asked] = texts.get(aliases.get(asked, asked))
    return Poll(tuple(changes), texts, last, complete)


def resume_position(session: WikiSession, window_seconds: float) -> Position:
    """Where a watcher starts: a little before the bot's latest edit (one request). Changes
    since then may not be reflected yet; reading some twice is harmless (nothing is saved
    unless a page's text changes). A bot that never edited starts a window before now."""
    result = session.api(action="query", list="usercontribs", ucuser=session.config.wiki.user,
                         uclimit="1", ucprop="timestamp", curtimestamp=True)
    contribs = result.get("query", {}).get("usercontribs", [])
    anchor = str(contribs[0]["timestamp"]) if contribs else str(result.get("curtimestamp", ""))
    moment = datetime.fromisoformat(anchor.replace("Z", "+00:00")) if anchor else datetime.now(UTC)
    start = moment - timedelta(seconds=window_seconds)
    return Position(start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
