"""`advocacy-hub watch` against the real local wiki, as real processes (issue 15).

Each `watch --once` is a fresh process: its position comes from the wiki (the bot's latest
edit), so every step below is also a restart. Intervals are short and the number of polls is
bounded; nothing sleeps longer than it takes the wiki to answer.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bots.errors import EXIT_OK
from tests.faults.cli_runs import run_cli, start, write_config
from tests.support import Devwiki, RequestLog, WikiClient
from tests.support.devwiki import import_pages

INDEX = "Cases:\n{{Advocacy case index}}\n{{Advocacy case index end}}\n"


def case(title: str) -> str:
    return (f"{{{{Advocacy case\n|title = {title}\n|region = europe\n|status = active\n"
            "|topic = copyright\n}}")


def watch_config(folder: Path, prefix: str, **watch: str | float) -> Path:
    cfg = write_config(folder, prefix)
    if watch:
        lines = "\n".join(f"{k} = {v!r}".replace("'", '"') for k, v in watch.items())
        cfg.write_text(cfg.read_text("utf-8") + f"\n[watch]\n{lines}\n", "utf-8")
    return cfg


def region(admin: WikiClient, title: str) -> str:
    text = admin.page_text(title) or ""
    return text.split("{{Advocacy case index}}", 1)[1].split("{{Advocacy case index end}}")[0]


def bot_requests(log: RequestLog, mark: int) -> list[dict[str, str]]:
    return [dict(r.params) for r in log.since(mark) if "AdvocacyHubBot" in (r.user_agent or "")]


def watch_once(devwiki: Devwiki, cfg: Path) -> subprocess.CompletedProcess[str]:
    proc = run_cli(devwiki, cfg, "watch", "--once", "--interval", "0.1")
    assert proc.returncode == EXIT_OK, proc.stdout + proc.stderr
    return proc


def test_edit_rename_and_delete_each_after_a_restart(
    devwiki: Devwiki, tmp_path: Path, prefix: str, admin: WikiClient, request_log: RequestLog
) -> None:
    cfg = watch_config(tmp_path, prefix)
    for name in ("Alpha", "Beta"):
        admin.edit(f"{prefix}{name}", case(f"{name} case"), "case")
    admin.edit(f"{prefix}Index", INDEX, "index page")
    admin.edit(f"{prefix}Other index", INDEX, "second index page")
    assert run_cli(devwiki, cfg, "run", "index").returncode == EXIT_OK
    assert "Alpha case" in region(admin, f"{prefix}Index")

    # an edit: both views that list the case show it, in one poll
    admin.edit(f"{prefix}Alpha", case("Alpha renamed in text"), "new title")
    assert not (tmp_path / "state" / "watch.json").exists()  # the position: from the wiki
    mark = request_log.mark()
    proc = watch_once(devwiki, cfg)
    assert "index: " in proc.stdout
    for index in ("Index", "Other index"):
        assert "Alpha renamed in text" in region(admin, f"{prefix}{index}")
    polls = [p for p in bot_requests(request_log, mark) if p.get("list") == "recentchanges"]
    assert len(polls) == 1

    # a rename (move with a redirect left behind): the new title is listed, the old one not
    admin.move(f"{prefix}Beta", f"{prefix}Beta moved", "rename")
    watch_once(devwiki, cfg)
    shown = region(admin, f"{prefix}Index")
    assert f"{prefix}Beta moved|Beta case]]" in shown, shown
    assert f"{prefix}Beta|" not in shown

    # a deletion
    admin.delete(f"{prefix}Alpha", "gone")
    watch_once(devwiki, cfg)
    for index in ("Index", "Other index"):
        assert "Alpha renamed in text" not in region(admin, f"{prefix}{index}")
        assert "Beta case" in region(admin, f"{prefix}{index}")

    # nothing new: a poll, no job
    again = watch_once(devwiki, cfg)
    assert "index: " not in again.stdout


def test_idle_costs_one_request_per_interval(
    devwiki: Devwiki, tmp_path: Path, prefix: str, request_log: RequestLog
) -> None:
    cfg = watch_config(tmp_path, prefix)
    mark = request_log.mark()
    proc = run_cli(devwiki, cfg, "watch", "--iterations", "4", "--interval", "0.2")
    assert proc.returncode == EXIT_OK, proc.stderr
    sent = bot_requests(request_log, mark)
    first = next(i for i, p in enumerate(sent) if p.get("list") == "recentchanges")
    after = sent[first:]
    assert len(after) == 4, after  # every request after the start is one poll
    assert all(p.get("list") == "recentchanges" for p in after)
    assert "rcexcludeuser" in after[0] and "User:AdvocacyBot/Run" in after[0].get("titles", "")


@pytest.mark.parametrize("command", [("watch", "--interval", "1", "--iterations", "60"),
                                     ("schedule", "--watch", "--jobs", "digest")])
def test_a_running_watcher_shows_an_edit_within_one_interval(
    devwiki: Devwiki, tmp_path: Path, prefix: str, admin: WikiClient, command: tuple[str, ...]
) -> None:
    """Alone or as a job of the scheduler (`schedule --watch`, [watch] interval_seconds)."""
    cfg = watch_config(tmp_path, prefix, interval_seconds=1.0)
    admin.edit(f"{prefix}Gamma", case("Gamma case"), "case")
    admin.edit(f"{prefix}Index", INDEX, "index page")
    assert run_cli(devwiki, cfg, "run", "index").returncode == EXIT_OK
    watch_once(devwiki, cfg)  # the setup's own changes: the watcher below starts after them
    proc = start(devwiki, cfg, *command)
    try:
        deadline = time.monotonic() + 30
        while "following recent changes" not in (line := proc.stderr.readline() if proc.stderr
                                                 else ""):
            assert line and time.monotonic() < deadline, "the watcher did not start"
        edited = time.monotonic()
        admin.edit(f"{prefix}Gamma", case("Gamma case, now longer"), "edit")
        while "Gamma case, now longer" not in region(admin, f"{prefix}Index"):
            assert time.monotonic() - edited < 15, "no update within the interval"
            time.sleep(0.2)
        latency = time.monotonic() - edited
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=60)
    assert proc.returncode == EXIT_OK, err
    assert latency < 15


def test_an_editor_asks_for_a_refresh_on_the_request_page(
    devwiki: Devwiki, tmp_path: Path, prefix: str, admin: WikiClient
) -> None:
    """A page the bot has never filled, older than anything the watcher looks at: linking it on
    the request page refreshes it (and only it) at the next poll."""
    request = f"{prefix}Refresh"
    cfg = watch_config(tmp_path, prefix, request_page=request)
    import_pages(devwiki, [
        {"title": f"{prefix}Delta", "text": case("Delta case"), "age_days": 3},
        {"title": f"{prefix}Old index", "text": INDEX, "age_days": 3},
        {"title": f"{prefix}Untouched index", "text": INDEX, "age_days": 3},
    ])
    watch_once(devwiki, cfg)  # nothing recent: nothing done
    assert "Delta case" not in region(admin, f"{prefix}Old index")

    admin.edit(request, f"Please refresh [[{prefix}Old index]] — thanks ~~~~", "refresh")
    proc = watch_once(devwiki, cfg)
    assert "Delta case" in region(admin, f"{prefix}Old index")
    assert "Delta case" not in region(admin, f"{prefix}Untouched index")  # only what was asked
    assert re.search(r"index: \d+ pages read, 1 edited", proc.stdout), proc.stdout


_HOLD = """
import sys, time
from bots.config.load import load_config
from bots.operations.locking import job_lock
with job_lock(load_config(sys.argv[1]), "index"):
    print("locked", flush=True)
    sys.stdin.readline()
"""


def test_a_held_job_lock_keeps_the_changes_for_the_next_poll(
    devwiki: Devwiki, tmp_path: Path, prefix: str, admin: WikiClient
) -> None:
    """The watcher shares the jobs' locks: while a scheduled run holds the index job, the
    watcher's run waits for its next poll and the change is not lost."""
    cfg = watch_config(tmp_path, prefix)
    admin.edit(f"{prefix}Epsilon", case("Epsilon case"), "case")
    admin.edit(f"{prefix}Index", INDEX, "index page")
    assert run_cli(devwiki, cfg, "run", "index").returncode == EXIT_OK
    watch_once(devwiki, cfg)
    admin.edit(f"{prefix}Epsilon", case("Epsilon case, edited"), "edit")
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(cfg)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[2])
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        busy = run_cli(devwiki, cfg, "watch", "--once", "--interval", "0.1")
        assert "Epsilon case, edited" not in region(admin, f"{prefix}Index")
        assert "lock" in busy.stderr
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(30)
    watch_once(devwiki, cfg)
    assert "Epsilon case, edited" in region(admin, f"{prefix}Index")
