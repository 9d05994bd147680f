"""Lag, overload and rate limits (issue 8, item 12): back off within bounds, never loop tightly,
end with a clear error or complete.

Maxlag is produced for real first (the local wiki's `maxlag.txt` toggle makes MediaWiki answer
writes carrying `maxlag=5` with its own `maxlag` error and `Retry-After: 5`). HTTP 503/504
bursts, `ratelimited` on the n-th edit and a response lost after the save come from the
STAND-IN proxy in tests/faults/standin_server.py (see its docstring for why a stand-in), which
forwards everything else to the real local wiki, so every page the bot saves is real.
"""

from __future__ import annotations

import dataclasses
import itertools
import threading
import time
from pathlib import Path
from typing import Any

from bots.config.model import Config
from tests.faults.helpers import (
    BOT,
    EditHook,
    bot_edits,
    bot_revisions,
    case,
    index_page,
    indexed_text,
    open_session,
    run,
)
from tests.faults.standin_server import Fault, Seen, StandinWiki
from tests.support import Devwiki, RequestLog, WikiClient, import_pages, set_maxlag


def world(devwiki: Devwiki, prefix: str, pages: int = 2) -> list[Any]:
    import_pages(devwiki, [
        {"title": f"{prefix}A", "text": case("Case A", "europe", "copyright", "active",
                                             start="2021-03-01")},
        *({"title": f"{prefix}Index{n}", "text": index_page(before=f"Page {n}.")}
          for n in range(1, pages + 1)),
    ])
    return [(f"{prefix}A", "Case A", "Europe", "Copyright reform", "Active", "2021-03-01")]


def budget(cfg: Config, retries: int, wait: float = 0.2, max_wait: float = 1.0) -> Config:
    return dataclasses.replace(cfg, wiki=dataclasses.replace(
        cfg.wiki, max_retries=retries, retry_wait=wait, retry_max_wait=max_wait))


def gaps(seen: list[Seen]) -> list[float]:
    return [round(b.t - a.t, 3) for a, b in itertools.pairwise(seen)]


# ---------------------------------------------------------------------------------------------
# Maxlag, for real


def test_real_maxlag_beyond_the_budget_ends_with_a_clear_error_and_the_next_run_completes(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, request_log: RequestLog,
    before_edit: EditHook,
) -> None:
    rows = world(devwiki, prefix)
    cfg = budget(fcfg, retries=1)
    before_edit.at(1, lambda _t: set_maxlag(devwiki, 8))
    mark = request_log.mark()
    try:
        result = run("index", cfg)
    finally:
        set_maxlag(devwiki, None)
    ended = time.time()
    attempts = bot_edits(request_log, mark)
    # from the first lagged edit to the job's end: reading the cases before it grows with
    # everything else on the test wiki, and is not what the retry budget bounds
    elapsed = ended - attempts[0].ts
    # the first try and one retry, waiting the Retry-After of 5 s MediaWiki sent: no hammering
    assert [r.params["title"] for r in attempts] == [f"{prefix}Index1"] * 2
    assert attempts[1].ts - attempts[0].ts >= 4.5
    assert all(r.params["maxlag"] == "5" for r in attempts)
    assert elapsed < 30
    assert result.exit_code == 1
    assert result.error.startswith("the wiki stayed lagged past the retry budget"), result.error
    for n in (1, 2):
        assert admin.page_text(f"{prefix}Index{n}") == index_page(before=f"Page {n}.")
    again = run("index", cfg)
    assert again.exit_code == 0, again.error
    for n in (1, 2):
        assert admin.page_text(f"{prefix}Index{n}") == indexed_text(rows, before=f"Page {n}.")
        assert len(bot_revisions(admin, f"{prefix}Index{n}")) == 1


def test_real_maxlag_that_passes_within_the_budget_is_waited_out(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, request_log: RequestLog,
    before_edit: EditHook,
) -> None:
    rows = world(devwiki, prefix)
    cfg = budget(fcfg, retries=3)
    timers: list[threading.Timer] = []

    def lag_for_two_seconds(_title: str) -> None:
        set_maxlag(devwiki, 8)
        timers.append(threading.Timer(2.0, set_maxlag, (devwiki, None)))
        timers[0].start()

    before_edit.at(1, lag_for_two_seconds)
    mark = request_log.mark()
    try:
        result = run("index", cfg)
    finally:
        for timer in timers:
            timer.cancel()
        set_maxlag(devwiki, None)
    assert result.exit_code == 0, result.error
    attempts = [r.params["title"] for r in bot_edits(request_log, mark)]
    assert attempts == [f"{prefix}Index1", f"{prefix}Index1", f"{prefix}Index2"]
    for n in (1, 2):
        assert admin.page_text(f"{prefix}Index{n}") == indexed_text(rows, before=f"Page {n}.")
        assert len(bot_revisions(admin, f"{prefix}Index{n}")) == 1


# ---------------------------------------------------------------------------------------------
# The stand-in: 503/504 bursts, ratelimited, lost responses, lag with exact timings


def standin_run(standin: StandinWiki, cfg: Config, tmp_path: Path) -> Any:
    scfg = standin.config(cfg, tmp_path)
    session = open_session(scfg)
    t0 = time.monotonic()
    result = run("index", scfg, session)
    return result, time.monotonic() - t0


