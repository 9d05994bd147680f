"""Read the wiki's request log (`requests.jsonl`, one JSON object per served request).

The web server's router writes a line before the response leaves the server, so once a client
has its answer the line is in the file: `mark()` before the code under test, `since(mark)` after
it, then count.

Record fields (see docs/devwiki.md): ts, time, duration_ms, method, path, script, action,
params (secrets redacted, page texts as "<N bytes>"), write, user, user_agent, status, bytes, pid.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.support.mwapi import USER_AGENT_PREFIX

if TYPE_CHECKING:
    from tests.support.devwiki import Devwiki

# The same list the router uses for the `write` field: API actions that change the wiki.
WRITE_ACTIONS: frozenset[str] = frozenset(
    {
        "edit", "delete", "undelete", "move", "upload", "filerevert", "protect", "block",
        "unblock", "rollback", "patrol", "review", "import", "mergehistory",
        "changecontentmodel", "tag", "managetags", "userrights", "revisiondelete",
        "setpagelanguage", "emailuser", "purge", "watch", "options", "createaccount",
        "massmessage", "thank", "stashedit", "setnotificationtimestamp", "imagerotate",
        "clearhasmsg",
    }
)  # fmt: skip

# Requests that are not the code under test: this package's client and devwiki's probe.
HELPER_USER_AGENTS: tuple[str, ...] = (USER_AGENT_PREFIX, "AdvocacyDevwiki/")


@dataclass(frozen=True)
class RequestRecord:
    """One served request."""

    ts: float
    method: str
    path: str
    script: str
    action: str | None
    params: Mapping[str, str]
    status: int
    bytes: int
    user: str | None = None
    user_agent: str | None = None
    duration_ms: float = 0.0
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def is_api(self) -> bool:
        return self.script == "/api.php"

    @property
    def is_write(self) -> bool:
        """A POST to the API with an action that changes the wiki (edit, delete, move, ...).
        Attempts count too: a refused edit is still a write request."""
        return self.is_api and self.method == "POST" and self.action in WRITE_ACTIONS

    @property
    def is_helper(self) -> bool:
        """Sent by tests/support's WikiClient or by scripts/devwiki itself."""
        return (self.user_agent or "").startswith(HELPER_USER_AGENTS)

    @property
    def title(self) -> str | None:
        return self.params.get("title") or self.params.get("titles")

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RequestRecord:
        params = data.get("params") or {}
        return cls(
            ts=float(data.get("ts", 0.0)),
            method=str(data.get("method", "")),
            path=str(data.get("path", "")),
            script=str(data.get("script", "")),
            action=data.get("action"),
            params=dict(params) if isinstance(params, dict) else {},
            status=int(data.get("status", 0)),
            bytes=int(data.get("bytes", 0)),
            user=data.get("user"),
            user_agent=data.get("user_agent"),
            duration_ms=float(data.get("duration_ms", 0.0)),
            raw=dict(data),
        )


class RequestLog:
    """`log = RequestLog(devwiki); m = log.mark(); ...; records = log.since(m)`."""

    def __init__(self, devwiki: Devwiki | Path | str) -> None:
        path = devwiki if isinstance(devwiki, Path | str) else devwiki.request_log
        self.path = Path(path)

    def mark(self) -> int:
        """A position in the log (its current size); later records come after it."""
        try:
            return self.path.stat().st_size
        except FileNotFoundError:
            return 0

    def since(self, mark: int = 0) -> list[RequestRecord]:
        """Records written after `mark`, oldest first. A line still being written is skipped."""
        try:
            with open(self.path, "rb") as fh:
                size = fh.seek(0, 2)
                fh.seek(mark if mark <= size else 0)  # a smaller file means a new wiki
                chunk = fh.read()
        except FileNotFoundError:
            return []
        complete = chunk[: chunk.rfind(b"\n") + 1]
        return [
            RequestRecord.from_json(json.loads(line))
            for line in complete.decode("utf-8", "replace").splitlines()
            if line.strip()
        ]

    def all(self) -> list[RequestRecord]:
        return self.since(0)

    def text(self) -> str:
        """The raw log (e.g. to assert that no secret ever appears in it)."""
        try:
            return self.path.read_text("utf-8", "replace")
        except FileNotFoundError:
            return ""


def _select(records: Iterable[RequestRecord], include_helpers: bool) -> list[RequestRecord]:
    return [r for r in records if include_helpers or not r.is_helper]


def api_requests(
    records: Iterable[RequestRecord], *, include_helpers: bool = False
) -> list[RequestRecord]:
    """API requests (api.php), by default without the test helpers' own requests."""
    return [r for r in _select(records, include_helpers) if r.is_api]


def write_requests(
    records: Iterable[RequestRecord], *, include_helpers: bool = False
) -> list[RequestRecord]:
    """API write requests (POST edit/delete/move/...), refused attempts included."""
    return [r for r in _select(records, include_helpers) if r.is_write]


def count_api(records: Iterable[RequestRecord], *, include_helpers: bool = False) -> int:
    return len(api_requests(records, include_helpers=include_helpers))


def count_writes(records: Iterable[RequestRecord], *, include_helpers: bool = False) -> int:
    return len(write_requests(records, include_helpers=include_helpers))


def by_user(records: Iterable[RequestRecord], user: str) -> list[RequestRecord]:
    """Requests MediaWiki attributed to `user` (e.g. "AdvocacyBot")."""
    return [r for r in records if r.user == user]


def by_action(records: Iterable[RequestRecord], action: str) -> list[RequestRecord]:
    return [r for r in records if r.action == action]


def total_bytes(records: Iterable[RequestRecord]) -> int:
    return sum(r.bytes for r in records)
