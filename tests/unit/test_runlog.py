"""The run log (JSON lines, rotation, redaction, concurrent writers) and `status` built on it."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bots.config.load import load_config
from bots.config.model import Config
from bots.operations.commands import collect_status, render_status, shutoff_summary
from bots.operations.locking import job_lock
from bots.operations.runlog import (
    RunRecord,
    append_run_record,
    last_runs,
    read_run_records,
    run_log_path,
)
from bots.wiki.credentials import register_secret
from bots.wiki.records import ShutoffReading

REPO = Path(__file__).resolve().parents[2]
DEVWIKI_CONFIG = REPO / "config" / "devwiki.toml"


@pytest.fixture
def cfg(tmp_path: Path) -> Config:
    base = load_config(DEVWIKI_CONFIG)
    return dataclasses.replace(
        base, runtime=dataclasses.replace(base.runtime, state_dir=str(tmp_path / "state"))
    )


def record(job: str = "index", n: int = 0, **changes: object) -> RunRecord:
    base = RunRecord(
        job=job, wiki="advocacydev:en", start=f"2025-01-01T{n // 60:02d}:{n % 60:02d}:00+00:00",
        end=f"2025-01-01T{n // 60:02d}:{n % 60:02d}:09+00:00", seconds=9.0, outcome="ok",
        exit_code=0, simulate=False, pages_read=120 + n, edits=n, skipped=0, api_requests=14,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_records_round_trip_as_json_lines(cfg: Config) -> None:
    append_run_record(cfg, record(n=1, errors=["x"], notes=["y"]))
    append_run_record(cfg, record("digest", n=2))
    lines = run_log_path(cfg).read_text("utf-8").splitlines()
    assert [json.loads(line)["job"] for line in lines] == ["index", "digest"]
    assert set(json.loads(lines[0])) >= {
        "job", "start", "end", "outcome", "pages_read", "edits", "api_requests", "errors"
    }
    assert list(read_run_records(cfg)) == [record(n=1, errors=["x"], notes=["y"]),
                                           record("digest", n=2)]


def test_damaged_lines_and_unknown_fields_do_not_hide_the_rest(cfg: Config) -> None:
    append_run_record(cfg, record(n=1))
    with run_log_path(cfg).open("a", encoding="utf-8") as fh:
        fh.write('{"job": "index", "trunc\n')
        fh.write("not json at all\n")
        fh.write(json.dumps({**dataclasses.asdict(record(n=2)), "added_later": 1}) + "\n")
    assert [r.edits for r in read_run_records(cfg)] == [1, 2]


def test_the_log_rotates_at_its_size_cap_and_keeps_recent_history(cfg: Config) -> None:
    size = len(json.dumps(dataclasses.asdict(record())))
    for n in range(10):
        append_run_record(cfg, record(n=n), max_bytes=size * 4)
    path = run_log_path(cfg)
    rotated = path.with_name("runs.jsonl.1")
    assert rotated.exists()
    assert path.stat().st_size <= size * 4 + 10 and rotated.stat().st_size <= size * 4 + 10
    kept = [r.edits for r in read_run_records(cfg)]
    assert kept == sorted(kept) and kept[-1] == 9  # oldest first, newest kept
    assert 4 <= len(kept) < 10  # bounded: the oldest rotated out


def test_nothing_secret_is_written(cfg: Config) -> None:
    register_secret("Sup3r-Secret-Bot-Pass")
    append_run_record(cfg, record(
        errors=["login failed: Sup3r-Secret-Bot-Pass",
                "POST action=edit&token=0123456789abcdef0123456789abcdef%2B%5C&lgpassword=x"],
        notes=["('AdvocacyBot', BotPassword('hub', 'pw-in-note'))"],
    ))
    text = run_log_path(cfg).read_text("utf-8")
    for secret in ("Sup3r-Secret-Bot-Pass", "0123456789abcdef0123456789abcdef", "pw-in-note",
                   "lgpassword=x"):
        assert secret not in text
    assert "login failed: ***" in text


_WRITER = """
import dataclasses, sys
from bots.config.load import load_config
from bots.operations.runlog import RunRecord, append_run_record
cfg = load_config(sys.argv[1])
cfg = dataclasses.replace(cfg, runtime=dataclasses.replace(cfg.runtime, state_dir=sys.argv[2]))
for n in range(50):
    append_run_record(cfg, RunRecord(job=sys.argv[3], wiki="w", start=str(n), end=str(n),
        seconds=0.0, outcome="ok", exit_code=0, simulate=False, pages_read=n, edits=0, skipped=0,
        api_requests=0, notes=["x" * 3000]))
