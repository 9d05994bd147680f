"""The on-wiki status page: for each job its last run's outcome, counts, errors and the pages
that failed, in the wiki's language, so editors see how the bot is doing without an operator.

On-wiki contract: the page is ``[status_page] page`` (off while empty; it must lie among the
pages the bot may edit). The bot writes only between ``{{Advocacy bot status}}`` and
``{{Advocacy bot status end}}`` (names from ``[status_page]``); when the page does not exist it
creates it with the two markers, and a page that exists without them is left alone (reported).

The state comes from the bot's own run log (real runs only: a dry run changes nothing) and is
rendered without the time of the last run: a job's row shows the outcome, since when it holds
(the first of the runs in a row that ended the same way, with the same errors and failed
pages) and the counts of that run. So the page changes only when a job's state changes, never
for a timestamp. The last rendered state is kept in ``<state_dir>/status_page.json``: while it
is unchanged, updating the page costs no request at all.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bots.config.model import JOB_NAMES, Config
from bots.i18n.messages import Messages
from bots.operations.runlog import RunOutcome, RunRecord, read_run_records
from bots.outcomes import EditOutcome, Saved, Skipped, Unchanged
from bots.wiki.records import PageSnapshot
from bots.wiki.saves import save_page
from bots.wiki.session import WikiSession
from bots.wikitext.escape import escape_inline, internal_link
from bots.wikitext.markers import content_hash, find_marker_regions, replace_regions, stamp_content

log = logging.getLogger(__name__)

MAX_LISTED = 50  # failed or suspended pages listed per job; the rest are counted
CACHE_FILE = "status_page.json"


@dataclass(frozen=True)
class JobState:
    """What the status page shows of one job."""

    job: str
    outcome: RunOutcome | None  # None: never ran
    since: str = ""  # the start of the first run of the current state
    counts: tuple[int, int, int, int] = (0, 0, 0, 0)  # read, edits, skipped, failed
    errors: tuple[str, ...] = ()
    failed_pages: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """What makes the state: a new value means the page changes."""
        return json.dumps([self.outcome, self.errors, self.failed_pages], ensure_ascii=False)


def _same_state(a: RunRecord, b: RunRecord) -> bool:
    return (a.outcome, a.errors, a.failed_pages) == (b.outcome, b.errors, b.failed_pages)


def job_states(records: Iterable[RunRecord], wiki: str, jobs: Sequence[str]) -> list[JobState]:
    """Each job's state from its real (not simulated) runs on ``wiki``, oldest record first."""
    runs: dict[str, list[RunRecord]] = {job: [] for job in jobs}
    for record in records:
        if record.wiki == wiki and not record.simulate and not record.only_pages:
            runs.setdefault(record.job, []).append(record)
    states = []
    for job, recorded in runs.items():
        if not recorded:
            states.append(JobState(job, None))
            continue
        last = first = recorded[-1]
        for earlier in reversed(recorded[:-1]):
            if not _same_state(earlier, last):
                break
            first = earlier
        states.append(JobState(
            job, last.outcome, first.start[:16].replace("T", " ") + " UTC",
            (first.pages_read, first.edits, first.skipped, len(first.failed_pages)),
            tuple(last.errors), tuple(last.failed_pages)))
    return states


def _job_name(job: str, messages: Messages, lang: str) -> str:
    key = f"advocacyhub-status-job-{job}"
    return messages.msg(key, lang) if messages.has(key, lang) else escape_inline(job)


def _listed(titles: Sequence[str]) -> list[str]:
    lines = [f"* {internal_link(t)}" for t in sorted(titles)[:MAX_LISTED]]
    if len(titles) > MAX_LISTED:
        lines.append(f"* … (+{len(titles) - MAX_LISTED})")
    return lines


