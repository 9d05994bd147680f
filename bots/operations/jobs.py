"""The registry of bot jobs and the wrapper that runs one job safely.

Each job's driver (``bots/<job>/job.py``) exposes ``run(session, config, options, report) ->
JobReport`` and records into the report it is given, so that work done before a mid-run stop is
still reported. Operations is the top layer: it imports the three drivers directly into `JOBS`.
`run_job` adds what every job needs: the per-job lock, the shutoff check before the first
request that matters, the run log record, and the mapping of stops and crashes to a report
instead of a traceback.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from bots.config.model import Config, ConfigError
from bots.config.permissions import write_refusals
from bots.digest.job import run as run_digest
from bots.errors import EXIT_JOB_FAILED, EXIT_OK, EXIT_SHUTOFF, EXIT_USAGE, BotStop, ShutoffError
from bots.index.job import run as run_index
from bots.knowledge.job import run as run_knowledge
from bots.operations.locking import job_lock
from bots.operations.runlog import RunOutcome, RunRecord, append_run_record, read_run_records
from bots.operations.status_page import update_status_page
from bots.operations.suspension import Streak, logged_suspensions, place_notes, suspended_pages
from bots.outcomes import JobReport
from bots.run_options import RunOptions
from bots.shutdown import StopRequested
from bots.translations.job import run as run_translations
from bots.wiki.session import WikiSession

log = logging.getLogger(__name__)

# The job contract: run(session, config, options, report) -> the same report, filled in.
JobFunction = Callable[[WikiSession, Config, RunOptions, JobReport], JobReport]

JOBS: dict[str, JobFunction] = {
    "index": run_index,
    "translations": run_translations,
    "digest": run_digest,
    "knowledge": run_knowledge,
}


def job_function(name: str) -> JobFunction:
    if name not in JOBS:
        raise KeyError(f"unknown job {name!r}; known: {', '.join(JOBS)}")
    return JOBS[name]


@dataclass
class JobResult:
    report: JobReport
    exit_code: int
    error: str = ""
    started: bool = False  # the job itself ran (it held its lock and the wiki let it start)


def check_pages_to_write(session: WikiSession, config: Config, job: str) -> None:
    """The pages the configuration names for the job to write lie inside those the bot may
    edit, with their namespaces as the wiki knows them (loading the file checked those with
    canonical namespace names already). No request: the namespaces came with the login."""
    for key, reason in write_refusals(config, resolve=session.normalize, job=job):
        raise ConfigError(config.path, key, reason)


def _outcome(exit_code: int, interrupted: bool) -> RunOutcome:
    if exit_code == EXIT_OK:
        return RunOutcome.OK
    if exit_code == EXIT_SHUTOFF or interrupted:
        return RunOutcome.STOPPED
    return RunOutcome.FAILED


def run_job(name: str, session: WikiSession, config: Config, options: RunOptions) -> JobResult:
    """Run one job under its lock and record it in the run log; never raises for job errors."""
    started = datetime.now(UTC)
    t0 = time.monotonic()
    requests0 = session.counter.requests
    saved0 = session.saved_count
    report = JobReport(job=name)
    exit_code = EXIT_OK
    error = ""
    interrupted = False  # stopped by SIGTERM/Ctrl-C: work done so far is kept
    ran = False
    suspended: dict[str, Streak] = {}
    try:
        with job_lock(config, name, wait_seconds=config.runtime.lock_wait_seconds):
            check_pages_to_write(session, config, name)
            session.preflight(write=False)
            suspended = suspended_pages(session, config, name, list(read_run_records(config)))
            options = replace(options, skip_pages=options.skip_pages | frozenset(suspended))
            ran = True
            report = job_function(name)(session, config, options, report)
            if not report.ok:
                exit_code = EXIT_JOB_FAILED
                error = "; ".join(f"{f.title}: {f.reason}" for f in report.failures)
    except ConfigError as exc:
        exit_code, error = EXIT_USAGE, f"config error: {exc}"
    except ShutoffError as exc:
        exit_code, error = exc.exit_code, str(exc)
    except StopRequested as exc:
        exit_code, error, interrupted = exc.exit_code, str(exc), True
    except BotStop as exc:
        exit_code, error = exc.exit_code, str(exc)
    except Exception as exc:  # a crashed job must not take the scheduler or other jobs down
        exit_code = EXIT_JOB_FAILED
        error = f"{type(exc).__name__}: {exc}"
        log.error("job %s crashed:\n%s", name, traceback.format_exc())
    if error:
        log.error("job %s stopped: %s", name, error)
    append_run_record(
        config,
        RunRecord(
            job=name,
            wiki=f"{config.wiki.family}:{config.wiki.code}",
            start=started.isoformat(timespec="seconds"),
            end=datetime.now(UTC).isoformat(timespec="seconds"),
            seconds=round(time.monotonic() - t0, 3),
            outcome=_outcome(exit_code, interrupted),
            exit_code=exit_code,
            simulate=options.simulate,
            pages_read=report.pages_read,
            edits=max(len(report.edits), session.saved_count - saved0),
            skipped=len(report.skipped),
            api_requests=session.counter.requests - requests0,
            errors=[error] if error else [f"{f.title}: {f.reason}" for f in report.failures],
            notes=list(report.notes),
            failed_pages=sorted({f.title for f in report.failures}),
            only_pages=sorted(options.only_pages),
            suspended_pages=sorted(options.skip_pages),
        ),
    )
    if exit_code not in (EXIT_SHUTOFF, EXIT_USAGE) and not interrupted:
        _after_run(session, config, name, set(suspended) if ran else None)
    return JobResult(report=report, exit_code=exit_code, error=error, started=ran)


def _after_run(session: WikiSession, config: Config, job: str, before: set[str] | None) -> None:
    """Suspension notes on pages that just reached the threshold, then the on-wiki status page;
    their trouble never changes a job's result."""
    try:
        records = list(read_run_records(config))
        if before is not None and not session.simulate:
            now = suspended_pages(session, config, job, records)
            place_notes(session, config, job, {t: s for t, s in now.items() if t not in before})
        update_status_page(session, config, logged_suspensions(config, records))
    except Exception as exc:  # a BotStop too: the job's own result stands
        log.warning("status page not updated: %s: %s", type(exc).__name__, exc)
