"""The scheduler without a wiki: cron meaning, job defaults, firing, overlap, crashes, stops, locks.

Jobs are stand-ins (`fire` functions) driven by real APScheduler triggers firing every second or
faster, so the whole file runs in a few seconds. The real jobs against the real wiki are in
tests/wiki/test_ops.py.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bots.config.cron import parse_cron
from bots.config.load import load_config
from bots.config.model import Config, ConfigError
from bots.errors import EXIT_JOB_FAILED, EXIT_OK, EXIT_SHUTOFF, LockBusyError
from bots.operations.locking import job_lock, lock_holder
from bots.operations.runlog import read_run_records
from bots.operations.scheduler import (
    build_scheduler,
    cron_trigger,
    fire_job,
    job_defaults,
    next_run_time,
    run_once,
    run_scheduler,
)
from bots.progress import progress
from bots.run_options import RunOptions
from bots.shutdown import (
    StopRequested,
    graceful_stop,
    raise_if_stop_requested,
    request_stop,
    reset,
    stop_requested,
)
from bots.wiki.session import WikiSession

REPO = Path(__file__).resolve().parents[2]
DEVWIKI_CONFIG = REPO / "config" / "devwiki.toml"
WEDNESDAY = datetime(2025, 1, 1, 12, 0, 30, tzinfo=UTC)


@pytest.fixture
def cfg(tmp_path: Path) -> Config:
    base = load_config(DEVWIKI_CONFIG)
    return dataclasses.replace(
        base, runtime=dataclasses.replace(base.runtime, state_dir=str(tmp_path / "state"))
    )


@pytest.fixture(autouse=True)
def _fresh_stop_flag() -> Iterator[None]:
    reset()
    yield
    reset()


def every_second() -> object:
    from apscheduler.triggers.cron import CronTrigger

    return CronTrigger(second="*", timezone="UTC")


def every(seconds: float) -> object:
    from apscheduler.triggers.interval import IntervalTrigger

    return IntervalTrigger(seconds=seconds, timezone="UTC")


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def start_in_thread(
    cfg: Config, jobs: list[str], fire: Callable[[str], int], triggers: dict[str, object]
) -> tuple[threading.Thread, dict[str, object]]:
    """run_scheduler with a BackgroundScheduler in a thread; stop it with request_stop()."""
    from apscheduler.schedulers.background import BackgroundScheduler

    result: dict[str, object] = {}

    def target() -> None:
        try:
            result["code"] = run_scheduler(
                cfg, jobs, fire, scheduler_class=BackgroundScheduler, triggers=triggers,
                handle_signals=False,
            )
        except Exception as exc:  # surfaced by the test
            result["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, result


# ------------------------------------------------------------------------------------ cron
def test_weekday_numbers_mean_what_cron_means() -> None:
    # APScheduler 3's from_crontab would run "* * 1" on Tuesdays; cron means Monday.
    monday = datetime(2025, 1, 6, 7, 0, tzinfo=UTC)
    for expression in ("0 7 * * 1", "0 7 * * mon", "0 7 * * MON"):
        assert cron_trigger(expression).get_next_fire_time(None, WEDNESDAY) == monday
    sunday = datetime(2025, 1, 5, 7, 0, tzinfo=UTC)
    for expression in ("0 7 * * 0", "0 7 * * 7", "0 7 * * sun"):
        assert cron_trigger(expression).get_next_fire_time(None, WEDNESDAY) == sunday
    assert parse_cron("0 0 * * */2").values[4] == {0, 2, 4, 6}  # sun, tue, thu, sat
    assert parse_cron("0 0 * * mon-fri").values[4] == {1, 2, 3, 4, 5}


def test_default_schedules_of_the_issue(cfg: Config) -> None:
    assert next_run_time(cfg, "index", WEDNESDAY) == datetime(2025, 1, 1, 13, 0, tzinfo=UTC)
    assert next_run_time(cfg, "translations", WEDNESDAY) == datetime(
        2025, 1, 1, 18, 0, tzinfo=UTC
    )
    assert next_run_time(cfg, "digest", WEDNESDAY) == datetime(2025, 1, 6, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("61 * * * *", "outside 0-59"),
        ("0 7 1 * mon", "restrict only one"),
        ("5/15 * * * *", "as a range"),
        ("0 7 * * funday", "not a number"),
    ],
)
def test_bad_schedule_is_a_config_error_naming_the_key(
    cfg: Config, expression: str, reason: str
) -> None:
    bad = dataclasses.replace(cfg, schedule=dataclasses.replace(cfg.schedule, digest=expression))
    with pytest.raises(ConfigError) as err:
        next_run_time(bad, "digest")
    assert err.value.key == "schedule.digest"
    assert reason in err.value.reason


def test_unknown_time_zone_is_a_config_error(cfg: Config) -> None:
    bad = dataclasses.replace(cfg, schedule=dataclasses.replace(cfg.schedule, timezone="Mars/Base"))
    with pytest.raises(ConfigError) as err:
        build_scheduler(bad, ["index"], lambda job: 0)
    assert err.value.key == "schedule.timezone"


def test_a_time_zone_shifts_the_slot(cfg: Config) -> None:
    berlin = dataclasses.replace(
        cfg, schedule=dataclasses.replace(cfg.schedule, timezone="Europe/Berlin")
    )
    # 07:00 in Berlin in January is 06:00 UTC
    assert next_run_time(berlin, "digest", WEDNESDAY) == datetime(2025, 1, 6, 6, 0, tzinfo=UTC)


# ------------------------------------------------------------------------------------ defaults
def test_job_defaults_reach_every_job(cfg: Config) -> None:
    from apscheduler.schedulers.background import BackgroundScheduler

    assert job_defaults(cfg) == {"max_instances": 1, "coalesce": True, "misfire_grace_time": 3600}
    scheduler = build_scheduler(
        cfg, ["index", "translations", "digest"], lambda job: 0,
        scheduler_class=BackgroundScheduler,
    )
    scheduler.start(paused=True)
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
        assert set(jobs) == {"index", "translations", "digest"}
        for job in jobs.values():
            # set through job_defaults: a constructor argument would be ignored (1 s default)
            assert job.misfire_grace_time == 3600
            assert job.coalesce is True
            assert job.max_instances == 1
        assert str(jobs["digest"].trigger) == (
            "cron[month='*', day='*', day_of_week='mon', hour='7', minute='0']"
        )
    finally:
        scheduler.shutdown(wait=False)


# ------------------------------------------------------------------------------------ firing
def test_jobs_fire_from_their_triggers_and_stop_cleanly(cfg: Config) -> None:
    calls: list[str] = []
    thread, result = start_in_thread(
        cfg, ["index", "digest"], lambda job: calls.append(job) or 0,
        {"index": every_second(), "digest": every_second()},
    )
    assert wait_until(lambda: calls.count("index") >= 2 and calls.count("digest") >= 2, 4.5)
    request_stop("test")
    thread.join(5)
    assert not thread.is_alive()
    assert result == {"code": EXIT_OK}


def test_an_overlapping_run_of_a_job_is_refused(
    cfg: Config, caplog: pytest.LogCaptureFixture
) -> None:
    running = 0
    most = 0
    started = 0
    lock = threading.Lock()

    def slow(job: str) -> int:
        nonlocal running, most, started
        with lock:
            running += 1
            started += 1
            most = max(most, running)
        time.sleep(0.6)
        with lock:
            running -= 1
        return 0

    caplog.set_level(logging.WARNING, logger="apscheduler")
    thread, _ = start_in_thread(cfg, ["index"], slow, {"index": every(0.2)})
    assert wait_until(lambda: started >= 1)
    time.sleep(0.8)
    request_stop("test")
    thread.join(5)
    assert most == 1
    assert started <= 2  # ~7 slots passed during two 0.6 s runs
    assert "maximum number of running instances reached" in caplog.text


def test_a_crashing_job_is_logged_and_retried_while_others_go_on(
    cfg: Config, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[str] = []

    def fire(job: str) -> int:
        calls.append(job)
        if job == "index":
            raise RuntimeError("boom in the index job")
        return 0

    caplog.set_level(logging.INFO, logger="bots.operations.scheduler")
    thread, result = start_in_thread(
        cfg, ["index", "digest"], fire, {"index": every(0.3), "digest": every(0.3)}
    )
    assert wait_until(lambda: calls.count("index") >= 2 and calls.count("digest") >= 2)
    request_stop("test")
    thread.join(5)
    assert result == {"code": EXIT_OK}
    assert "job index crashed; it runs again at its next slot" in caplog.text
    assert "Traceback" in caplog.text and "RuntimeError: boom in the index job" in caplog.text


def test_a_shutoff_pauses_work_but_the_scheduler_keeps_checking(cfg: Config) -> None:
    calls: list[str] = []
    thread, result = start_in_thread(
        cfg, ["index"], lambda job: calls.append(job) or EXIT_SHUTOFF, {"index": every(0.15)}
    )
    assert wait_until(lambda: len(calls) >= 3)
    request_stop("test")
    thread.join(5)
    assert result == {"code": EXIT_OK}


def test_stop_waits_for_the_running_job_and_starts_no_other(cfg: Config) -> None:
    events: list[str] = []

    def fire(job: str) -> int:
        events.append(f"start {job}")
        time.sleep(0.5)
        events.append(f"end {job}")
        return 0

    thread, result = start_in_thread(
        cfg, ["index", "digest"], fire, {"index": every(0.2), "digest": every(0.2)}
    )
    assert wait_until(lambda: bool(events))
    request_stop("test")
    thread.join(5)
    assert result == {"code": EXIT_OK}
    assert events == [events[0], events[0].replace("start", "end")]


def test_fire_job_records_a_session_that_cannot_be_opened(cfg: Config) -> None:
    def wiki_down(config: Config, simulate: bool) -> WikiSession:
        raise ConnectionError("Connection refused lgpassword=hunter2")

    code = fire_job("index", cfg, RunOptions(), open_session=wiki_down)
    assert code == EXIT_JOB_FAILED
    [record] = list(read_run_records(cfg))
    assert (record.job, record.outcome, record.exit_code) == ("index", "failed", 1)
    assert "Connection refused" in record.errors[0]
    assert "hunter2" not in record.errors[0]


def test_fire_job_does_not_start_after_a_stop_request(cfg: Config) -> None:
    def must_not_open(config: Config, simulate: bool) -> WikiSession:
        raise AssertionError("opened a session after a stop request")

    request_stop("test")
    assert fire_job("index", cfg, RunOptions(), open_session=must_not_open) == EXIT_OK
    assert list(read_run_records(cfg)) == []


def test_run_once_fires_in_order_and_returns_the_worst_code() -> None:
    codes = {"index": EXIT_OK, "translations": EXIT_JOB_FAILED, "digest": EXIT_OK}
    calls: list[str] = []
    assert run_once(list(codes), lambda j: calls.append(j) or codes[j], handle_signals=False) == 1
    assert calls == ["index", "translations", "digest"]


def test_run_once_stops_at_a_shutoff_and_survives_a_crash() -> None:
    calls: list[str] = []

    def fire(job: str) -> int:
        calls.append(job)
        if job == "index":
            raise ValueError("crash")
        return EXIT_SHUTOFF if job == "translations" else EXIT_OK

    assert run_once(["index", "translations", "digest"], fire, handle_signals=False) == 3
    assert calls == ["index", "translations"]


# ------------------------------------------------------------------------------------ signals
_SCHEDULER_SCRIPT = """
import dataclasses, logging, sys, time
logging.basicConfig(level=logging.INFO)
from apscheduler.triggers.cron import CronTrigger
from bots.config.load import load_config
from bots.operations.scheduler import run_scheduler

