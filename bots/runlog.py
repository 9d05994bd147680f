"""The run log: one JSON line per job run in `<state_dir>/runs.jsonl`.

Operators read it with `advocacy-hub status`; it never holds passwords or tokens, only what a
run did. Losing it loses history, never work: the wiki remains the source of truth.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bots.config import Config


@dataclass(frozen=True)
class RunRecord:
    job: str
    wiki: str
    start: str
    end: str
    seconds: float
    outcome: str  # ok | failed | stopped
    exit_code: int
    simulate: bool
    pages_read: int
    edits: int
    skipped: int
    api_requests: int
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def run_log_path(config: Config) -> Path:
    return config.state_path / "runs.jsonl"


def append_run_record(config: Config, record: RunRecord) -> None:
    path = run_log_path(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(asdict(record), ensure_ascii=False) + "\n")


def read_run_records(config: Config) -> Iterator[RunRecord]:
    """All readable records, oldest first; a damaged line is skipped, not fatal."""
    path = run_log_path(config)
    if not path.exists():
        return
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            try:
                yield RunRecord(**json.loads(line))
            except (ValueError, TypeError):
                continue