"""


def test_concurrent_writers_never_interleave_lines(cfg: Config) -> None:
    procs = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(DEVWIKI_CONFIG),
                          cfg.runtime.state_dir, f"job{i}"],
                         cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
        for i in range(4)
    ]
    assert all(p.wait(30) == 0 for p in procs)
    lines = run_log_path(cfg).read_text("utf-8").splitlines()
    assert len(lines) == 200
    assert all(json.loads(line)["notes"] == ["x" * 3000] for line in lines)


def test_last_runs_are_newest_first_and_limited(cfg: Config) -> None:
    for n in range(6):
        append_run_record(cfg, record("index" if n % 2 else "digest", n=n))
    runs = last_runs(cfg, ["index", "digest", "translations"], per_job=2)
    assert [r.edits for r in runs["index"]] == [5, 3]
    assert [r.edits for r in runs["digest"]] == [4, 2]
    assert runs["translations"] == []


# ------------------------------------------------------------------------------------ status
def unreachable(config: Config) -> ShutoffReading:
    raise ConnectionError("HTTPConnectionPool(host='127.0.0.1', port=9): Connection refused")


def test_status_reports_runs_next_times_and_an_unreachable_wiki(cfg: Config) -> None:
    append_run_record(cfg, record(n=3))
    append_run_record(cfg, record("digest", n=4, outcome="stopped", exit_code=3,
                                  errors=["shutoff page User:AdvocacyBot/Run says stop"]))
    status = collect_status(cfg, probe=unreachable)
    assert status["shutoff"]["state"] == "unknown"
    assert status["shutoff"]["text"].startswith("unknown (wiki unreachable: ConnectionError")
    jobs = {entry["job"]: entry for entry in status["jobs"]}
    assert list(jobs) == ["index", "translations", "digest", "knowledge"]
    assert jobs["index"]["schedule"] == "0 * * * *"
    assert jobs["index"]["next_run"].endswith(":00:00+00:00")
    assert jobs["index"]["last_runs"][0]["edits"] == 3
    assert jobs["digest"]["last_runs"][0]["outcome"] == "stopped"
    assert jobs["translations"]["last_runs"] == []
    json.dumps(status)  # --json output is plain JSON

    text = render_status(status, {e["job"]: [RunRecord(**r) for r in e["last_runs"]]
                                  for e in status["jobs"]})
    assert "shutoff:   User:AdvocacyBot/Run: unknown (wiki unreachable" in text
    assert "translations: cron '0 */6 * * *' (UTC), next " in text
    assert "  no runs recorded" in text
    assert "stopped" in text and "says stop" in text


def test_status_shows_a_stop_and_a_running_job(cfg: Config) -> None:
    reading = ShutoffReading("User:AdvocacyBot/Run", "it says 'stop', not 'run'")
    stop = shutoff_summary(cfg, lambda c: reading)
    assert stop == {"page": "User:AdvocacyBot/Run", "state": "stop",
                    "text": "stop (it says 'stop', not 'run')"}
    with job_lock(cfg, "translations"):
        status = collect_status(cfg, offline=True)
    running = {e["job"]: e["running"] for e in status["jobs"]}
    assert running["translations"].startswith(f"pid {os.getpid()} ")
    assert running["index"] is None
    assert status["shutoff"]["text"] == "unknown (not checked)"


def test_status_command_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bots.operations.cli import main

    text = DEVWIKI_CONFIG.read_text("utf-8").replace(
        'state_dir = "var/state/devwiki"', f'state_dir = "{tmp_path / "state"}"'
    )
    path = tmp_path / "devwiki.toml"
    path.write_text(text, "utf-8")
    assert main(["--config", str(path), "status", "--offline", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["run_log"] == str(tmp_path / "state" / "runs.jsonl")
    assert [e["job"] for e in data["jobs"]] == ["index", "translations", "digest", "knowledge"]
    assert main(["--config", str(path), "status", "--offline"]) == 0
    assert "digest: cron '0 7 * * mon' (UTC), next " in capsys.readouterr().out
