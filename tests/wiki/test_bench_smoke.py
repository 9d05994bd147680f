"""A small run of `scripts/bench` (N = 50), so that the benchmark keeps working.

The full benchmark (N = 100, 2,000 and 10,000; docs/performance.md) is not run in CI. This
smoke run brings up its own throwaway wiki (own port and folder under the test's tmp folder),
seeds it, runs every job cold, warm and after k changes plus the naive baseline once, and
checks the shape of the JSON records and the invariants that hold at any size. Targets that
only mean something at scale are not asserted here.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BENCH = REPO / "scripts" / "bench"
REQUIRED = ("job", "n", "scenario", "requests", "edits", "wall_s", "rss_mb", "min_requests")


def _free_port() -> int:
    """A free port among those reserved for benchmarks (8460-8469), the high end first."""
    for port in range(8469, 8459, -1):
        with socket.socket() as s:
            s.settimeout(0.2)
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return port
    pytest.skip("no free port in 8460-8469 for the benchmark wiki")


def test_bench_smoke(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    cmd = [
        str(BENCH), "--sizes", "50", "--subscribers", "10", "--guides", "1", "--k", "5",
        "--baseline-scenarios", "cold", "--port", str(_free_port()),
        "--dir", str(tmp_path / "wiki"), "--json", str(out),
    ]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=REPO,
                          check=False)  # fmt: skip
    sys.stdout.write(proc.stdout)
    # 0: every target met; 1: some target short (normal at N = 50: fixed session overhead)
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    assert not (tmp_path / "wiki").exists(), "the bench wiki was not removed"

    data = json.loads(out.read_text("utf-8"))
    records = {(r["job"], r["scenario"]): r for r in data["records"]}
    ran = {job for job, _ in records}
    assert "index" in ran
    for job in ran:
        assert {s for j, s in records if j == job} == {"cold", "warm", "changed"}
    for rec in data["records"]:
        for key in REQUIRED:
            assert key in rec, (key, rec)
        assert rec["n"] == 50
        assert rec["requests"] > 0 and rec["min_requests"] > 0
        assert rec["wall_s"] > 0 and rec["rss_mb"] > 0

    cold, warm, changed = (records["index", s] for s in ("cold", "warm", "changed"))
    assert cold["exit"] == warm["exit"] == changed["exit"] == 0
    assert cold["edits"] == 3  # the 3 index pages, first filled in
    assert warm["edits"] == 0
    assert changed["pages_parsed"] == 5  # only the k changed pages were read and parsed
    assert cold["baseline_requests"] > cold["requests"]
    assert cold["baseline_wall_s"] > 0
    assert cold["baseline_output_equal"] is True
    assert "baseline_requests" not in warm
    assert cold["single_page_reads"] == 0

    text = proc.stdout
    assert "index, N = 50" in text and "naive req" in text and "targets:" in text
