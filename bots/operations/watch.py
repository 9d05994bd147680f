"""`advocacy-hub watch`: lists fresh within one interval of an edit.

    advocacy-hub [--config FILE] watch [--interval SECONDS] [--iterations N] [--simulate]

Every interval (``[watch] interval_seconds``, default 60) the watcher sends one request: the
recent changes since the position it reached (without the bot's own edits), with the shutoff
page and the refresh request page read along (``bots.wiki.recent_changes``). Nothing changed:
nothing more is sent. Otherwise it works out which jobs the changes touch (:func:`plan_for`,
pure) and runs them through ``run_job``, so the jobs' locks, shutoff checks, circuit breakers,
run log and status page apply unchanged:

- a change to a case page (edit, creation, deletion, move to or from the case scope) runs the
  index job; every view that lists or would list the case is re-rendered and only the pages
  whose text changes are saved. It runs the translation status job too (tables cover pages
  under prefixes, case pages among them);
- an edit to another page the bot may edit (an index or status table page) refreshes that
  page alone (index: only that page is written) and the translation tables;
- a change in the translation unit namespace runs the translation status job;
- a change to a case page or to another page the bot may edit (a partner or positions page)
  runs the knowledge job over all its pages: a partner page's edit shows on the partners view;
- the refresh request page (``[watch] request_page``): an edit to it refreshes the pages it
  links (``[[Title]]``, at most 50), so an editor can ask for an update now.

The position is kept in memory and, as a shortcut, in ``<state_dir>/watch.json``; after a
restart it is derived from the wiki: a window (five minutes, or two intervals) before the bot
account's latest edit, or the saved position if that is later. Reading a change twice is
harmless; none is lost. A job that could not run (its lock is held by a scheduled run, the
shutoff page says stop) leaves the position where it was, so those changes come again.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from bots.config.model import Config
from bots.config.permissions import case_page_allowed, edit_refusal
from bots.errors import EXIT_JOB_FAILED, EXIT_OK, EXIT_SHUTOFF
from bots.operations.jobs import run_job
from bots.operations.locking import job_lock
from bots.run_options import RunOptions
from bots.shutdown import graceful_stop, stop_requested, wait_for_stop
from bots.wiki.recent_changes import Change, Position, poll_changes, resume_position
from bots.wiki.records import shutoff_state
from bots.wiki.session import WikiSession

log = logging.getLogger(__name__)

MAX_REQUESTED = 50  # pages one edit of the request page may ask for
_LINK_RE = re.compile(r"\[\[\s*:?([^\[\]|{}<>#]+?)\s*(?:\|[^\[\]]*)?\]\]")
ALL_PAGES: frozenset[str] = frozenset()  # a job's plan entry: every page of the job


@dataclass(frozen=True)
class Touched:
    """A page a change touched: its title and namespace."""

    title: str
    namespace: int


def touched_pages(changes: Iterable[Change]) -> list[Touched]:
    """Every title a change touched: a move touches the old title and the new one."""
    out: list[Touched] = []
    for change in changes:
        out.append(Touched(change.title, change.namespace))
        if change.target:
            out.append(Touched(change.target, change.target_namespace))
    return out


def requested_pages(text: str | None) -> list[str]:
    """The pages the refresh request page links (bounded), in order."""
    titles = [" ".join(m.group(1).replace("_", " ").split()) for m in _LINK_RE.finditer(text or "")]
    return list(dict.fromkeys(t for t in titles if t))[:MAX_REQUESTED]


def plan_for(
    touched: Sequence[Touched], config: Config, requested: Sequence[str] = (),
) -> dict[str, frozenset[str]]:
    """Which jobs to run, each with the pages it may write (``ALL_PAGES``: all). Pure."""
    index: set[str] = set(requested)
    index_all = False
    translations = bool(requested)
    for page in touched:
        if page.title == config.watch.request_page:
            continue
        if case_page_allowed(page.title, page.namespace, config):
            index_all = translations = True
        elif page.namespace == config.translations.unit_namespace:
            translations = translations or _unit_source_in_scope(page.title, config)
        elif edit_refusal(page.title, page.namespace, config) is None:
            index.add(page.title)
            translations = True
    plan: dict[str, frozenset[str]] = {}
    if index_all or index:
        plan["index"] = ALL_PAGES if index_all else frozenset(index)
    if translations:
        plan["translations"] = ALL_PAGES
    # The knowledge views list cases and read partner and position pages anywhere the bot may
    # edit: any such change may show on any view page (saved only where the text changes).
    if index_all or index - set(requested):
        plan["knowledge"] = ALL_PAGES
    elif requested:
        plan["knowledge"] = frozenset(requested)
    return plan


def _unit_source_in_scope(title: str, config: Config) -> bool:
    """A translation unit page (``Translations:Source/unit/lang``) whose source page the bot's
    tables may show: one it may edit or a case page."""
    source = title.split(":", 1)[-1].rsplit("/", 2)[0]
    return edit_refusal(source, 0, config) is None or case_page_allowed(source, 0, config)


# ------------------------------------------------------------------------------ the position
def _checkpoint(config: Config) -> Path:
    return config.state_path / "watch.json"


def saved_position(config: Config) -> Position | None:
    try:
        data = json.loads(_checkpoint(config).read_text("utf-8"))
        return Position(str(data["timestamp"]), int(data["rcid"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save_position(config: Config, position: Position) -> None:
    path = _checkpoint(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"timestamp": position.timestamp, "rcid": position.rcid}), "utf-8")
    tmp.replace(path)


def start_position(session: WikiSession, config: Config, interval: float) -> Position:
    """From the wiki (the bot's latest edit, a window before), or the saved position if later."""
    derived = resume_position(session, max(300.0, 2 * interval))
    saved = saved_position(config)
    if saved is not None and (saved.timestamp, saved.rcid) > (derived.timestamp, 0):
        return saved
    return derived


# ------------------------------------------------------------------------------ the loop
@dataclass
class WatchStats:
    polls: int = 0
    runs: int = 0
    worst: int = EXIT_OK


def watch_once(session: WikiSession, config: Config, options: RunOptions, position: Position,
               stats: WatchStats) -> Position:
    """One interval's work; returns the new position."""
    extra = tuple(p for p in (config.shutoff.page, config.watch.request_page) if p)
    poll = poll_changes(session, position, pages=extra)
    stats.polls += 1
    stop = shutoff_state(poll.texts.get(config.shutoff.page), config.shutoff.run_value)
    if stop is not None:
        log.warning("watch: the shutoff page %s says stop (%s); waiting", config.shutoff.page, stop)
        stats.worst = max(stats.worst, EXIT_SHUTOFF)
        return position
    if not poll.changes:
        return poll.position
    touched = touched_pages(poll.changes)
    request = config.watch.request_page
    asked = (requested_pages(poll.texts.get(request))
             if request and any(t.title == request for t in touched) else [])
    plan = plan_for(touched, config, asked)
    log.info("watch: %d change(s); running %s", len(poll.changes),
             ", ".join(f"{job} ({', '.join(sorted(p)) or 'all pages'})"
                       for job, p in plan.items()) or "nothing")
    done = True
    for job, pages in plan.items():
        result = run_job(job, session, config, replace(options, only_pages=pages))
        stats.runs += 1
        print(result.report.summary_line() + (" (simulated)" if options.simulate else ""),
              file=options.out, flush=True)
        if not result.started or result.exit_code not in (EXIT_OK, EXIT_JOB_FAILED):
            done = False  # a held lock, a stop: the changes come again at the next interval
        stats.worst = max(stats.worst, result.exit_code)
    return poll.position if done else position


class Watcher:
    """The watcher's state across intervals: a session (opened again after a failure) and the
    position. ``step`` is one interval's work, for the loop below and for `schedule --watch`."""

    def __init__(self, config: Config, options: RunOptions,
                 open_session: Callable[[Config, bool], WikiSession], interval: float) -> None:
        self.config, self.options, self.interval = config, options, interval
        self.open_session = open_session
        self.session: WikiSession | None = None
        self.position: Position | None = None
        self.stats = WatchStats()

    def step(self) -> int:
        try:
            if self.session is None:
                self.session = self.open_session(self.config, self.options.simulate)
            if self.position is None:
                self.position = start_position(self.session, self.config, self.interval)
                log.info("watch: following recent changes from %s every %.0f s",
                         self.position.timestamp, self.interval)
            self.position = watch_once(self.session, self.config, self.options, self.position,
                                       self.stats)
        except Exception:
            self.session = None  # a new login at the next interval
            raise
        if not self.options.simulate:
            save_position(self.config, self.position)
        return self.stats.worst


def run_watch(
    config: Config, options: RunOptions, open_session: Callable[[Config, bool], WikiSession], *,
    interval: float, iterations: int | None = None, handle_signals: bool = True,
) -> int:
    """Watch until SIGTERM/Ctrl-C, or ``iterations`` polls; the worst job exit code (0 when
    stopped on request)."""
    watcher = Watcher(config, options, open_session, interval)
    with job_lock(config, "watch"), graceful_stop(handle_signals=handle_signals):
        while not stop_requested():
            watcher.step()
            if iterations is not None and watcher.stats.polls >= iterations:
                break
            if wait_for_stop(interval):
                break
        stopped = stop_requested()  # SIGTERM/Ctrl-C: a clean stop, whatever the last job did
    log.info("watch: %d poll(s), %d job run(s)", watcher.stats.polls, watcher.stats.runs)
    return EXIT_OK if stopped or iterations is None else watcher.stats.worst
