"""The long-running scheduler: each job fires from its cron expression in the config.

`advocacy-hub schedule` runs an APScheduler 3 `BlockingScheduler` with one cron trigger per job.
Every firing opens a fresh `WikiSession` (logging in again when the server-side session has
expired) and hands it to `bots.operations.jobs.run_job`, which takes the job's lock, checks
the shutoff page and writes the run log. What the scheduler adds:

- `job_defaults`: `max_instances=1` (a job never overlaps itself), `coalesce=True` (runs missed
  while the process was busy or asleep become one), `misfire_grace_time` from
  `schedule.misfire_grace_seconds` (APScheduler's default of 1 s silently drops a late run, and
  the value is only honoured inside `job_defaults`).
- One worker thread: jobs share one account and Pywikibot's process-wide state, and the API
  etiquette asks bots not to send parallel requests; a job due while another runs waits its turn.
- A job that crashes, or whose session cannot be opened, is logged with its traceback and
  recorded in the run log; it runs again at its next slot and the scheduler keeps going.
- Exit code 3 (the shutoff page says stop) pauses work, it does not end the process: the
  scheduler logs it and checks the page again at the next slot, so the community can restart the
  bot by editing the page back without shell access.
- SIGTERM / Ctrl-C: no new job starts, the running one stops before its next edit, then
  `shutdown(wait=True)` and exit 0 (see `bots.shutdown`).

Cron expressions have standard cron meaning everywhere (this scheduler, `status`, and Toolforge's
Kubernetes cron jobs). APScheduler 3's `from_crontab` does not: it numbers weekdays from Monday
(`1` is Tuesday there), so expressions are parsed here and handed to APScheduler as explicit
values. Restricting both day of month and day of week is refused, because cron runs when either
matches and APScheduler only when both do.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bots.config.cron import WEEKDAYS, CronSchedule, parse_cron
from bots.config.model import Config, ConfigError
from bots.errors import EXIT_JOB_FAILED, EXIT_OK, EXIT_SHUTOFF, BotStop
from bots.operations.jobs import run_job
from bots.operations.locking import scheduler_lock
from bots.operations.runlog import RunOutcome, record_unstarted
from bots.run_options import RunOptions
from bots.shutdown import graceful_stop, request_stop, stop_reason, stop_requested, wait_for_stop
from bots.wiki import connect
from bots.wiki.credentials import redact
from bots.wiki.session import WikiSession

if TYPE_CHECKING:
    from apscheduler.schedulers.base import BaseScheduler
    from apscheduler.triggers.base import BaseTrigger

log = logging.getLogger(__name__)


def _aps_field(schedule: CronSchedule, index: int) -> str:
    if schedule.is_every(index):
        return "*"
    if index == 4:  # by name: APScheduler 3 numbers weekdays from Monday
        return ",".join(WEEKDAYS[v] for v in sorted(schedule.values[index]))
    return ",".join(str(v) for v in sorted(schedule.values[index]))


def cron_trigger(expression: str, timezone: str | ZoneInfo = "UTC") -> BaseTrigger:
    """An APScheduler CronTrigger that fires exactly when cron would."""
    from apscheduler.triggers.cron import CronTrigger

    schedule = parse_cron(expression)
    zone = ZoneInfo(timezone) if isinstance(timezone, str) else timezone
    minute, hour, day, month, day_of_week = (_aps_field(schedule, i) for i in range(5))
    return CronTrigger(
        minute=minute, hour=hour, day=day, month=month, day_of_week=day_of_week, timezone=zone
    )


def schedule_zone(config: Config) -> ZoneInfo:
    try:
        return ZoneInfo(config.schedule.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            config.path, "schedule.timezone", f"unknown time zone {config.schedule.timezone!r}"
        ) from exc


def schedule_expression(config: Config, job: str) -> str:
    expression = getattr(config.schedule, job, None)
    if not isinstance(expression, str):
        raise ConfigError(config.path, f"schedule.{job}", "no schedule is configured for this job")
    return expression


def job_trigger(config: Config, job: str) -> BaseTrigger:
    """The job's trigger from the config; a bad expression is a ConfigError naming the key."""
    expression = schedule_expression(config, job)
    try:
        return cron_trigger(expression, schedule_zone(config))
    except ValueError as exc:
        raise ConfigError(config.path, f"schedule.{job}", f"{expression!r}: {exc}") from exc