cfg = load_config(sys.argv[1])
cfg = dataclasses.replace(cfg, runtime=dataclasses.replace(cfg.runtime, state_dir=sys.argv[2]))
def fire(job):
    print("start", job, flush=True)
    time.sleep(0.5)
    print("end", job, flush=True)
    return 0
code = run_scheduler(cfg, ["index"], fire, triggers={"index": CronTrigger(second="*")})
print("exit", code, flush=True)
sys.exit(code)
"""


def test_sigterm_lets_the_running_job_finish_then_exits_0(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", _SCHEDULER_SCRIPT, str(DEVWIKI_CONFIG), str(tmp_path / "state")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "start index"
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert out.splitlines() == ["end index", "exit 0"]
    assert "SIGTERM received: finishing the running edit" in err
    assert "scheduler stopped cleanly" in err


def test_graceful_stop_turns_signals_into_a_flag_and_restores_handlers() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with graceful_stop():
        os.kill(os.getpid(), signal.SIGTERM)
        assert wait_until(stop_requested, 2)
        with pytest.raises(StopRequested, match="SIGTERM received; stopped before the next edit"):
            raise_if_stop_requested()
    assert signal.getsignal(signal.SIGTERM) is before


# ------------------------------------------------------------------------------------ locks
_HOLDER_SCRIPT = """
import dataclasses, sys, time
from bots.config.load import load_config
from bots.operations.locking import job_lock, scheduler_lock
cfg = load_config(sys.argv[1])
cfg = dataclasses.replace(cfg, runtime=dataclasses.replace(cfg.runtime, state_dir=sys.argv[2]))
lock = scheduler_lock(cfg) if sys.argv[3] == "scheduler" else job_lock(cfg, sys.argv[3])
with lock:
    print("locked", flush=True)
    time.sleep(float(sys.argv[4]))
