"""Operations against the real local wiki: shutoff, scheduler firings, locks, status, secrets.

A test-only job, `opstest`, edits N pages under the test's prefix through the bot's one save
gate (`bots.wiki.saves.save_page`); tests register it in `bots.operations.jobs.JOBS`, and
subprocesses import it from this file. Between edits it calls back into the test, which acts
as a person on the wiki (Tester1 editing the shutoff page).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import bots.operations.jobs
from bots.config.model import Config
from bots.errors import EXIT_JOB_FAILED, EXIT_OK, EXIT_SHUTOFF, EXIT_USAGE
from bots.operations.jobs import run_job
from bots.operations.runlog import read_run_records, run_log_path
from bots.operations.scheduler import fire_job, run_scheduler
from bots.outcomes import JobReport
from bots.run_options import RunOptions
from bots.shutdown import StopRequested, raise_if_stop_requested, request_stop, reset
from bots.wiki.connect import open_session
from bots.wiki.session import WikiSession
from tests.support.devwiki import Devwiki
from tests.support.mwapi import WikiClient

REPO = Path(__file__).resolve().parents[2]
SHUTOFF = "User:AdvocacyBot/Run"
TOKEN = re.compile(r"[0-9a-f]{32,}(\+|%2B)(\\|%5C)", re.IGNORECASE)

# ------------------------------------------------------------------------------ the test job
# In this process tests set PLAN; a subprocess gets it from OPS_* environment variables.
PLAN: dict[str, Any] = {}


def _plan() -> dict[str, Any]:
    return {
        "prefix": os.environ.get("OPS_PREFIX", "Advocacy/T-ops/"),
        "count": int(os.environ.get("OPS_COUNT", "2")),
        "pause": float(os.environ.get("OPS_PAUSE", "0")),
        "after_edit": None,
        **PLAN,
    }


def run(
    session: Any, config: Config, options: RunOptions, report: JobReport | None = None
) -> JobReport:
    """The `opstest` job: edit pages `<prefix>Page 0..N-1`, one save each."""
    from bots.wiki.saves import save_page

    plan = _plan()
    report = report if report is not None else JobReport(job="opstest")
    for i in range(plan["count"]):
        # what every job may do between units of work (the save gate does it too)
        raise_if_stop_requested()
        outcome = save_page(
            session, f"{plan['prefix']}Page {i}", lambda base, i=i: f"Edit {i} by the ops test.",
            "ops test edit", may_create=True,
        )
        report.record(outcome)
        print(f"saved {i}", flush=True)
        if plan["after_edit"]:
            plan["after_edit"](i)
        time.sleep(plan["pause"])
    return report


@pytest.fixture(autouse=True)
def opstest_job(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(bots.operations.jobs.JOBS, "opstest", run)
    PLAN.clear()
    reset()
    yield
    PLAN.clear()
    reset()


@pytest.fixture
def shutoff(devwiki: Devwiki, tester1: WikiClient) -> Iterator[Callable[[str], None]]:
    """Set the shutoff page as an ordinary user would; it says `run` again afterwards."""

    def set_to(text: str) -> None:
        tester1.edit(SHUTOFF, text, f"ops test: {text}")

    yield set_to
    WikiClient.login_as(devwiki, "Admin").edit(SHUTOFF, "run", "ops test: back to run")


def config_file(config: Config, tmp_path: Path) -> Path:
    """The test's config as a file, for the CLI (state folder in tmp)."""
    text = Path(config.path).read_text("utf-8").replace(
        'state_dir = "var/state/devwiki"', f'state_dir = "{config.runtime.state_dir}"'
    )
    path = tmp_path / "devwiki.toml"
    path.write_text(text, "utf-8")
    return path


def pages(client: WikiClient, prefix: str, count: int) -> list[str | None]:
    return [client.page_text(f"{prefix}Page {i}") for i in range(count)]


def subprocess_env(prefix: str, count: int, pause: float = 0.0, **extra: str) -> dict[str, str]:
    return {
        **os.environ, "PYTHONPATH": f"{REPO}{os.pathsep}{REPO / 'tests' / 'wiki'}",
        "OPS_PREFIX": prefix, "OPS_COUNT": str(count), "OPS_PAUSE": str(pause), **extra,
    }


# A CLI run with the opstest job registered (a subprocess cannot see monkeypatch).
_CLI = """
import sys
import bots.operations.jobs
import test_ops
bots.operations.jobs.JOBS["opstest"] = test_ops.run
from bots.operations.cli import main
sys.exit(main(sys.argv[1:]))
"""


