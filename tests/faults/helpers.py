"""Fault helpers (fixtures are in conftest.py): produce a fault on the real local wiki, run a
job, look at what is left.

Every test gets its own page prefix (the `prefix` fixture) and a config (`fcfg`) whose case
*and* edit prefixes are narrowed to it, so a job run by one test never reads or edits another
test's pages, and a small retry budget, so that "bounded retries" take seconds, not minutes.

Faults are real wherever the local wiki can produce them: read-only and lag through the
devwiki toggle files, blocks, protections and deletions through Admin's API calls, the spam
and title blacklists through their `MediaWiki:` pages, a dead server by stopping it. Only the
*moment* of a fault is arranged by the tests: `before_edit` runs a callable just before the bot
submits its n-th edit (after it read the page and built the new text), which is exactly the
window "between the bot's read and its save" that a human, an admin or an outage can hit.
The few faults the local wiki cannot produce (HTTP 503/504 bursts, `ratelimited`, lag beyond
the budget with exact timings, a response lost after the save) come from the clearly named
stand-in in `tests/faults/standin_server.py`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import re
import socket
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from bots.config.model import Config
from bots.operations.jobs import JobResult, run_job
from bots.run_options import RunOptions
from bots.wiki.session import WikiSession
from bots.wikitext.markers import stamp_content
from tests.support import (
    Devwiki,
    RequestLog,
    RequestRecord,
    WikiClient,
    write_requests,
)

BOT = "AdvocacyBot"
START = "{{Advocacy case index}}"
END = "{{Advocacy case index end}}"

# Short socket timeouts while a test has the server stopped (WikiSession reads this variable).
os.environ.setdefault("PYWIKIBOT_TEST_TIMEOUT", "5")


# ---------------------------------------------------------------------------------------------
# Configs and sessions


def narrowed(config: Config, prefix: str, **wiki: Any) -> Config:
    """Cases read and pages edited under `prefix` only; a small retry budget."""
    budget = {"max_retries": 2, "retry_wait": 0.2, "retry_max_wait": 1.0, **wiki}
    return dataclasses.replace(
        config,
        wiki=dataclasses.replace(config.wiki, **budget),
        permissions=dataclasses.replace(
            config.permissions, case_prefixes=(prefix,), edit_prefixes=(prefix,)
        ),
    )




def open_session(cfg: Config, *, simulate: bool = False) -> WikiSession:
    session = WikiSession(cfg, simulate=simulate)
    session.login()
    return session


def run(job: str, cfg: Config, session: WikiSession | None = None, **options: Any) -> JobResult:
    """Run one job as `advocacy-hub run JOB` does (lock, preflight, run log), in-process."""
    session = session or open_session(cfg, simulate=options.get("simulate", False))
    return run_job(job, session, cfg, RunOptions(out=io.StringIO(), progress=False, **options))


# ---------------------------------------------------------------------------------------------
# Pages


def case(title: str, region: str, topic: str, status: str, **more: str) -> str:
    lines = [f"| title = {title}", f"| region = {region}", f"| topic = {topic}",
             f"| status = {status}"]
    lines += [f"| {k} = {v}" for k, v in more.items()]
    return "{{Advocacy case\n" + "\n".join(lines) + "\n}}"


def index_page(params: str = "", before: str = "Intro.", after: str = "Outro.") -> str:
    start = START if not params else "{{Advocacy case index|" + params + "}}"
    return f"{before}\n{start}\n{END}\n{after}"


def region_inner(text: str) -> str:
    """What the bot wrote between the (first) index markers."""
    start = text.index("}}", text.index("{{Advocacy case index")) + 2
    return text[start : text.index(END)]


# Rows of the default view as (page, title, region label, topic label, status label, start).
Row = tuple[str, str, str, str, str, str]


def default_view(rows: list[Row], *, lang: str = "en") -> str:
    """The exact region text of `{{Advocacy case index}}` (no parameters) for these rows, as
    a run today writes it.

    Written out by hand from the on-wiki contract (docs/index.md, bots/index/view_render.py),
    so that fault tests compare the saved page with what a healthy run must write.
    """
    nowrap = 'style="white-space:nowrap;" | '
    lines = [
        "<!-- advocacy-hub view: [] -->",
        f'<div class="advocacyhub-index" lang="{lang}" dir="ltr">',
        f"Total: {len(rows)} case{'s' if len(rows) != 1 else ''}.",
        '<div class="advocacyhub-index-scroll" style="overflow-x:auto;">',
        '{| class="wikitable sortable advocacyhub-index-table"',
        "! Title !! Status !! Region !! Country !! Topic !! Start !! End",
    ]
    for page, title, region, topic, status, start in sorted(rows):
        lines += [
            f'|- data-advocacy-case="{page}"',
            f"| [[:{page}|{title}]]",
            f"| {nowrap}{status}",
            f"| {region}",
            "|",
            f"| {topic}",
            f"| {nowrap}{start}" if start else "|",
            "|",
        ]
    today = datetime.now(UTC).date().isoformat()
    lines += [
        "|}", "</div>", "</div>",
        f'<div class="advocacyhub-index-changed" data-changed="{today}" style="font-size:85%;">'
        f"This list last changed on {today}.</div>",
    ]  # fmt: skip
    return stamp_content("\n".join(lines))


def indexed_text(rows: list[Row], params: str = "", before: str = "Intro.",
                 after: str = "Outro.") -> str:
    """The whole index page as a healthy run saves it."""
    start = START if not params else "{{Advocacy case index|" + params + "}}"
    return f"{before}\n{start}{default_view(rows)}{END}\n{after}"


# a broken case's row carries a class and a tint after the page title (docs/index.md)
_ROW_RE = re.compile(r'^\|- data-advocacy-case="([^"]*)"(?: class=[^\n]*)?$', re.M)


def row_pages(text: str | None) -> list[str]:
    return _ROW_RE.findall(text or "")


# ---------------------------------------------------------------------------------------------
# Looking at what the bot did


def bot_revisions(client: WikiClient, title: str) -> list[dict[str, Any]]:
    return [r for r in client.revisions(title) if r["user"] == BOT]


def bot_writes(log: RequestLog, mark: int) -> list[RequestRecord]:
    """Write requests (edit, delete, ...) the bot's process sent since `mark`, refused or not.

    Identified by the bot's user agent, so that requests MediaWiki did not attribute to the
    account (a lost session) still count."""
    return [r for r in write_requests(log.since(mark)) if is_bot_agent(r)]


def bot_edits(log: RequestLog, mark: int) -> list[RequestRecord]:
    return [r for r in bot_writes(log, mark) if r.action == "edit"]


def bot_api(log: RequestLog, mark: int) -> list[RequestRecord]:
    return [r for r in log.since(mark) if r.is_api and is_bot_agent(r)]


def is_bot_agent(record: RequestRecord) -> bool:
    return (record.user_agent or "").startswith("AdvocacyHubBot/")


# ---------------------------------------------------------------------------------------------
# The moment of a fault: just before the bot's n-th edit


class EditHook:
    """Actions to run just before the bot submits an edit (after its read and build)."""

    def __init__(self) -> None:
        self.calls: list[str] = []  # titles of the edits the bot set out to submit, in order
        self._by_number: dict[int, Callable[[str], None]] = {}
        self._by_title: dict[str, Callable[[str], None]] = {}

    def at(self, n: int, action: Callable[[str], None]) -> None:
        """Run `action(title)` before the bot's n-th edit (1-based) in this test."""
        self._by_number[n] = action

    def on(self, title: str, action: Callable[[str], None]) -> None:
        """Run `action(title)` before the bot's first edit of `title`."""
        self._by_title[title] = action

    def fire(self, title: str) -> None:
        self.calls.append(title)
        action = self._by_number.pop(len(self.calls), None)
        if action is not None:
            action(title)
        action = self._by_title.pop(title, None)
        if action is not None:
            action(title)





