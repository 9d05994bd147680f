"""The run log: one JSON line per job run in `<state_dir>/runs.jsonl`.

Operators read it with `advocacy-hub status`; it holds only what a run did (job, start, end,
outcome, pages read, edits, API requests, errors), and every string is passed through
`bots.wiki.credentials.redact` before it is written, so no password or token can land in it.
Losing it loses history, never work: the wiki remains the source of truth.

Appends take an exclusive lock (`runs.lock`), because on NFS (Toolforge) `O_APPEND` alone does
not keep lines from two machines apart. When the file passes `MAX_BYTES` it is renamed to
`runs.jsonl.1` (replacing the previous one), so the log never grows without bound while the
latest runs of every job stay readable. At a few dozen runs a day, 5 MB is about a year.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from bots.config.model import Config
from bots.wiki.credentials import redact_value

MAX_BYTES = 5 * 1024 * 1024


class RunOutcome(StrEnum):
    """How a run ended, as the run log and `status` name it."""

    OK = "ok"
    FAILED = "failed"
    STOPPED = "stopped"  # by the shutoff page, a talk-page message or SIGTERM/Ctrl-C


@dataclass(frozen=True)
class RunRecord:
    job: str
    wiki: str
    start: str
    end: str
    seconds: float
    outcome: RunOutcome
    exit_code: int
    simulate: bool
    pages_read: int
    edits: int
    skipped: int
    api_requests: int
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    failed_pages: list[str] = field(default_factory=list)  # titles whose update failed
    # the pages the run was limited to (watch, a refresh request); empty: all of the job's
    only_pages: list[str] = field(default_factory=list)
    suspended_pages: list[str] = field(default_factory=list)  # left alone: suspended

    def __post_init__(self) -> None:
        # read back from JSON the outcome is its text; an unknown one makes the line unreadable
        object.__setattr__(self, "outcome", RunOutcome(self.outcome))


_FIELDS = frozenset(f.name for f in fields(RunRecord))


def run_log_path(config: Config) -> Path:
    return config.state_path / "runs.jsonl"


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    fd = os.open(folder / "runs.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def append_run_record(config: Config, record: RunRecord, *, max_bytes: int = MAX_BYTES) -> None:
    path = run_log_path(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(redact_value(asdict(record)), ensure_ascii=False) + "\n"
    with _locked(path.parent):
        try:
            if path.stat().st_size + len(line) > max_bytes:
                path.replace(path.with_name(path.name + ".1"))
        except FileNotFoundError:
            pass
        with path.open("a", encoding="utf-8") as fh:
            fh.write(line)


def record_unstarted(
    config: Config, job: str, outcome: RunOutcome, exit_code: int, error: str, simulate: bool,
) -> None:
    """A run that ended before its job started (no session, a crash of the command itself):
    recorded like any other, so the run log shows every failure."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    append_run_record(
        config,
        RunRecord(job=job, wiki=f"{config.wiki.family}:{config.wiki.code}", start=now, end=now,
                  seconds=0.0, outcome=outcome, exit_code=exit_code, simulate=simulate,
                  pages_read=0, edits=0, skipped=0, api_requests=0, errors=[error]),
    )


def _parse(line: str) -> RunRecord | None:
    try:
        data = json.loads(line)
        # fields added by a newer version are ignored rather than making the line unreadable
        return RunRecord(**{k: v for k, v in data.items() if k in _FIELDS})
    except (ValueError, TypeError, AttributeError):
        return None


def read_run_records(config: Config) -> Iterator[RunRecord]:
    """All readable records, oldest first (the rotated file first); damaged lines are skipped."""
    path = run_log_path(config)
    for part in (path.with_name(path.name + ".1"), path):
        try:
            with part.open(encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    record = _parse(line)
                    if record is not None:
                        yield record
        except FileNotFoundError:
            continue


def last_runs(config: Config, jobs: list[str], per_job: int = 5) -> dict[str, list[RunRecord]]:
    """The latest runs of each job, newest first."""
    out: dict[str, list[RunRecord]] = {job: [] for job in jobs}
    for record in read_run_records(config):
        if record.job in out:
            out[record.job].append(record)
    return {job: records[::-1][:per_job] for job, records in out.items()}
