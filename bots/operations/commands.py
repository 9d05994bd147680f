"""Operations commands of `advocacy-hub`, added to the main parser by `bots.operations.cli`.

    advocacy-hub [--config FILE] schedule [--once] [--jobs index,digest] [--simulate]
    advocacy-hub [--config FILE] status [--json] [--runs N] [--offline]
    advocacy-hub [--config FILE] watch [--interval S] [--iterations N | --once] [--simulate]
    advocacy-hub toolforge-jobs [--config FILE ...] [--output jobs.yaml] [--image python3.11]
                                [--mem 512Mi] [--workdir DIR] [--executable PATH] [--jobs ...]

`schedule --watch` adds the watcher (`bots.operations.watch`) to the scheduler's worker.
`schedule` runs until SIGTERM or Ctrl-C and exits 0 after a clean stop; a second scheduler for
the same wiki and state folder exits 1 at once. `schedule --once` fires each job once, in order,
and exits with the worst exit code. `status` reads the run log and the cron expressions, and
the shutoff page when the wiki answers; it exits 0 whatever it finds.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TextIO, TypeVar

from bots.config.model import JOB_NAMES, Config, ConfigError
from bots.errors import EXIT_OK, EXIT_USAGE
from bots.operations.config_checks import load_checked_config
from bots.operations.jobs import JOBS
from bots.operations.locking import lock_holder
from bots.operations.runlog import RunRecord, last_runs, read_run_records, run_log_path
from bots.operations.scheduler import (
    fire_job,
    job_trigger,
    next_run_time,
    run_once,
    run_scheduler,
    schedule_expression,
)
from bots.operations.toolforge import (
    DEFAULT_EXECUTABLE,
    DEFAULT_IMAGE,
    DEFAULT_MEMORY,
    DEFAULT_WORKDIR,
    ToolforgeError,
    build_jobs,
    render_jobs_yaml,
    write_jobs_yaml,
)
from bots.operations.watch import Watcher, run_watch
from bots.run_options import RunOptions
from bots.wiki.connect import open_session, probe_shutoff
from bots.wiki.credentials import install_log_redaction, redact
from bots.wiki.records import ShutoffReading

# What `status` asks the wiki: the shutoff page's state (a stand-in in tests).
ShutoffProbe = Callable[[Config], ShutoffReading]
Parser = TypeVar("Parser", bound=argparse.ArgumentParser)


def _job_list(text: str) -> list[str]:
    jobs = [j.strip() for j in text.split(",") if j.strip()]
    unknown = [j for j in jobs if j not in JOBS]
    if not jobs or unknown:
        raise argparse.ArgumentTypeError(
            f"unknown job(s) {', '.join(unknown) or '(none given)'}; "
            f"known: {', '.join(JOBS)}"
        )
    return list(dict.fromkeys(jobs))


def add_commands(sub: argparse._SubParsersAction[Parser]) -> None:
    """Register the operations subcommands on the main parser's subparsers."""
    schedule = sub.add_parser(
        "schedule", help="run the jobs on their cron schedules until SIGTERM or Ctrl-C"
    )
    schedule.add_argument(
        "--once", action="store_true",
        help="demo mode: fire each job once, in order, and exit with the worst exit code",
    )
    schedule.add_argument("--jobs", type=_job_list, metavar="JOB,...",
                          help=f"comma-separated jobs (default: {','.join(JOB_NAMES)})")
    schedule.add_argument("--simulate", action="store_true", help="never write (dry run)")
    schedule.add_argument("--watch", action="store_true",
                          help="also follow recent changes every [watch] interval_seconds")

    watch = sub.add_parser(
        "watch", help="follow recent changes and update what they touch within one interval"
    )
    watch.add_argument("--interval", type=float, default=None, metavar="SECONDS",
                       help="seconds between polls (default: [watch] interval_seconds)")
    watch.add_argument("--iterations", type=int, default=None, metavar="N",
                       help="stop after N polls (exit code: the worst job's)")
    watch.add_argument("--once", action="store_true", help="one poll, then exit")
    watch.add_argument("--simulate", action="store_true", help="never write (dry run)")

    status = sub.add_parser(
        "status", help="last runs per job, next scheduled times and the shutoff state"
    )
    status.add_argument("--json", action="store_true", help="machine-readable output")
    status.add_argument("--runs", type=int, default=3, metavar="N",
                        help="runs shown per job (default: %(default)s)")
    status.add_argument("--offline", action="store_true",
                        help="do not read the shutoff page from the wiki")

    toolforge = sub.add_parser(
        "toolforge-jobs", help="write a jobs.yaml for `toolforge jobs load`"
    )
    toolforge.add_argument(
        "--config", dest="toolforge_configs", action="append", metavar="FILE",
        help="a wiki's config file; repeat for several wikis (default: the global --config)",
    )
    toolforge.add_argument("--output", "-o", default="jobs.yaml",
                           help="file to write, '-' for standard output (default: %(default)s)")
    toolforge.add_argument("--image", default=DEFAULT_IMAGE,
                           help="Toolforge image (default: %(default)s)")
    toolforge.add_argument("--mem", default=DEFAULT_MEMORY,
                           help="memory per job (default: %(default)s)")
    toolforge.add_argument("--workdir", default=DEFAULT_WORKDIR,
                           help="checkout on the tool's NFS home (default: %(default)s)")
    toolforge.add_argument("--executable", default=DEFAULT_EXECUTABLE,
                           help="advocacy-hub, relative to the workdir (default: %(default)s)")
    toolforge.add_argument("--jobs", type=_job_list, metavar="JOB,...",
                           help=f"comma-separated jobs (default: {','.join(JOB_NAMES)})")