def render_status_body(
    states: Sequence[JobState], suspended: Sequence[str], messages: Messages, lang: str
) -> str:
    """The status region's body (pure; no timestamp of its own)."""
    def m(key: str, *params: object) -> str:
        return messages.msg(f"advocacyhub-status-{key}", lang, *params)

    lines = [m("intro"), '{| class="wikitable"',
             "! " + " !! ".join(m(f"col-{c}") for c in ("job", "outcome", "since", "counts",
                                                         "errors"))]
    for state in states:
        lines.append("|-")
        if state.outcome is None:
            lines.append(f"| {_job_name(state.job, messages, lang)} || {m('never')} || || ||")
            continue
        errors = "<br />".join(escape_inline(e, 300) for e in state.errors[:10])
        lines.append(" || ".join((
            f"| {_job_name(state.job, messages, lang)}", m(f"outcome-{state.outcome.value}"),
            state.since, m("counts", *state.counts), errors or m("no-errors"))))
    lines.append("|}")
    for state in states:
        if state.failed_pages:
            lines += ["", m("failed-pages", _job_name(state.job, messages, lang)),
                      *_listed(state.failed_pages)]
    if suspended:
        lines += ["", m("suspended-pages"), *_listed(suspended)]
    return "\n".join(lines)


def status_page_text(old: str | None, body: str, config: Config) -> str | None:
    """The page's new text with ``body`` between the markers; None: no usable markers."""
    start, end = config.status_page.start, config.status_page.end
    inner = stamp_content(body)
    if old is None or not old.strip():
        return f"{{{{{start}}}}}{inner}{{{{{end}}}}}\n"
    scan = find_marker_regions(old, start, end)
    if not scan.ok or not scan.regions:
        return None
    return replace_regions(old, scan.regions, {scan.regions[0].index: inner})


def _cache_path(config: Config) -> Path:
    return config.state_path / CACHE_FILE


def _cached(config: Config) -> dict[str, str]:
    try:
        data = json.loads(_cache_path(config).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _remember(config: Config, entries: dict[str, str]) -> None:
    path = _cache_path(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(entries, ensure_ascii=False, sort_keys=True), "utf-8")
    tmp.replace(path)


def update_status_page(
    session: WikiSession, config: Config, suspended: Sequence[str] = (),
) -> EditOutcome | None:
    """Bring the status page up to date with the run log; None when there is none configured
    or this is a dry run. Never raises for the page's own problems (a Failed outcome)."""
    page = config.status_page.page
    if not page or session.simulate:
        return None
    wiki = f"{config.wiki.family}:{config.wiki.code}"
    records = list(read_run_records(config))
    logged = sorted({r.job for r in records if r.wiki == wiki} - set(JOB_NAMES))
    states = job_states(records, wiki, [*JOB_NAMES, *logged])
    lang = config.status_page.language or session.site_limits().content_language
    messages = Messages.load()
    body = render_status_body(states, sorted(suspended), messages, lang)
    entries = {"page": page, "hash": content_hash(body),
               **{f"job:{s.job}": s.key for s in states}}
    cached = _cached(config)
    if cached.get("page") == page and cached.get("hash") == entries["hash"]:
        return Unchanged(page)  # the state is what the page already shows: no request
    changed = [_job_name(s.job, messages, lang) for s in states
               if cached.get(f"job:{s.job}") != s.key] or [_job_name(s.job, messages, lang)
                                                          for s in states]
    summary = messages.msg("advocacyhub-status-summary", lang, ", ".join(changed))

    missing: list[str] = []

    def build(base: PageSnapshot) -> str | None:
        text = status_page_text(base.text, body, config)
        if text is None:
            missing.append(base.title)
        return text

    outcome = save_page(session, page, build, summary, may_create=True)
    if missing and isinstance(outcome, Unchanged):
        outcome = Skipped(page, f"the status page has no {{{{{config.status_page.start}}}}} … "
                                f"{{{{{config.status_page.end}}}}} markers; not written")
    if isinstance(outcome, Saved | Unchanged):
        _remember(config, entries)
    else:
        log.warning("status page %s: %s", page, getattr(outcome, "reason", outcome))
    return outcome