# ------------------------------------------------------------------------------ shutoff
def test_shutoff_stops_a_job_before_its_first_edit(
    config: Config, prefix: str, shutoff: Callable[[str], None], tester2: WikiClient
) -> None:
    shutoff("stop")
    PLAN.update(prefix=prefix, count=3)
    session = open_session(config, False)
    result = run_job("opstest", session, config, RunOptions())
    assert result.exit_code == EXIT_SHUTOFF
    assert "shutoff page User:AdvocacyBot/Run says stop" in result.error
    assert pages(tester2, prefix, 3) == [None, None, None]
    [record] = list(read_run_records(config))
    assert (record.outcome, record.exit_code, record.edits) == ("stopped", 3, 0)


def checked_every(config: Config, edits: int) -> Config:
    """The config with one shutoff check standing for at most ``edits`` edits (the default is
    10; a run here makes only a few)."""
    return dataclasses.replace(config, shutoff=dataclasses.replace(
        config.shutoff, check_max_edits=edits, check_max_age_seconds=600.0))


def test_shutoff_mid_way_stops_within_the_bound_and_the_next_slot_resumes(
    config: Config, prefix: str, shutoff: Callable[[str], None], tester2: WikiClient
) -> None:
    config = checked_every(config, 2)  # the job's check stands for edits 0 and 1

    def community_stops(i: int) -> None:
        if i == 1:  # after the second edit, someone edits the shutoff page
            shutoff("Please stop: the table is broken")

    PLAN.update(prefix=prefix, count=4, after_edit=community_stops)
    assert fire_job("opstest", config, RunOptions()) == EXIT_SHUTOFF
    assert pages(tester2, prefix, 4) == ["Edit 0 by the ops test.", "Edit 1 by the ops test.",
                                         None, None]
    stopped = list(read_run_records(config))[-1]
    assert (stopped.outcome, stopped.exit_code) == ("stopped", 3)
    assert "Please stop" in stopped.errors[0]

    shutoff("run")  # the community lets it run again: the next slot finishes the work
    PLAN["after_edit"] = None
    assert fire_job("opstest", config, RunOptions()) == EXIT_OK
    assert pages(tester2, prefix, 4) == [f"Edit {i} by the ops test." for i in range(4)]
    resumed = list(read_run_records(config))[-1]
    assert (resumed.outcome, resumed.edits) == ("ok", 2)  # pages 0 and 1 were already right


def test_the_run_log_counts_the_edits_made_before_a_stop(
    config: Config, prefix: str, shutoff: Callable[[str], None]
) -> None:
    config = checked_every(config, 2)
    PLAN.update(prefix=prefix, count=3,
                after_edit=lambda i: shutoff("stop") if i == 1 else None)
    assert fire_job("opstest", config, RunOptions()) == EXIT_SHUTOFF
    assert list(read_run_records(config))[-1].edits == 2


# ------------------------------------------------------------------------------ scheduler
def test_the_scheduler_fires_real_jobs_with_fresh_sessions(
    config: Config, prefix: str, tester2: WikiClient
) -> None:
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.interval import IntervalTrigger

    PLAN.update(prefix=prefix, count=1)
    sessions: list[Any] = []

    def fire(job: str) -> int:
        def counted(cfg: Config, simulate: bool) -> WikiSession:
            sessions.append(open_session(cfg, simulate))
            return sessions[-1]

        return fire_job(job, config, RunOptions(), open_session=counted)

    done: dict[str, int] = {}
    thread = threading.Thread(target=lambda: done.update(code=run_scheduler(
        config, ["opstest"], fire, scheduler_class=BackgroundScheduler,
        triggers={"opstest": IntervalTrigger(seconds=0.5)}, handle_signals=False)))
    thread.start()
    deadline = time.monotonic() + 30
    while len(list(read_run_records(config))) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    request_stop("test")
    thread.join(30)
    assert done == {"code": EXIT_OK}
    records = list(read_run_records(config))
    assert len(records) >= 2 and all(r.outcome == "ok" for r in records)
    assert records[0].edits == 1 and records[1].edits == 0  # the second firing found it done
    assert all(r.api_requests > 0 for r in records)
    assert len({id(s) for s in sessions}) == len(sessions)  # a new session per firing
    assert tester2.page_text(f"{prefix}Page 0") == "Edit 0 by the ops test."