def test_standin_503_burst_within_the_budget_completes_with_growing_waits(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, tmp_path: Path,
) -> None:
    rows = world(devwiki, prefix)
    with StandinWiki(devwiki) as standin:
        standin.add(Fault("http503", action="edit", times=2))
        result, _elapsed = standin_run(standin, budget(fcfg, retries=2), tmp_path)
        edits = standin.requests("edit")
    assert result.exit_code == 0, result.error
    assert [(s.title, s.fault, s.status) for s in edits] == [
        (f"{prefix}Index1", "http503", 503), (f"{prefix}Index1", "http503", 503),
        (f"{prefix}Index1", "", 200), (f"{prefix}Index2", "", 200)]
    # exponential back-off: 0.2 s, then 0.4 s (the preflight check runs once, before the burst)
    first, second = gaps(edits[:3])
    assert first >= 0.2 and second >= 0.4
    for n in (1, 2):
        assert admin.page_text(f"{prefix}Index{n}") == indexed_text(rows, before=f"Page {n}.")
        assert len(bot_revisions(admin, f"{prefix}Index{n}")) == 1


def test_standin_504s_beyond_the_budget_end_the_job_with_a_clear_error(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, tmp_path: Path,
) -> None:
    world(devwiki, prefix)
    with StandinWiki(devwiki) as standin:
        standin.add(Fault("http504", action="edit", times=None))
        result, elapsed = standin_run(standin, budget(fcfg, retries=2), tmp_path)
        edits = standin.requests("edit")
    assert result.exit_code == 1
    assert result.error.startswith("the wiki did not answer (HTTP 504)"), result.error
    # 1 try + 2 retries of the first page, then the job stops: the second page is not tried
    assert [(s.title, s.status) for s in edits] == [(f"{prefix}Index1", 504)] * 3
    assert all(g >= 0.2 for g in gaps(edits)) and elapsed < 20
    for n in (1, 2):
        assert admin.page_text(f"{prefix}Index{n}") == index_page(before=f"Page {n}.")


def test_standin_ratelimited_on_the_second_edit_backs_off_and_completes(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, tmp_path: Path,
) -> None:
    rows = world(devwiki, prefix, pages=3)
    with StandinWiki(devwiki) as standin:
        standin.add(Fault("ratelimited", action="edit", skip=1, times=1))
        result, _elapsed = standin_run(standin, budget(fcfg, retries=2), tmp_path)
        edits = standin.requests("edit")
    assert result.exit_code == 0, result.error
    assert [(s.title, s.fault) for s in edits] == [
        (f"{prefix}Index1", ""), (f"{prefix}Index2", "ratelimited"), (f"{prefix}Index2", ""),
        (f"{prefix}Index3", "")]
    assert edits[2].t - edits[1].t >= 0.2
    for n in (1, 2, 3):
        assert admin.page_text(f"{prefix}Index{n}") == indexed_text(rows, before=f"Page {n}.")
        assert len(bot_revisions(admin, f"{prefix}Index{n}")) == 1


def test_standin_ratelimited_without_end_stops_within_the_budget(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, tmp_path: Path,
) -> None:
    world(devwiki, prefix)
    with StandinWiki(devwiki) as standin:
        standin.add(Fault("ratelimited", action="edit", times=None))
        result, elapsed = standin_run(standin, budget(fcfg, retries=2), tmp_path)
        edits = standin.requests("edit")
    assert result.exit_code == 1
    assert result.error.startswith(
        "the wiki kept refusing the request with 'ratelimited' (gave up after 2 retries): "
        "As an anti-abuse measure"), result.error
    assert len(edits) == 3 and all(g >= 0.2 for g in gaps(edits)) and elapsed < 20
    assert admin.page_text(f"{prefix}Index1") == index_page(before="Page 1.")


def test_standin_maxlag_on_the_nth_write_honours_retry_after(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, tmp_path: Path,
) -> None:
    """A lag error with `Retry-After: 2` on the second edit only: the bot waits about that
    long (not less: no tight loop; not the 30 s of lag reported) and completes."""
    rows = world(devwiki, prefix)
    with StandinWiki(devwiki) as standin:
        standin.add(Fault("maxlag", action="edit", skip=1, times=1, lag=30, retry_after=2))
        result, _elapsed = standin_run(standin, budget(fcfg, retries=2, max_wait=3),
                                       tmp_path)
        edits = standin.requests("edit")
    assert result.exit_code == 0, result.error
    assert [(s.title, s.fault) for s in edits] == [
        (f"{prefix}Index1", ""), (f"{prefix}Index2", "maxlag"), (f"{prefix}Index2", "")]
    assert 1.8 <= edits[2].t - edits[1].t < 10
    for n in (1, 2):
        assert admin.page_text(f"{prefix}Index{n}") == indexed_text(rows, before=f"Page {n}.")


def test_standin_response_lost_after_the_save_is_not_saved_twice(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, tmp_path: Path,
    request_log: RequestLog,
) -> None:
    """The wiki saves the first edit but the answer never arrives: the bot retries the same
    request; the page gets the bot's text exactly once and the job completes."""
    rows = world(devwiki, prefix)
    mark = request_log.mark()
    with StandinWiki(devwiki) as standin:
        standin.add(Fault("drop-after-save", action="edit", times=1))
        result, _elapsed = standin_run(standin, budget(fcfg, retries=2), tmp_path)
        edits = standin.requests("edit")
    assert [s.fault for s in edits][:1] == ["drop-after-save"]
    assert result.exit_code == 0, result.error
    real_edits = [r for r in bot_edits(request_log, mark) if r.user == BOT]
    assert len(real_edits) == len(edits)
    for n in (1, 2):
        assert admin.page_text(f"{prefix}Index{n}") == indexed_text(rows, before=f"Page {n}.")
        assert len(bot_revisions(admin, f"{prefix}Index{n}")) == 1