def dispatch(args: argparse.Namespace, config: Config, simulate: bool, out: TextIO) -> int:
    install_log_redaction()
    if args.command == "schedule":
        return cmd_schedule(config, args.jobs or list(JOB_NAMES), once=args.once,
                            simulate=simulate, out=out, watch=args.watch)
    if args.command == "watch":
        interval = args.interval if args.interval is not None else config.watch.interval_seconds
        if interval <= 0 or (args.iterations is not None and args.iterations < 1):
            print("advocacy-hub: usage error: --interval and --iterations must be positive",
                  file=sys.stderr)
            return EXIT_USAGE
        options = RunOptions(simulate=simulate, out=out, progress=False)
        return run_watch(config, options, open_session, interval=interval,
                         iterations=1 if args.once else args.iterations)
    if args.command == "status":
        return cmd_status(config, as_json=args.json, runs=args.runs, offline=args.offline,
                          out=out)
    if args.command == "toolforge-jobs":
        return cmd_toolforge_jobs(config, args, out)
    print(f"advocacy-hub: unknown command {args.command!r}", file=sys.stderr)
    return EXIT_USAGE


# ---------------------------------------------------------------------------------- schedule
def cmd_schedule(
    config: Config, jobs: list[str], *, once: bool, simulate: bool, out: TextIO,
    watch: bool = False,
) -> int:
    # a terminal's progress line would garble the scheduler's log, so only --once shows it
    options = RunOptions(simulate=simulate, out=out, progress=None if once else False)
    fire = partial(fire_job, config=config, options=options)
    if once:
        return run_once(jobs, fire)
    for job in jobs:
        job_trigger(config, job)  # a bad cron expression is a config error before starting
    if not watch:
        return run_scheduler(config, jobs, fire)
    # the watcher is one more job of the same single worker: never two requests at once
    from apscheduler.triggers.interval import IntervalTrigger

    interval = config.watch.interval_seconds
    watcher = Watcher(config, replace(options, progress=False), open_session, interval)

    def fire_or_watch(job: str) -> int:
        return watcher.step() if job == "watch" else fire(job)

    return run_scheduler(config, [*jobs, "watch"], fire_or_watch,
                         triggers={"watch": IntervalTrigger(seconds=interval)})


# ---------------------------------------------------------------------------------- status
def shutoff_summary(config: Config, probe: ShutoffProbe = probe_shutoff) -> dict[str, str]:
    try:
        reading = probe(config)
    except Exception as exc:  # status must answer even when the wiki is down
        reason = redact(str(exc).strip().splitlines()[0] if str(exc).strip() else "")
        detail = f"{type(exc).__name__}: {reason}"[:200]
        return {"page": config.shutoff.page, "state": "unknown",
                "text": f"unknown (wiki unreachable: {detail})"}
    return {"page": config.shutoff.page, "state": "run" if reading.says_run else "stop",
            "text": reading.describe()}