"""


HoldLock = Callable[[str, float], "subprocess.Popen[str]"]


@pytest.fixture
def hold_lock(cfg: Config) -> Iterator[HoldLock]:
    """Start another process that holds a lock for some seconds (two real processes)."""
    procs: list[subprocess.Popen[str]] = []

    def start(name: str, seconds: float) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-c", _HOLDER_SCRIPT, str(DEVWIKI_CONFIG),
             cfg.runtime.state_dir, name, str(seconds)],
            stdout=subprocess.PIPE, text=True, cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        procs.append(proc)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        return proc

    yield start
    for proc in procs:
        proc.kill()
        proc.wait()


def test_a_second_run_of_a_job_exits_with_a_clear_message(cfg: Config, hold_lock: HoldLock) -> None:
    holder = hold_lock("index", 30)
    assert f"pid {holder.pid}" in (lock_holder(cfg, "index") or "")
    started = time.monotonic()
    with pytest.raises(LockBusyError) as err, job_lock(cfg, "index", wait_seconds=0):
        pass
    assert time.monotonic() - started < 2
    assert "another run of job 'index' is already running" in str(err.value)
    assert f"pid {holder.pid}" in str(err.value)
    assert err.value.exit_code == EXIT_JOB_FAILED
    with job_lock(cfg, "digest"):  # other jobs are not affected
        pass


def test_a_second_run_waits_for_the_lock_when_configured(cfg: Config, hold_lock: HoldLock) -> None:
    hold_lock("index", 0.6)
    started = time.monotonic()
    with job_lock(cfg, "index", wait_seconds=10):
        waited = time.monotonic() - started
    assert 0.2 < waited < 5
    assert lock_holder(cfg, "index") is None


def test_a_second_scheduler_for_the_same_wiki_is_refused(cfg: Config, hold_lock: HoldLock) -> None:
    hold_lock("scheduler", 30)
    with pytest.raises(LockBusyError, match="a scheduler for this wiki is already running"):
        run_scheduler(cfg, ["index"], lambda job: 0, handle_signals=False)


# ------------------------------------------------------------------------------------ CLI
def test_cli_rejects_an_unknown_job(capsys: pytest.CaptureFixture[str]) -> None:
    from bots.operations.cli import main

    assert main(["--config", str(DEVWIKI_CONFIG), "schedule", "--jobs", "index,nope"]) == 2
    assert "unknown job(s) nope" in capsys.readouterr().err


# ------------------------------------------------------------------------------------ progress
class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_silent_off_a_terminal() -> None:
    stream = io.StringIO()
    assert list(progress(range(5), label="pages", stream=stream)) == [0, 1, 2, 3, 4]
    assert stream.getvalue() == ""


def test_progress_draws_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bots.progress.REDRAW_SECONDS", 0.0)
    stream = _Terminal()
    items = []
    for item in progress([1, 2, 3], label="pages", stream=stream):
        items.append(item)
    assert items == [1, 2, 3]
    text = stream.getvalue()
    assert "pages: 1/3 (33%)" in text
    assert text.endswith("pages: 3 done in " + text.rsplit("done in ", 1)[1])
    assert text.endswith(" s\n")


def test_progress_can_be_forced_either_way() -> None:
    quiet = _Terminal()
    list(progress(range(3), label="x", enabled=False, stream=quiet))
    assert quiet.getvalue() == ""
    loud = io.StringIO()
    list(progress(range(3), label="x", enabled=True, stream=loud))
    assert "x: 3 done" in loud.getvalue()

