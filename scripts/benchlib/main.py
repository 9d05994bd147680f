"""`scripts/bench`: measure the jobs on a dedicated local wiki, beside a naive baseline.

    scripts/bench [--sizes 100,2000] [--json FILE] [--keep] [--port N] [--dir PATH]
                  [--jobs index,translations,digest] [--k 20] [--subscribers 200]
                  [--guides P] [--baseline-scenarios cold,warm,changed]

For each size N: a fresh wiki (its own port and folder), seeded through `scripts/devwiki
import` (MediaWiki's importDump), then each job cold (no cache), warm (no change) and after k
pages changed, each in its own process; the figures come from the web server's request log.
See docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchlib import data as bench_data
from benchlib import report
from benchlib.freshness import Freshness, run_freshness
from benchlib.measure import (
    PYTHON,
    Run,
    check_command,
    job_command,
    languages_command,
    log_line,
    measure,
    naive_command,
)
from benchlib.multiwiki import run_two_wikis
from benchlib.report import Record, Shape
from benchlib.wikictl import (
    REPO,
    BenchError,
    BenchWiki,
    Client,
    onwiki_pages,
    person,
    write_bench_config,
)

JOBS = ("index", "translations", "digest")
SCENARIOS = ("cold", "warm", "changed")
DEFAULT_PORT = 8460
DEFAULT_DIR = REPO / "var" / "bench-wiki"
ARCHIVE_PREFIX = "Advocacy/Digest/Archive/"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="100,2000", help="case page counts (default 100,2000)")
    p.add_argument("--json", type=Path, help="write the records as JSON to this file")
    p.add_argument("--keep", action="store_true",
                   help="leave the last wiki running with its data (default: stop and delete)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}")
    p.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="default var/bench-wiki")
    p.add_argument("--jobs", default=",".join(JOBS), help="default index,translations,digest")
    p.add_argument("--k", type=int, default=20, help="pages changed for 'changed' (default 20)")
    p.add_argument("--subscribers", type=int, default=bench_data.SUBSCRIBERS,
                   help="digest subscriber lines (default 200)")
    p.add_argument("--guides", type=int, default=None,
                   help="pages with translation units (default: 5 at N=100 ... 50 at 10,000)")
    p.add_argument("--baseline-scenarios", default=",".join(SCENARIOS),
                   help="scenarios in which the naive baseline runs too (default: all; '' none)")
    p.add_argument("--seed", type=int, default=7, help="random seed of the synthetic pages")
    p.add_argument("--freshness", action="store_true",
                   help="also the freshness scenario: k case edits while `watch` runs")
    p.add_argument("--watch-interval", type=float, default=60.0,
                   help="the watcher's interval in the freshness scenario (default 60 s)")
    p.add_argument("--idle", type=float, default=180.0,
                   help="seconds of idle watching measured after the edits (default 180)")
    p.add_argument("--two-wikis", type=int, default=0, metavar="M",
                   help="also the two-wiki scenario: a French wiki with M case pages beside "
                        "each size (requests per wiki; docs/multiwiki.md)")
    args = p.parse_args(argv)
    try:
        args.size_list = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        p.error(f"--sizes: not a list of numbers: {args.sizes!r}")
    args.job_list = [j.strip() for j in args.jobs.split(",") if j.strip()]
    unknown = set(args.job_list) - set(JOBS)
    if unknown:
        p.error(f"--jobs: unknown {', '.join(sorted(unknown))}")
    args.baseline_list = [s.strip() for s in args.baseline_scenarios.split(",") if s.strip()]
    if not args.dir.is_absolute():
        args.dir = (Path.cwd() / args.dir).resolve()
    return args


def job_available(name: str) -> str | None:
    """None when the job's module imports and has `run`; else why not."""
    env = dict(os.environ, PYWIKIBOT_NO_USER_CONFIG="2")
    code = f"import bots.{name}.job as m; assert callable(m.run)"
    proc = subprocess.run([str(PYTHON), "-c", code], capture_output=True, text=True, env=env,
                          cwd=REPO, check=False)  # fmt: skip
    if proc.returncode != 0:
        return (proc.stderr.strip().splitlines() or ["import failed"])[-1]
    return None


