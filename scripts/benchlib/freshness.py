"""The freshness scenario (issue 15): k case edits while `advocacy-hub watch` runs.

The watcher runs as its own process with `--interval S` (default 60). After it has started, a
person edits k cases that the hub's first view lists, one every S/4 seconds, giving each a new
name; a reader (not counted: another user agent) polls the hub page until each new name is
shown. Reported: the latency from each edit to the updated index (p50, p95; target p95 <=
S + 15 s), the watcher's API requests while the edits were processed, and its requests per
minute over an idle stretch afterwards (target: at most one per interval).
"""

from __future__ import annotations

import math
import re
import subprocess
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from benchlib import data as bench_data
from benchlib.measure import CLI, _env, log_line
from benchlib.wikictl import BOT_UA, BenchWiki, Client, RequestLog, person

HUB = "Advocacy/Hub"
BOT_AGENT = BOT_UA.split("/")[0]


@dataclass
class Freshness:
    k: int
    interval_s: float
    latencies_s: list[float]
    missed: int
    busy_requests: int
    idle_s: float
    idle_requests: int

    def percentile(self, p: float) -> float | None:
        if not self.latencies_s:
            return None
        ordered = sorted(self.latencies_s)
        return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]

    @property
    def idle_per_minute(self) -> float:
        return self.idle_requests * 60 / self.idle_s if self.idle_s else 0.0

    def targets(self) -> dict[str, bool]:
        p95 = self.percentile(95)
        return {
            "p95 <= interval + 15 s": p95 is not None and p95 <= self.interval_s + 15
            and not self.missed,
            "idle requests per interval <= 1": self.idle_per_minute * self.interval_s / 60
            <= 1.0 + 1e-9,
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "job": "watch", "scenario": "freshness", "k": self.k, "interval_s": self.interval_s,
            "latency_p50_s": self.percentile(50), "latency_p95_s": self.percentile(95),
            "latency_max_s": max(self.latencies_s) if self.latencies_s else None,
            "missed": self.missed, "busy_requests": self.busy_requests,
            "idle_s": round(self.idle_s, 1), "idle_requests": self.idle_requests,
            "idle_requests_per_minute": round(self.idle_per_minute, 2),
            "targets": self.targets(),
        }

    def line(self) -> str:
        p50, p95 = self.percentile(50), self.percentile(95)
        marks = ", ".join(f"{name}: {'met' if ok else 'MISSED'}" for name, ok in
                          self.targets().items())
        return (f"watch freshness: k = {self.k} edits, interval {self.interval_s:.0f} s: latency "
                f"p50 {p50 or 0:.1f} s, p95 {p95 or 0:.1f} s, max "
                f"{max(self.latencies_s or [0]):.1f} s, missed {self.missed}; "
                f"{self.busy_requests} requests while busy; idle "
                f"{self.idle_per_minute:.2f} requests/minute ({marks})")


def _listed_cases(data: bench_data.BenchData, hub_text: str, k: int) -> list[bench_data.CaseSpec]:
    shown = set(re.findall(r"\[\[:?([^|\]]+)\|", hub_text))
    cases = [c for c in data.cases if c.title in shown and not c.invalid]
    return cases[:k]


def _bot_requests(log: RequestLog, mark: int) -> int:
    return sum(1 for r in log.since(mark) if r.script == "/api.php"
               and BOT_AGENT in r.user_agent)


def run_freshness(wiki: BenchWiki, config: Path, data: bench_data.BenchData, *, k: int,
                  interval: float, idle_s: float, work: Path) -> Freshness:
    reader = Client(wiki.api_url)
    editor = person(wiki, "Tester1")
    cases = _listed_cases(data, reader.texts([HUB])[HUB] or "", k)
    if not cases:
        raise RuntimeError("no case of the hub's views found to edit")
    log = RequestLog(wiki.request_log)
    work.mkdir(parents=True, exist_ok=True)
    err = open(work / "watch.err", "w", encoding="utf-8")  # noqa: SIM115 - lives with the process
    proc = subprocess.Popen([str(CLI), "--config", str(config), "watch", "--interval",
                             str(interval)], env=_env(wiki), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    started = threading.Event()

    def pump() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            err.write(line)
            if "following recent changes" in line:
                started.set()

    threading.Thread(target=pump, daemon=True).start()
    try:
        if not started.wait(120):
            raise RuntimeError("the watcher did not start (see watch.err)")
        time.sleep(min(interval, 5))  # let the first poll (the start window) pass
        mark = log.mark()
        pending: dict[str, float] = {}
        latencies: list[float] = []
        next_edit = time.monotonic()
        edits = list(enumerate(cases))
        deadline = None
        while edits or pending:
            now = time.monotonic()
            if edits and now >= next_edit:
                i, spec = edits.pop(0)
                token = f"(fresh {i})"  # plain text: shown as written, whatever the name
                editor.edit(spec.title, replace(spec, name=f"{spec.name} {token}").render(),
                            "bench: freshness")
                pending[token] = time.monotonic()
                next_edit = now + interval / 4
                deadline = time.monotonic() + interval + 60
            text = reader.texts([HUB])[HUB] or ""
            seen = time.monotonic()
            for name in [n for n in pending if n in text]:
                latencies.append(seen - pending.pop(name))
            if deadline and time.monotonic() > deadline and not edits:
                break
            time.sleep(0.5)
        missed = len(pending)
        busy = _bot_requests(log, mark)
        log_line(f"bench: freshness: {len(latencies)} of {len(cases)} edits shown; idle for "
                 f"{idle_s:.0f} s")
        time.sleep(interval)  # the poll that saw the last edit is done
        idle_mark = log.mark()
        t0 = time.monotonic()
        time.sleep(idle_s)
        idle = time.monotonic() - t0
        idle_requests = _bot_requests(log, idle_mark)
    finally:
        proc.terminate()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
        err.close()
    return Freshness(len(cases), interval, latencies, missed, busy, idle, idle_requests)