def link_tables(client: WikiClient, title: str) -> dict[str, Any]:
    """What a page's links tables say: categories, templates, user links (pings), ..."""
    page = client.get(
        action="query", titles=title, prop="categories|templates|links|langlinks|extlinks",
        cllimit="max", tllimit="max", pllimit="max", lllimit="max", ellimit="max",
    )["query"]["pages"][0]
    return {
        "categories": page.get("categories", []),
        "templates": sorted(t["title"] for t in page.get("templates", [])),
        "user_links": sorted(lk["title"] for lk in page.get("links", []) if lk["ns"] in (2, 3)),
        "langlinks": page.get("langlinks", []),
        "extlinks": page.get("extlinks", []),
    }

# ---------------------------------------------------------------------------------------------
# Faults that must be undone whatever happens


@contextlib.contextmanager
def bot_blocked(admin: WikiClient, reason: str = "Fault test: bot blocked") -> Iterator[None]:
    admin.block(BOT, reason=reason)
    try:
        yield
    finally:
        unblock_bot(admin)


def unblock_bot(admin: WikiClient) -> None:
    with contextlib.suppress(Exception):
        admin.unblock(BOT, reason="fault test over")






def expire_bot_session(devwiki: Devwiki) -> int:
    """Make the wiki forget the bot process's session, as an expiry would: delete the session
    records named by the process's cookies from the wiki's session store (the `objectcache`
    table, `$wgSessionCacheType = CACHE_DB`). Returns how many records were deleted."""
    from pywikibot.comms import http

    ids = [c.value for c in http.session.cookies if c.name.endswith("session") and c.value]
    db = sqlite3.connect(devwiki.dir / "db" / "wikicache.sqlite", timeout=30)
    try:
        with db:
            deleted = sum(
                db.execute("DELETE FROM objectcache WHERE keyname LIKE ?",
                           (f"%:MWSession:{sid}",)).rowcount
                for sid in ids
            )
    finally:
        db.close()
    return deleted


def server_answers(devwiki: Devwiki) -> bool:
    try:
        socket.create_connection(("127.0.0.1", devwiki.port), timeout=2).close()
    except OSError:
        return False
    return True
