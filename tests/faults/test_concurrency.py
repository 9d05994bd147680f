"""Two runs of the same job at once on the same account (issue 8, item 10), as two real
`advocacy-hub` processes.

MediaWiki ignores edit conflicts between edits of one account, so without a lock the slower
run would silently put back what it read before the faster one saved. The per-job lock makes
the second process either exit at once (`lock_wait_seconds = 0`) or wait for the first and then
work on the wiki as the first left it.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from bots.config.load import load_config
from bots.operations.locking import lock_holder
from bots.operations.runlog import read_run_records
from tests.faults.cli_runs import start, write_config
from tests.faults.helpers import (
    BOT,
    bot_edits,
    bot_revisions,
    case,
    index_page,
    indexed_text,
)
from tests.support import Devwiki, RequestLog, WikiClient, import_pages

PAGES = 16  # index pages: enough work that the first run still holds the lock a while


def world(devwiki: Devwiki, prefix: str) -> list[tuple[str, str, str, str, str, str]]:
    import_pages(devwiki, [
        {"title": f"{prefix}A", "text": case("Case A", "europe", "copyright", "active",
                                             start="2021-03-01")},
        {"title": f"{prefix}B", "text": case("Case B", "africa", "privacy", "success")},
        *({"title": f"{prefix}Index{n:02d}", "text": index_page(before=f"Page {n}.")}
          for n in range(PAGES)),
    ])
    return [
        (f"{prefix}A", "Case A", "Europe", "Copyright reform", "Active", "2021-03-01"),
        (f"{prefix}B", "Case B", "Africa", "Privacy and data protection", "Success", ""),
    ]


def wait_for(condition, timeout: float = 60, what: str = "") -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_second_process_exits_at_once_while_the_first_holds_the_lock(
    devwiki: Devwiki, prefix: str, tmp_path: Path, admin: WikiClient, request_log: RequestLog,
) -> None:
    rows = world(devwiki, prefix)
    # The overlap must not depend on how fast the first run is: 1.5 s between its edits keeps
    # it holding the lock for over 20 s after its first edit, while the second process needs
    # only to start and try the lock (a bare race was lost once the first run got faster).
    config_path = write_config(tmp_path, prefix, lock_wait=0, put_throttle=1.5)
    cfg = load_config(config_path)
    mark = request_log.mark()
    first = start(devwiki, config_path, "run", "index")
    try:
        wait_for(lambda: any(r.params.get("title", "").startswith(prefix)
                             for r in bot_edits(request_log, mark)), what="the first edit")
        holder = lock_holder(cfg, "index")
        assert holder is not None and holder.startswith(f"pid {first.pid} ")
        second = start(devwiki, config_path, "run", "index")
        out2, err2 = second.communicate(timeout=60)
        still_running = first.poll() is None
    finally:
        out1, err1 = first.communicate(timeout=120)
    assert still_running, "the first run ended before the second tried: no overlap tested"
    assert first.returncode == 0, out1 + err1
    assert f"index: {PAGES + 2} pages read, {PAGES} edited" in out1
    assert second.returncode == 1, out2 + err2
    assert "another run of job 'index' is already running" in out2
    assert f"pid {first.pid} " in out2 and "this run stops without editing" in out2
    # one revision per page, all from the first run; the second wrote nothing
    for n in range(PAGES):
        title = f"{prefix}Index{n:02d}"
        assert admin.page_text(title) == indexed_text(rows, before=f"Page {n}."), title
        assert len(bot_revisions(admin, title)) == 1, title
    assert len(bot_edits(request_log, mark)) == PAGES
    records = list(read_run_records(cfg))
    assert sorted((r.outcome, r.edits) for r in records) == [("failed", 0), ("ok", PAGES)]


def test_second_process_waits_and_then_applies_what_changed_meanwhile(
    devwiki: Devwiki, prefix: str, tmp_path: Path, admin: WikiClient, tester1: WikiClient,
    request_log: RequestLog,
) -> None:
    """A case page is created while the first run is saving (it read the cases before). The
    second run waits for the lock, then reads the wiki as the first left it: both updates
    arrive, the later one on top, nothing put back."""
    rows = world(devwiki, prefix)
    config_path = write_config(tmp_path, prefix, lock_wait=120)
    cfg = load_config(config_path)
    mark = request_log.mark()
    first = start(devwiki, config_path, "run", "index")
    try:
        wait_for(lambda: any(r.params.get("title", "").startswith(prefix)
                             for r in bot_edits(request_log, mark)), what="the first edit")
        tester1.edit(f"{prefix}C", case("Case C", "asia-pacific", "censorship", "planned"),
                     "a new case while the bot runs")
        second = start(devwiki, config_path, "run", "index")
        wait_for(lambda: second.poll() is not None or first.poll() is None, what="start")
        overlapped = first.poll() is None
        out1, err1 = first.communicate(timeout=120)
        out2, err2 = second.communicate(timeout=120)
    finally:
        for proc in (first, second):
            if proc.poll() is None:
                proc.kill()
    assert overlapped, "the first run ended before the second started: no overlap tested"
    assert first.returncode == 0, out1 + err1
    assert second.returncode == 0, out2 + err2
    assert f"{PAGES} edited" in out1 and f"{PAGES} edited" in out2
    rows_c = [*rows, (f"{prefix}C", "Case C", "Asia and the Pacific",
                      "Censorship and access blocks", "Planned", "")]
    for n in range(PAGES):
        title = f"{prefix}Index{n:02d}"
        assert admin.page_text(title) == indexed_text(rows_c, before=f"Page {n}."), title
        revs = bot_revisions(admin, title)
        docs = " ([[Advocacy Hub/Bot documentation|about this bot]])"
        assert [r["comment"] for r in revs] == [
            "Advocacy Hub: case index updated: 1 added, 0 updated, 0 removed; 3 cases in all"
            "; added: Case C" + docs,
            "Advocacy Hub: case index updated: 2 added, 0 updated, 0 removed; 2 cases in all"
            "; added: Case A, Case B" + docs,
        ], title
    # the two runs never interleaved: all first-run edits come before all second-run edits
    edits = [r for r in bot_edits(request_log, mark) if r.params["title"].startswith(prefix)]
    assert len(edits) == 2 * PAGES and all(r.user == BOT for r in edits)
    totals = [re.search(r"; (\d+ cases in all)", r.params["summary"]) for r in edits]
    assert [t.group(1) if t else "" for t in totals] == (
        ["2 cases in all"] * PAGES + ["3 cases in all"] * PAGES
    )
    records = list(read_run_records(cfg))
    assert [(r.outcome, r.edits) for r in records] == [("ok", PAGES), ("ok", PAGES)]
    assert records[0].end <= records[1].end