def test_schedule_once_and_status_through_the_cli(
    config: Config, prefix: str, tmp_path: Path, tester2: WikiClient
) -> None:
    cfg = config_file(config, tmp_path)
    env = subprocess_env(prefix, 2)
    once = subprocess.run([sys.executable, "-c", _CLI, "--config", str(cfg), "schedule",
                           "--once", "--jobs", "opstest"],
                          capture_output=True, text=True, env=env, cwd=REPO, timeout=120)
    assert once.returncode == EXIT_OK, once.stderr
    assert "job opstest: exit 0: opstest: 0 pages read, 2 edited" in once.stderr
    assert pages(tester2, prefix, 2) == ["Edit 0 by the ops test.", "Edit 1 by the ops test."]

    status = subprocess.run([sys.executable, "-c", _CLI, "--config", str(cfg), "status",
                             "--json"], capture_output=True, text=True, env=env, cwd=REPO,
                            timeout=60)
    assert status.returncode == 0, status.stderr
    data = json.loads(status.stdout)
    assert data["shutoff"] == {"page": SHUTOFF, "state": "run", "text": "run"}
    jobs = {entry["job"]: entry for entry in data["jobs"]}
    [last] = jobs["opstest"]["last_runs"]
    assert (last["outcome"], last["edits"], last["exit_code"]) == ("ok", 2, 0)
    assert last["api_requests"] > 0
    assert jobs["index"]["next_run"] and jobs["digest"]["schedule"] == "0 7 * * mon"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def pywikibot_copy(devwiki: Devwiki, tmp_path: Path) -> Path:
    """A private copy of the wiki's Pywikibot folder (no cookies: the next login is real)."""
    copy = tmp_path / "pwb"
    shutil.copytree(devwiki.pywikibot_dir, copy, ignore=shutil.ignore_patterns(
        "*.lwp", "logs", "apicache*", "throttle.ctrl"))
    return copy


def test_status_answers_when_the_wiki_is_down(
    config: Config, tmp_path: Path, pywikibot_copy: Path
) -> None:
    for family in (pywikibot_copy / "families").glob("*.py"):
        text = family.read_text("utf-8")
        family.write_text(re.sub(r"127\.0\.0\.1:\d+", f"127.0.0.1:{_free_port()}", text), "utf-8")
    cfg = config_file(config, tmp_path)
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "bots.operations.cli", "--config", str(cfg),
                           "status"],
                          capture_output=True, text=True, cwd=REPO, timeout=120,
                          env={**os.environ, "PYWIKIBOT_DIR": str(pywikibot_copy),
                               "PYTHONPATH": str(REPO)})
    assert proc.returncode == 0, proc.stderr
    assert "shutoff:   User:AdvocacyBot/Run: unknown (wiki unreachable" in proc.stdout
    assert "index: cron '0 * * * *' (UTC), next " in proc.stdout
    assert time.monotonic() - started < 60