def collect_status(
    config: Config, *, runs: int = 3, offline: bool = False,
    probe: ShutoffProbe = probe_shutoff,
) -> dict[str, Any]:
    logged = sorted({r.job for r in read_run_records(config)} - set(JOB_NAMES))
    jobs = [*JOB_NAMES, *logged]
    recent = last_runs(config, jobs, per_job=runs)
    entries = []
    for job in jobs:
        entry: dict[str, Any] = {"job": job, "schedule": None, "next_run": None}
        if job in JOB_NAMES:
            entry["schedule"] = schedule_expression(config, job)
            try:
                upcoming = next_run_time(config, job)
                entry["next_run"] = upcoming.isoformat() if upcoming else None
            except ConfigError as exc:
                entry["schedule_error"] = exc.reason
        entry["running"] = lock_holder(config, job)
        entry["last_runs"] = [asdict(r) for r in recent[job]]
        # a dry run's edits never reached the wiki: counted apart from the real ones
        entry["edits_saved"] = sum(r.edits for r in recent[job] if not r.simulate)
        entry["edits_simulated"] = sum(r.edits for r in recent[job] if r.simulate)
        entries.append(entry)
    shutoff = (
        {"page": config.shutoff.page, "state": "unknown", "text": "unknown (not checked)"}
        if offline else shutoff_summary(config, probe)
    )
    return {
        "config": config.path,
        "wiki": f"{config.wiki.family}:{config.wiki.code}",
        "checked_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "timezone": config.schedule.timezone,
        "run_log": str(run_log_path(config)),
        "scheduler": lock_holder(config, "scheduler"),
        "shutoff": shutoff,
        "jobs": entries,
    }


def _run_line(record: RunRecord) -> str:
    errors = "; ".join(record.errors)
    shown = errors if len(errors) <= 90 else errors[:89] + "…"
    saved, simulated = (0, record.edits) if record.simulate else (record.edits, 0)
    return (
        f"  {record.start:<25}  {record.outcome + (' (sim)' if record.simulate else ''):<13}"
        f" {saved:>5} {simulated:>9} {record.pages_read:>6} {record.api_requests:>8}"
        f" {record.seconds:>8.1f}s  {shown}"
    ).rstrip()


def render_status(status: dict[str, Any], runs: dict[str, list[RunRecord]]) -> str:
    scheduler = f"running ({status['scheduler']})" if status["scheduler"] else "not running"
    lines = [
        f"wiki:      {status['wiki']} (config {status['config']})",
        f"shutoff:   {status['shutoff']['page']}: {status['shutoff']['text']}",
        f"scheduler: {scheduler}",
        f"run log:   {status['run_log']}",
    ]
    for entry in status["jobs"]:
        lines.append("")
        if entry["schedule"] is None:
            when = "not scheduled"
        elif "schedule_error" in entry:
            when = f"cron {entry['schedule']!r}: INVALID: {entry['schedule_error']}"
        else:
            when = f"cron {entry['schedule']!r} ({status['timezone']}), next {entry['next_run']}"
        running = f"; RUNNING NOW ({entry['running']})" if entry["running"] else ""
        lines.append(f"{entry['job']}: {when}{running}")
        if not runs[entry["job"]]:
            lines.append("  no runs recorded")
            continue
        lines.append(f"  {'start':<25}  {'outcome':<13} {'edits':>5} {'simulated':>9} {'read':>6}"
                     f" {'requests':>8} {'time':>9}  errors")
        lines.extend(_run_line(r) for r in runs[entry["job"]])
        lines.append(f"  edits in these runs: {entry['edits_saved']} saved, "
                     f"{entry['edits_simulated']} simulated (dry runs, never saved)")
    return "\n".join(lines) + "\n"


def cmd_status(config: Config, *, as_json: bool, runs: int, offline: bool, out: TextIO,
               probe: ShutoffProbe = probe_shutoff) -> int:
    status = collect_status(config, runs=runs, offline=offline, probe=probe)
    if as_json:
        out.write(json.dumps(status, indent=2, ensure_ascii=False) + "\n")
    else:
        recent = {e["job"]: [RunRecord(**r) for r in e["last_runs"]] for e in status["jobs"]}
        out.write(render_status(status, recent))
    return EXIT_OK


# ---------------------------------------------------------------------------------- toolforge
def cmd_toolforge_jobs(config: Config, args: argparse.Namespace, out: TextIO) -> int:
    paths = args.toolforge_configs or [config.path]
    configs = [config if p == config.path else load_checked_config(p) for p in paths]
    base = Path.cwd()
    try:
        jobs = build_jobs(configs, jobs=args.jobs or JOB_NAMES, image=args.image, mem=args.mem,
                          workdir=args.workdir, executable=args.executable, base_dir=base)
        text = render_jobs_yaml(jobs, sources=[str(p) for p in paths])
    except ToolforgeError as exc:
        print(f"advocacy-hub: toolforge-jobs: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.output == "-":
        out.write(text)
        return EXIT_OK
    write_jobs_yaml(args.output, text)
    print(f"wrote {len(jobs)} jobs to {args.output}; load them on Toolforge with "
          f"`toolforge jobs load {args.output}`", file=out)
    return EXIT_OK