def next_run_time(config: Config, job: str, now: datetime | None = None) -> datetime | None:
    """When the job fires next, from its cron expression alone (no scheduler needed)."""
    trigger = job_trigger(config, job)
    upcoming: datetime | None = trigger.get_next_fire_time(
        None, now or datetime.now(schedule_zone(config))
    )
    return upcoming


def job_defaults(config: Config) -> dict[str, Any]:
    return {
        "max_instances": 1,
        "coalesce": True,
        "misfire_grace_time": config.schedule.misfire_grace_seconds,
    }


# ---------------------------------------------------------------------------------- firing
FireFunction = Callable[[str], int]


def _record_unstarted(config: Config, job: str, code: int, error: str, simulate: bool) -> None:
    outcome = RunOutcome.STOPPED if code == EXIT_SHUTOFF else RunOutcome.FAILED
    record_unstarted(config, job, outcome, code, error, simulate)


def fire_job(
    job: str,
    config: Config,
    options: RunOptions,
    *,
    open_session: Callable[[Config, bool], WikiSession] = connect.open_session,
) -> int:
    """One firing of one job: a new session, `run_job`, log line. Returns the exit code.

    The session is new for every firing: Pywikibot keeps one site per process and trusts its
    cached login state, while after hours or days the server may have dropped the session."""
    if stop_requested():
        log.info("job %s: not started (%s)", job, stop_reason())
        return EXIT_OK
    log.info("job %s: starting", job)
    try:
        session = open_session(config, options.simulate)
    except Exception as exc:  # the wiki is down, login refused, unsafe credentials ...
        code = exc.exit_code if isinstance(exc, BotStop) else EXIT_JOB_FAILED
        error = redact(f"could not open a session: {type(exc).__name__}: {exc}")
        if isinstance(exc, BotStop):
            log.error("job %s: %s", job, error)
        else:
            log.error("job %s: %s\n%s", job, error, redact(traceback.format_exc()))
        _record_unstarted(config, job, code, error, options.simulate)
        return code
    result = run_job(job, session, config, options)
    log.info("job %s: exit %d: %s", job, result.exit_code, result.report.summary_line())
    if result.exit_code == EXIT_SHUTOFF:
        log.warning(
            "job %s: the shutoff page %s says stop; no edits until it says %r again "
            "(checked at every slot)",
            job,
            config.shutoff.page,
            config.shutoff.run_value,
        )
    return result.exit_code


def _fire_guarded(fire: FireFunction, job: str, trigger: BaseTrigger | None = None) -> int:
    """Run a firing so that nothing it raises can reach APScheduler or stop other jobs."""
    if stop_requested():  # a firing queued behind the running job when the stop came
        log.info("job %s: not started (%s)", job, stop_reason())
        return EXIT_OK
    try:
        code = fire(job)
    except Exception:
        log.error(
            "job %s crashed; it runs again at its next slot:\n%s",
            job,
            redact(traceback.format_exc()),
        )
        code = EXIT_JOB_FAILED
    if trigger is not None and not stop_requested():
        upcoming = trigger.get_next_fire_time(None, datetime.now(UTC))
        log.info("job %s: next run %s", job, upcoming.isoformat() if upcoming else "never")
    return code


