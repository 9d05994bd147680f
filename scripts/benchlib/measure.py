"""Run one job (or the naive baseline) in a subprocess and measure it from the outside.

API requests, bytes and single-page reads come from the bench wiki's request log (written by
the web server), edits from the wiki's contributions of the bot account, wall time and peak RSS
from a wrapper process (`benchlib.child`). Nothing is taken from the bot's own counters, except
the job's note of how many case pages it parsed (for the "changed" target), which the request
log cannot show because it shortens long `titles` values.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from benchlib.wikictl import REPO, BenchWiki, Client, RequestLog

PYTHON = REPO / ".venv" / "bin" / "python"
CLI = REPO / ".venv" / "bin" / "advocacy-hub"
BOT = "AdvocacyBot"
_PARSED_RE = re.compile(r"\((\d+) parsed, (\d+) from cache\)")


@dataclass
class Run:
    """What one measured run cost."""

    label: str
    exit: int
    requests: int  # API requests served (api.php)
    other_requests: int  # anything else the process asked the web server for
    bytes: int  # response bytes of those requests
    edits: int  # new revisions by the bot account
    wall_s: float
    rss_mb: float
    cpu_s: float
    single_reads: int  # content reads of one page (the shutoff page excluded)
    setup_requests: int = 0  # session set-up: log-in, the account read at log-in, tokens
    by_action: dict[str, int] = field(default_factory=dict)
    edited: list[str] = field(default_factory=list)
    parsed: int | None = None  # case pages parsed (index job's own note)
    notes: list[str] = field(default_factory=list)
    stderr_tail: str = ""

    @property
    def job_requests(self) -> int:
        """The requests beyond session set-up (what the theoretical minimum counts)."""
        return self.requests - self.setup_requests

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def is_setup(action: str | None, params: dict[str, str]) -> bool:
    """A request of session set-up, which the theoretical minimum does not count: log-in, a
    query of the account alone (Pywikibot's log-in reads it; no page, no list with it) and
    token requests. Pywikibot's ``paraminfo`` is not set-up here: it counts against the job."""
    if action in ("login", "clientlogin"):
        return True
    if action not in (None, "", "query"):
        return False
    if any(params.get(k) for k in ("titles", "pageids", "revids", "generator", "list", "prop")):
        return False
    meta = set(filter(None, params.get("meta", "").split("|")))
    return bool(meta) and meta <= {"userinfo", "tokens", "siteinfo"} and bool(
        meta & {"userinfo", "tokens"})


def _env(wiki: BenchWiki) -> dict[str, str]:
    scripts = str(REPO / "scripts")
    path = os.environ.get("PYTHONPATH", "")
    return dict(
        os.environ,
        PYWIKIBOT_DIR=str(wiki.pywikibot_dir),
        PYTHONPATH=scripts + (os.pathsep + path if path else ""),
        PYTHONUNBUFFERED="1",
    )


def job_command(config: Path, job: str) -> list[str]:
    return [str(CLI), "--config", str(config), "run", job]


def naive_command(config: Path) -> list[str]:
    return [str(PYTHON), "-m", "benchlib.naive", "--config", str(config)]


def check_command(config: Path) -> list[str]:
    return [str(CLI), "--config", str(config), "check"]


def languages_command(config: Path) -> list[str]:
    return [str(PYTHON), "-m", "benchlib.languages", "--config", str(config)]


def measure(
    wiki: BenchWiki,
    label: str,
    command: list[str],
    work: Path,
    *,
    shutoff_page: str = "User:AdvocacyBot/Run",
    run_log: Path | None = None,
) -> Run:
    import subprocess

    helper = Client(wiki.api_url)
    revid_before = helper.last_revid()
    log = RequestLog(wiki.request_log)
    run_log_size = run_log.stat().st_size if run_log and run_log.exists() else 0
    work.mkdir(parents=True, exist_ok=True)
    out = work / f"{label}.json"
    mark = log.mark()
    subprocess.run(
        [str(PYTHON), "-m", "benchlib.child", str(out), "--", *command],
        env=_env(wiki), cwd=REPO, check=True,
    )  # fmt: skip
    served = log.since(mark)
    with open(work / f"{label}.requests.jsonl", "w", encoding="utf-8") as fh:
        for r in served:  # the run's slice of the server's log, for a closer look
            fh.write(json.dumps(asdict(r), ensure_ascii=False) + "\n")
    stats = json.loads(out.read_text("utf-8"))
    api = [r for r in served if r.script == "/api.php"]
    by_action: dict[str, int] = {}
    single = 0
    setup = sum(1 for r in api if is_setup(r.action, dict(r.params)))
    for r in api:
        key = r.action or "?"
        if key == "query":
            for name in ("generator", "list", "prop", "meta"):
                if r.params.get(name):
                    key = f"query:{name}={r.params[name].split('|')[0]}"
                    break
        by_action[key] = by_action.get(key, 0) + 1
        titles = r.params.get("titles", "")
        reads_content = "content" in r.params.get("rvprop", "")
        if reads_content and titles and "|" not in titles and titles != shutoff_page:
            single += 1
    contribs = helper.contributions_after(BOT, revid_before)
    stdout = out.with_suffix(".out").read_text("utf-8", "replace")
    stderr = out.with_suffix(".err").read_text("utf-8", "replace")
    notes: list[str] = []
    parsed = None
    if run_log and run_log.exists():
        with open(run_log, encoding="utf-8") as fh:
            fh.seek(run_log_size)
            for line in fh:
                if line.strip():
                    notes.extend(json.loads(line).get("notes", []))
    for text in (*notes, stdout):
        m = _PARSED_RE.search(text)
        if m:
            parsed = int(m.group(1))
            break
    return Run(
        label=label,
        exit=int(stats["exit"]),
        requests=len(api),
        other_requests=len(served) - len(api),
        bytes=sum(r.bytes for r in api),
        edits=len(contribs),
        wall_s=float(stats["wall_s"]),
        rss_mb=float(stats["rss_mb"]),
        cpu_s=float(stats["cpu_s"]),
        single_reads=single,
        setup_requests=setup,
        by_action=dict(sorted(by_action.items(), key=lambda kv: -kv[1])),
        edited=sorted({c["title"] for c in contribs}),
        parsed=parsed,
        notes=notes,
        stderr_tail="" if stats["exit"] == 0 else (stdout + stderr)[-1500:],
    )


def log_line(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
