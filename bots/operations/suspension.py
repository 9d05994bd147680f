"""Suspension: a page whose bot region failed in several runs in a row is left alone until a
person edits it.

On-wiki contract: when a page's update by the index or translation status job has failed in
``[suspension] after_failures`` (default 3) consecutive runs that covered it, the bot puts a
note at the top of its region(s) on that page, saying so and how to resume, with the tracking
category ``[suspension] category``, and stops writing the page. An edit to the page by anyone
but the bot resumes it: failures before that edit no longer count.

The state is derived, never stored: the failures come from the bot's own run log (the
``failed_pages`` of each run, runs limited to other pages or that left the page suspended not
counting either way), the edit that resumes from the page's latest revision, read (one batched
request) only for pages that reached the threshold. A run with no such page sends nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bots.config.model import Config
from bots.i18n.messages import Messages
from bots.operations.runlog import RunRecord
from bots.outcomes import EditOutcome
from bots.wiki.records import PageSnapshot
from bots.wiki.saves import save_page
from bots.wiki.session import WikiSession
from bots.wikitext.escape import escape_inline
from bots.wikitext.markers import find_marker_regions, replace_regions, stamp_content, strip_stamp

log = logging.getLogger(__name__)

SUSPENDING_JOBS = ("index", "translations")  # the jobs that own regions on shared pages


@dataclass(frozen=True)
class Streak:
    """A page's failures in a row, newest first (the start of each failing run)."""

    title: str
    starts: tuple[str, ...]
    last_error: str


def _moment(timestamp: str) -> datetime:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00"))


def _covers(record: RunRecord, title: str) -> bool:
    return (not record.only_pages or title in record.only_pages) and (
        title not in record.suspended_pages)


def failure_streaks(records: Iterable[RunRecord], wiki: str, job: str) -> dict[str, Streak]:
    """Each page's failures in a row in the job's real runs (pure)."""
    runs = [r for r in records if r.wiki == wiki and r.job == job and not r.simulate
            and r.exit_code in (0, 1) and r.pages_read > 0][::-1]
    titles = {t for r in runs for t in r.failed_pages}
    streaks: dict[str, Streak] = {}
    for title in titles:
        starts: list[str] = []
        error = ""
        for record in runs:
            if not _covers(record, title):
                continue
            if title not in record.failed_pages:
                break
            starts.append(record.start)
            error = error or next((e for e in record.errors if e.startswith(f"{title}: ")), "")
        if starts:
            streaks[title] = Streak(title, tuple(starts), error.removeprefix(f"{title}: "))
    return streaks


def counted_failures(streak: Streak, latest: PageSnapshot | None, bot: str) -> int:
    """Failures that still count: those after the latest edit by someone else (pure)."""
    if latest is None or not latest.exists or latest.user == bot or not latest.timestamp:
        return len(streak.starts)
    edited = _moment(latest.timestamp)
    return sum(1 for start in streak.starts if _moment(start) > edited)


def suspended_pages(
    session: WikiSession, config: Config, job: str, records: Sequence[RunRecord],
) -> dict[str, Streak]:
    """The job's pages suspended now (reads the latest revisions of candidates only)."""
    threshold = config.suspension.after_failures
    if threshold <= 0 or job not in SUSPENDING_JOBS:
        return {}
    wiki = f"{config.wiki.family}:{config.wiki.code}"
    candidates = {t: s for t, s in failure_streaks(records, wiki, job).items()
                  if len(s.starts) >= threshold}
    if not candidates:
        return {}
    latest = session.read_pages(sorted(candidates), content=False)
    return {t: s for t, s in candidates.items()
            if counted_failures(s, latest.get(t), config.wiki.user) >= threshold}


def logged_suspensions(config: Config, records: Sequence[RunRecord]) -> list[str]:
    """Pages suspended as far as the run log alone tells (for the status page; no request)."""
    threshold = config.suspension.after_failures
    if threshold <= 0:
        return []
    wiki = f"{config.wiki.family}:{config.wiki.code}"
    return sorted({t for job in SUSPENDING_JOBS
                   for t, s in failure_streaks(records, wiki, job).items()
                   if len(s.starts) >= threshold})


def _markers(config: Config, job: str) -> tuple[str, str]:
    templates = config.templates
    if job == "index":
        return templates.index_start, templates.index_end
    return templates.translation_start, templates.translation_end


def with_note(text: str, note: str, start: str, end: str) -> str | None:
    """``text`` with ``note`` at the top of each region between the markers (pure); None when
    there is no region or every region has it already."""
    scan = find_marker_regions(text, start, end)
    if not scan.ok or not scan.regions:
        return None
    new = {r.index: stamp_content(note + "\n" + strip_stamp(r.inner)) for r in scan.regions
           if note not in r.inner}
    return replace_regions(text, scan.regions, new) if new else None


def note_text(streak: Streak, config: Config, messages: Messages, lang: str) -> str:
    note = messages.msg("advocacyhub-status-suspended-note", lang, len(streak.starts),
                        escape_inline(streak.last_error or "?", 200))
    category = config.suspension.category
    return f'<div class="advocacy-hub-suspended">{note}</div>[[Category:{category}]]'


def place_notes(
    session: WikiSession, config: Config, job: str, suspended: Mapping[str, Streak],
) -> list[EditOutcome]:
    """The suspension note on each newly suspended page (a guarded save each)."""
    messages = Messages.load()
    lang = session.site_limits().content_language
    start, end = _markers(config, job)
    outcomes = []
    for title, streak in sorted(suspended.items()):
        note = note_text(streak, config, messages, lang)
        summary = messages.msg("advocacyhub-status-suspended-summary", lang, len(streak.starts))

        def build(base: PageSnapshot, note: str = note) -> str | None:
            return with_note(base.text or "", note, start, end)

        outcomes.append(save_page(session, title, build, summary))
        log.warning("%s: %s suspended after %d failed runs in a row", title, job,
                    len(streak.starts))
    return outcomes
