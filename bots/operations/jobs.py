"""The registry of bot jobs and the wrapper that runs one job safely.

Each job module exposes ``run(session, config, options, report) -> JobReport`` and records
into the report it is given, so that work done before a mid-run stop is still reported.
`run_job` adds what every job needs: the per-job lock, the shutoff check before the first
request that matters, the run log record, and the mapping of stops and crashes to a report
instead of a traceback.
"""

from __future__ import annotations

import importlib
import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bots.config.model import JOB_NAMES, Config
from bots.errors import EXIT_JOB_FAILED, EXIT_OK, EXIT_SHUTOFF, BotStop, ShutoffError
from bots.operations.locking import job_lock
from bots.operations.runlog import RunRecord, append_run_record
from bots.outcomes import JobReport
from bots.run_options import RunOptions
from bots.shutdown import StopRequested

log = logging.getLogger(__name__)


JOB_MODULES: dict[str, str] = {
    "index": "bots.index.job",
    "translations": "bots.translations.job",
    "digest": "bots.digest.job",
}


JobFunction = Callable[..., JobReport]


def job_function(name: str) -> JobFunction:
    if name not in JOB_MODULES:
        raise KeyError(f"unknown job {name!r}; known: {', '.join(JOB_NAMES)}")
    module = importlib.import_module(JOB_MODULES[name])
    return module.run  # type: ignore[no-any-return]


@dataclass
class JobResult:
    report: JobReport
    exit_code: int
    error: str = ""


def _outcome(exit_code: int, interrupted: bool) -> str:
    if exit_code == EXIT_OK:
        return "ok"
    if exit_code == EXIT_SHUTOFF or interrupted:
        return "stopped"
    return "failed"


def run_job(name: str, session: object, config: Config, options: RunOptions) -> JobResult:
    """Run one job under its lock and record it in the run log; never raises for job errors."""
    from bots.wiki.session import WikiSession

    assert isinstance(session, WikiSession)
    started = datetime.now(UTC)
    t0 = time.monotonic()
    requests0 = session.counter.requests
    saved0 = session.saved_count
    report = JobReport(job=name)
    exit_code = EXIT_OK
    error = ""
    interrupted = False  # stopped by SIGTERM/Ctrl-C: work done so far is kept
    try:
        with job_lock(config, name, wait_seconds=config.runtime.lock_wait_seconds):
            session.preflight()
            report = job_function(name)(session, config, options, report)
            if not report.ok:
                exit_code = EXIT_JOB_FAILED
                error = "; ".join(f"{f.title}: {f.reason}" for f in report.failures)
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
        ),
    )
    return JobResult(report=report, exit_code=exit_code, error=error)