# ---------------------------------------------------------------------------------- scheduler
def build_scheduler(
    config: Config,
    jobs: Sequence[str],
    fire: FireFunction,
    *,
    scheduler_class: type[BaseScheduler] | None = None,
    triggers: Mapping[str, BaseTrigger] | None = None,
) -> BaseScheduler:
    """A scheduler with one job per name; `triggers` overrides the config's (tests)."""
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.schedulers.blocking import BlockingScheduler

    cls = scheduler_class or BlockingScheduler
    scheduler = cls(
        timezone=schedule_zone(config),
        job_defaults=job_defaults(config),
        executors={"default": ThreadPoolExecutor(max_workers=1)},
    )
    for job in jobs:
        trigger = (triggers or {}).get(job) or job_trigger(config, job)
        scheduler.add_job(
            _fire_guarded, trigger=trigger, args=(fire, job, trigger), id=job, name=job
        )
    return scheduler


def _shutdown_when_asked(scheduler: BaseScheduler) -> None:
    from apscheduler.schedulers import SchedulerNotRunningError

    wait_for_stop()
    log.info("stopping the scheduler (%s): waiting for the running job", stop_reason())
    with suppress(SchedulerNotRunningError):
        scheduler.shutdown(wait=True)


def run_scheduler(
    config: Config,
    jobs: Sequence[str],
    fire: FireFunction,
    *,
    scheduler_class: type[BaseScheduler] | None = None,
    triggers: Mapping[str, BaseTrigger] | None = None,
    handle_signals: bool = True,
) -> int:
    """Run until SIGTERM/Ctrl-C (or `request_stop()`); 0 after a clean stop.

    Raises LockBusyError when another scheduler runs for the same wiki and state folder.
    """
    from apscheduler.events import EVENT_SCHEDULER_STARTED

    with scheduler_lock(config), graceful_stop(handle_signals=handle_signals):
        scheduler = build_scheduler(
            config, jobs, fire, scheduler_class=scheduler_class, triggers=triggers
        )
        # The stopper starts once the scheduler runs, so a signal that arrives earlier is
        # still acted on: shutdown() before start() would be lost and start() block forever.
        stopper = threading.Thread(
            target=_shutdown_when_asked, args=(scheduler,), name="advocacy-hub-stop", daemon=True
        )
        scheduler.add_listener(lambda event: stopper.start(), EVENT_SCHEDULER_STARTED)
        now = datetime.now(UTC)
        for job in scheduler.get_jobs():
            upcoming = job.trigger.get_next_fire_time(None, now)
            log.info("job %s: first run %s", job.id, upcoming.isoformat() if upcoming else "never")
        log.info(
            "scheduler running for %s:%s; stop it with SIGTERM or Ctrl-C (the shutoff page %s "
            "pauses the jobs without stopping the scheduler)",
            config.wiki.family,
            config.wiki.code,
            config.shutoff.page,
        )
        try:
            scheduler.start()  # a BlockingScheduler returns only after shutdown
            if scheduler.running:  # a BackgroundScheduler (tests) returns at once
                wait_for_stop()
        finally:
            request_stop(stop_reason() or "the scheduler ended")
            if stopper.ident is not None:
                stopper.join()
    log.info("scheduler stopped cleanly")
    return EXIT_OK


def run_once(jobs: Sequence[str], fire: FireFunction, *, handle_signals: bool = True) -> int:
    """Demo mode: fire each job once, in order; return the worst exit code.

    Like `run`, a shutoff (exit 3) ends the sequence: the community asked the bot to stop.
    """
    worst = EXIT_OK
    with graceful_stop(handle_signals=handle_signals):
        for job in jobs:
            if stop_requested():
                log.warning("job %s: not started (%s)", job, stop_reason())
                break
            started = time.monotonic()
            code = _fire_guarded(fire, job)
            log.info("job %s: done in %.1f s", job, time.monotonic() - started)
            worst = max(worst, code)
            if code == EXIT_SHUTOFF:
                log.warning("the shutoff page says stop: no further job is started")
                break
    return worst