# ------------------------------------------------------------------------------ locks
_HOLD = """
import dataclasses, sys, time
from bots.config.load import load_config
from bots.operations.locking import job_lock
cfg = load_config(sys.argv[1])
with job_lock(cfg, "opstest"):
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_a_second_run_of_the_same_job_exits_or_waits(
    config: Config, prefix: str, tmp_path: Path, tester2: WikiClient
) -> None:
    """Fault 10: the same job twice on one account. One process holds the job (as a run
    would); the other refuses with a clear message, or, allowed to wait, runs after it."""
    cfg = config_file(config, tmp_path)
    PLAN.update(prefix=prefix, count=2)
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(cfg), "30"],
                              stdout=subprocess.PIPE, text=True, cwd=REPO,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        result = run_job("opstest", open_session(config, False), config, RunOptions())
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == EXIT_JOB_FAILED
    assert "another run of job 'opstest' is already running" in result.error
    assert f"pid {holder.pid}" in result.error
    assert pages(tester2, prefix, 2) == [None, None]  # the refused run wrote nothing
    assert list(read_run_records(config))[-1].outcome == "failed"

    waiting = dataclasses.replace(
        config, runtime=dataclasses.replace(config.runtime, lock_wait_seconds=20.0)
    )
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(cfg), "1.5"],
                              stdout=subprocess.PIPE, text=True, cwd=REPO,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        result = run_job("opstest", open_session(waiting, False), waiting, RunOptions())
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == EXIT_OK, result.error
    assert waited >= 0.5
    assert pages(tester2, prefix, 2) == ["Edit 0 by the ops test.", "Edit 1 by the ops test."]


# ------------------------------------------------------------------------------ stopping
def test_sigterm_during_a_run_finishes_the_edit_and_makes_no_other(
    config: Config, prefix: str, tmp_path: Path, tester2: WikiClient
) -> None:
    cfg = config_file(config, tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-c", _CLI, "--config", str(cfg), "schedule", "--once", "--jobs",
         "opstest"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
        env=subprocess_env(prefix, 5, pause=1.0),
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "saved 0"
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == EXIT_JOB_FAILED, err
    assert out == ""  # no edit after "saved 0"
    assert "SIGTERM received: finishing the running edit" in err
    assert pages(tester2, prefix, 5) == ["Edit 0 by the ops test.", None, None, None, None]
    [record] = list(read_run_records(config))
    assert record.errors == ["SIGTERM received; stopped before the next edit"]


def test_the_save_gate_itself_stops_after_a_stop_request(
    config: Config, prefix: str, tester2: WikiClient
) -> None:
    from bots.wiki.saves import save_page

    session = open_session(config, False)
    request_stop("SIGTERM received")
    with pytest.raises(StopRequested):
        save_page(session, f"{prefix}Page 0", lambda base: "x", "ops test", may_create=True)
    assert tester2.page_text(f"{prefix}Page 0") is None


# ------------------------------------------------------------------------------ credentials
def test_an_unsafe_password_file_is_refused_before_login(
    config: Config, prefix: str, tmp_path: Path, pywikibot_copy: Path, request_log: Any
) -> None:
    """Fault 17: a password file readable by others, or a symlink, is refused; Pywikibot
    would have changed its mode quietly and logged in."""
    password = tmp_path / "private" / "password"
    password.parent.mkdir()
    user_config = pywikibot_copy / "user-config.py"
    original = re.search(r'password_file = "([^"]+)"', user_config.read_text("utf-8"))
    assert original
    shutil.copy(original.group(1), password)
    user_config.write_text(user_config.read_text("utf-8").replace(
        original.group(1), str(password)), "utf-8")
    cfg = config_file(config, tmp_path)
    env = subprocess_env(prefix, 1, PYWIKIBOT_DIR=str(pywikibot_copy))

    for unsafe in ("mode", "symlink"):
        if unsafe == "mode":
            password.chmod(0o644)
        else:
            password.chmod(0o600)
            link = password.with_name("link")
            link.symlink_to(password)
            user_config.write_text(user_config.read_text("utf-8").replace(
                str(password), str(link)), "utf-8")
        mark = request_log.mark()
        proc = subprocess.run([sys.executable, "-c", _CLI, "--config", str(cfg), "schedule",
                               "--once", "--jobs", "opstest"], capture_output=True, text=True,
                              env=env, cwd=REPO, timeout=120)
        assert proc.returncode == EXIT_USAGE, proc.stderr
        assert "refusing to log in" in proc.stderr
        assert not any(r.action in ("login", "clientlogin") for r in request_log.since(mark))
    assert password.stat().st_mode & 0o777 == 0o600
    assert "refusing to log in" in list(read_run_records(config))[-1].errors[0]


def test_no_password_or_token_reaches_any_log(
    devwiki: Devwiki, config: Config, prefix: str, tmp_path: Path, pywikibot_copy: Path
) -> None:
    """Fault 17: a run with Pywikibot's debug log on (it logs every request body, the login
    with its password included) leaves no secret in that log, on stderr or in the run log."""
    cfg = config_file(config, tmp_path)
    proc = subprocess.run(
        [sys.executable, "-c", _CLI, "-debug", "-log:ops-debug.log", "--config", str(cfg),
         "-v", "schedule", "--once", "--jobs", "opstest"],
        capture_output=True, text=True, cwd=REPO, timeout=120,
        env=subprocess_env(prefix, 2, PYWIKIBOT_DIR=str(pywikibot_copy)),
    )
    assert proc.returncode == EXIT_OK, proc.stderr
    debug_log = (pywikibot_copy / "logs" / "ops-debug.log").read_text("utf-8")
    assert "clientlogin" in debug_log or "action=login" in debug_log  # the login was logged
    assert "password=***" in debug_log or "lgpassword=***" in debug_log
    secret = devwiki.credentials.bot_password
    for name, text in (("debug log", debug_log), ("stderr", proc.stderr),
                       ("run log", run_log_path(config).read_text("utf-8"))):
        assert secret not in text, name
        assert not TOKEN.search(text), f"{name}: {TOKEN.search(text)}"