class SizeRun:
    """Everything for one size: the wiki, its data, the runs and their records."""

    def __init__(self, args: argparse.Namespace, n: int) -> None:
        self.args = args
        self.n = n
        self.wiki = BenchWiki(args.dir, args.port)
        self.work = args.dir.parent / f"{args.dir.name}-runs" / f"n{n}"
        self.state = args.dir / "state"
        self.config = args.dir / "bench.toml"
        self.records: list[Record] = []
        self.freshness: Freshness | None = None
        self.facts: dict[str, Any] = {"n": n}
        self.data = bench_data.generate(n, args.seed, subscribers=args.subscribers,
                                        guides=args.guides)  # fmt: skip
        prefix_pages = sum(1 for p in self.data.pages if p["title"].startswith("Advocacy/"))
        self.shape = Shape(
            n=n, case_embeds=n + self.data.case_subpages, prefix_pages=prefix_pages,
            views=self.data.views, index_pages=len(self.data.index_pages), k=args.k,
            guides=len(self.data.guides), languages=len(bench_data.LANGUAGES_20),
            unit_pages=self.data.unit_pages, targets=args.subscribers,
        )  # fmt: skip

    # -- set-up ----------------------------------------------------------------------------
    def seed(self) -> None:
        t0 = time.monotonic()
        log_line(f"bench: N={self.n}: creating a fresh wiki in {self.wiki.dir} "
                 f"on port {self.wiki.port}")  # fmt: skip
        self.wiki.fresh()
        t1 = time.monotonic()
        self.wiki.create_users(self.data.users)
        pages = onwiki_pages() + self.data.pages
        revisions = sum(len(p["revisions"]) for p in pages)
        log_line(f"bench: N={self.n}: importing {len(pages)} pages ({revisions} revisions) "
                 "through importDump")  # fmt: skip
        self.wiki.import_pages(pages)
        t2 = time.monotonic()
        if self.work.exists():
            shutil.rmtree(self.work)
        self.work.mkdir(parents=True)
        write_bench_config(self.config, self.state, bench_data.LANGUAGES_20,
                           max(250, self.args.subscribers + 10))  # fmt: skip
        self.facts.update({
            "pages_imported": len(pages), "revisions_imported": revisions,
            "wiki_create_s": round(t1 - t0, 1), "import_s": round(t2 - t1, 1),
            "case_subpages": self.data.case_subpages, "guides": len(self.data.guides),
            "unit_pages": self.data.unit_pages, "subscribers": self.args.subscribers,
            "views": self.data.views, "index_pages": len(self.data.index_pages),
        })  # fmt: skip
        log_line(f"bench: N={self.n}: seeded in {t2 - t0:.0f} s")
        session = self.run("session-check", check_command(self.config))
        self.facts["session_check_requests"] = session.requests
        if session.exit != 0:
            raise BenchError(f"advocacy-hub check failed on the bench wiki:\n{session.stderr_tail}")
        # the language data every job keeps for a week in its state folder: paid once a week by
        # an hourly bot, so settled here and reported apart
        languages = self.run("language-data", languages_command(self.config))
        self.facts["language_data_requests"] = languages.requests
        if languages.exit != 0:
            raise BenchError(f"reading the language data failed:\n{languages.stderr_tail}")

    def run(self, label: str, command: list[str]) -> Run:
        log_line(f"bench: N={self.n}: {label} ...")
        result = measure(self.wiki, label, command, self.work,
                         run_log=self.state / "runs.jsonl")  # fmt: skip
        log_line(f"bench: N={self.n}: {label}: {result.requests} requests, {result.edits} edits,"
                 f" {result.wall_s:.1f} s, {result.rss_mb:.0f} MB, exit {result.exit}")
        if result.exit != 0:
            log_line(f"bench:   output: {result.stderr_tail[-800:]}")
        return result

    def clear_cache(self) -> None:
        shutil.rmtree(self.state / "cache", ignore_errors=True)

    # -- index -------------------------------------------------------------------------------
    def index(self) -> None:
        baseline = set(self.args.baseline_list)
        admin = person(self.wiki, "Admin")
        reader = Client(self.wiki.api_url)
        titles = list(self.data.index_pages)

        self.clear_cache()
        cold = self.run("index-cold", job_command(self.config, "index"))
        ours = reader.texts(titles)
        base_cold = None
        equal = None
        if "cold" in baseline:
            for title, text in bench_data.INDEX_PAGES.items():
                admin.edit(title, text, "bench: index pages back to their seeded text")
            base_cold = self.run("naive-cold", naive_command(self.config))
            equal = reader.texts(titles) == ours
        self.add("index", "cold", cold, base_cold, equal)

        warm = self.run("index-warm", job_command(self.config, "index"))
        base_warm = self.run("naive-warm", naive_command(self.config)) if (
            "warm" in baseline) else None
        self.add("index", "warm", warm, base_warm, None)

        tester = person(self.wiki, "Tester1")
        for title, text in bench_data.changed_cases(self.data, self.args.k, 1):
            tester.edit(title, text, "bench: case update")
        changed = self.run("index-changed", job_command(self.config, "index"))
        ours = reader.texts(titles)
        base_changed = None
        equal = None
        if "changed" in baseline:
            base_changed = self.run("naive-changed", naive_command(self.config))
            equal = base_changed.edits == 0 and reader.texts(titles) == ours
        self.add("index", "changed", changed, base_changed, equal)

    def add(self, job: str, scenario: str, run: Run, base: Run | None, equal: bool | None,
            extra: dict[str, Any] | None = None) -> Record:  # fmt: skip
        shape = self.shape
        extra = {"k": shape.k, **(extra or {})}
        if job == "index":
            rec = Record(job, self.n, scenario, run, report.index_min(shape, scenario, run.edits),
                         report.index_target(shape, scenario, run.edits), baseline=base,
                         baseline_output_equal=equal, extra={"views": shape.views, **extra})
            rec.targets = report.index_targets(shape, rec)
        elif job == "translations":
            rec = Record(job, self.n, scenario, run, report.translations_min(shape, run.edits),
                         report.translations_target(shape, run.edits),
                         extra={"pages": shape.guides, "languages": shape.languages,
                                "unit_pages": shape.unit_pages, **extra})
            rec.targets = report.translations_targets(shape, rec)
        else:
            changed = int(extra["changed_pages"])
            deliveries = int(extra["deliveries"])
            rec = Record(job, self.n, scenario, run,
                         report.digest_min(shape, changed, int(extra["rc_entries"]), deliveries),
                         report.digest_target(shape, changed, deliveries),
                         extra={"targets_listed": shape.targets, **extra})
            rec.targets = report.digest_targets(shape, rec, changed, deliveries)
        self.records.append(rec)
        return rec

    # -- freshness (watch) -------------------------------------------------------------------
    def watch(self) -> None:
        if not any(r.job == "index" for r in self.records):
            self.run("index-before-watch", job_command(self.config, "index"))
        self.freshness = run_freshness(
            self.wiki, self.config, self.data, k=self.args.k,
            interval=self.args.watch_interval, idle_s=self.args.idle, work=self.work / "watch")
        self.facts["freshness"] = self.freshness.as_json()

    # -- translations ------------------------------------------------------------------------
    def translations(self) -> None:
        self.clear_cache()
        self.add("translations", "cold", self.run("translations-cold",
                                                  job_command(self.config, "translations")),
                 None, None)  # fmt: skip
        self.add("translations", "warm", self.run("translations-warm",
                                                  job_command(self.config, "translations")),
                 None, None)  # fmt: skip
        translator = person(self.wiki, "Tester2")
        for title, text in bench_data.changed_units(self.data, self.args.k):
            translator.edit(title, text, "bench: translation update")
        self.add("translations", "changed", self.run("translations-changed",
                                                     job_command(self.config, "translations")),
                 None, None)  # fmt: skip

    # -- digest ------------------------------------------------------------------------------
    def period_changes(self) -> tuple[int, int]:
        """(pages changed, change entries) in the digest's namespaces over its period."""
        client = Client(self.wiki.api_url)
        end = dt.datetime.now(dt.UTC) - dt.timedelta(days=8)
        titles: set[str] = set()
        entries = 0
        params: dict[str, Any] = {
            "action": "query", "list": "recentchanges", "rcnamespace": "0|1|1198",
            "rcend": end.strftime("%Y-%m-%dT%H:%M:%SZ"), "rcprop": "title",
            "rctype": "edit|new", "rclimit": "max",
        }  # fmt: skip
        while True:
            result = client.get(**params)
            for rc in result["query"]["recentchanges"]:
                entries += 1
                titles.add(rc["title"])
            if "continue" not in result:
                return len(titles), entries
            params.update(result["continue"])

    def digest_run(self, scenario: str) -> None:
        changed, entries = self.period_changes()
        run = self.run(f"digest-{scenario}", job_command(self.config, "digest"))
        deliveries = sum(1 for t in run.edited if not t.startswith(ARCHIVE_PREFIX))
        self.add("digest", scenario, run, None, None, {
            "changed_pages": changed, "rc_entries": entries, "deliveries": deliveries})

    def digest(self) -> None:
        self.clear_cache()
        self.digest_run("cold")
        self.digest_run("warm")
        tester = person(self.wiki, "Tester1")
        for title, text in bench_data.changed_cases(self.data, self.args.k, 2):
            tester.edit(title, text, "bench: case update")
        self.digest_run("changed")


def print_tables(size: SizeRun) -> None:
    f = size.facts
    print(f"\n=== N = {size.n:,}: {f['pages_imported']:,} pages imported in {f['import_s']} s "
          f"(wiki created in {f['wiki_create_s']} s); session check: "
          f"{f['session_check_requests']} requests; language data, kept a week: "
          f"{f.get('language_data_requests', '?')} requests ===")  # fmt: skip
    for job in JOBS:
        records = [r for r in size.records if r.job == job]
        if not records:
            continue
        s = size.shape
        if job == "index":
            detail = (f"V = {s.views} views on {s.index_pages} pages, {s.case_embeds:,} pages "
                      f"with the case template, k = {s.k}")
        elif job == "translations":
            detail = (f"P = {s.guides} pages x {bench_data.UNITS_PER_GUIDE} units, "
                      f"L = {s.languages} languages, U = {s.unit_pages:,} unit pages, k = {s.k}")
        else:
            detail = (f"T = {s.targets} subscriber lines, k = {s.k}; C = pages changed in the "
                      "period, D = deliveries: "
                      + ", ".join(f"{r.scenario} C={r.extra['changed_pages']} "
                                  f"D={r.extra['deliveries']}" for r in records))
        print()
        print(report.table(f"{job}, N = {size.n:,} ({detail})", records))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    if not (REPO / ".venv" / "bin" / "advocacy-hub").exists():
        print("bench: .venv is missing; run scripts/bench (the wrapper creates it)",
              file=sys.stderr)  # fmt: skip
        return 2
    skipped: dict[str, str] = {}
    jobs = []
    for job in args.job_list:
        why = job_available(job)
        if why:
            skipped[job] = why
            log_line(f"bench: skipping the {job} job: {why}")
        else:
            jobs.append(job)
    started = dt.datetime.now(dt.UTC)
    all_records: list[Record] = []
    sizes: list[dict[str, Any]] = []
    wiki = BenchWiki(args.dir, args.port)
    def write_json() -> None:
        if not args.json:
            return
        meta = {
            "command": "scripts/bench " + " ".join(sys.argv[1:] if argv is None else argv),
            "started": started.isoformat(timespec="seconds"),
            "seconds": round((dt.datetime.now(dt.UTC) - started).total_seconds(), 1),
            "commit": _git_commit(),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                        "platform": platform.platform()},
            "sizes": sizes, "skipped_jobs": skipped,
        }  # fmt: skip
        records = [r.as_json() for r in all_records]
        args.json.write_text(json.dumps({"meta": meta, "records": records}, indent=1) + "\n",
                             "utf-8")  # fmt: skip

    try:
        for n in args.size_list:
            size = SizeRun(args, n)
            size.seed()
            for job in jobs:
                getattr(size, job)()
            if args.freshness:
                size.watch()
            if args.two_wikis > 0:
                two = run_two_wikis(size.wiki, size.config, args.two_wikis, n, size.work)
                size.facts["two_wikis"] = two.as_json()
            print_tables(size)
            if size.freshness is not None:
                print()
                print(size.freshness.line())
            if "two_wikis" in size.facts:
                print()
                print("\n".join(two.lines()))
            all_records += size.records
            sizes.append(size.facts)
            write_json()  # after each size, so a later failure keeps what was measured
    finally:
        if not args.keep:
            wiki.down()
            if args.dir.exists() and (args.dir / "state.json").exists():
                shutil.rmtree(args.dir, ignore_errors=True)
        else:
            log_line(f"bench: the wiki stays up at http://127.0.0.1:{args.port} "
                     f"(folder {args.dir}); stop it with scripts/devwiki down --dir {args.dir}")
    failed = [r for r in all_records if not r.ok]
    print()
    if skipped:
        for job, why in skipped.items():
            print(f"not run: {job}: {why}")
    print(f"{len(all_records) - len(failed)} of {len(all_records)} runs meet every target"
          + (": short: " + ", ".join(f"{r.job}/{r.n}/{r.scenario}" for r in failed)
             if failed else ""))  # fmt: skip
    if args.json:
        write_json()
        print(f"JSON: {args.json}")
    return 0 if not failed else 1


def _git_commit() -> str | None:
    proc = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True, cwd=REPO, check=False)  # fmt: skip
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True, cwd=REPO, check=False).stdout.strip()
    return (proc.stdout.strip() + ("+dirty" if dirty else "")) or None


def cli() -> int:
    try:
        return main()
    except BenchError as exc:
        print(f"bench: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(cli())
