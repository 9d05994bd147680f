"""Publish the index pages: save each built page through the guarded save, and report it.

Writes: only between the index markers (the build changed nothing else), only on pages that
``[permissions]`` allows (checked again by the save), only when the text changed. A page whose
markers are broken is left untouched; one whose save the circuit breaker holds is not saved
and fails the run (``--force`` saves it anyway, with a note).

One page never stops the others: a page that could not be rendered, does not fit the wiki
(saved shortened, or with error boxes: ``bots.index.page_size``), is refused as too big by the
wiki, or whose save fails with any error but a stop of the whole run (shutoff, block, lost
session, unreachable wiki) fails the run with its reason, and the next page is saved.

People may edit while the bot saves. On an edit conflict the save reads the page again and it
is rendered again on that text. When MediaWiki instead merged someone's edit under the bot's
save (the two touched different lines) and the edit was inside a region, the bot's revision now
holds it: the page is saved once more at once, naming the edit, as any manual edit inside a
region is named. Those are the only reads here: each reacts to an edit made during the run (a
save whose answer says it went on the revision the bot read needs none).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from bots.errors import BotStop
from bots.index.build import IndexContent, PageBuild
from bots.index.human_edits import HumanEdits, human_edits, merged_human_edits
from bots.index.marker_pages import MarkerPage
from bots.outcomes import EditOutcome, Failed, JobReport, Saved, Skipped, Unchanged
from bots.progress import progress
from bots.run_options import RunOptions
from bots.wiki.records import PageSnapshot
from bots.wiki.saves import save_page
from bots.wiki.session import WikiSession

log = logging.getLogger(__name__)


@dataclass
class _Attempt:
    """One guarded save of a marker page (edit conflicts included) and what it built."""

    outcome: EditOutcome | None = None
    build: PageBuild | None = None  # the last build: from the text the save went on top of
    late_edits: HumanEdits | None = None  # named at save time (after a conflict)


def _save(
    session: WikiSession,
    options: RunOptions,
    content: IndexContent,
    page: MarkerPage,
    built: PageBuild | None,
    human: HumanEdits | None,
) -> _Attempt:
    """Save the page: ``built`` when the save goes on top of its base, else built afresh."""
    attempt = _Attempt()

    def text(current: PageSnapshot) -> str | None:
        if built is not None and current == built.base:
            attempt.build = built
        else:
            attempt.build = content.build(page, current)
        return attempt.build.text

    def summary(current: PageSnapshot, new_text: str) -> str:
        assert attempt.build is not None
        edited = attempt.build.render.human_edited
        edits = human if edited else None
        if edits is None and edited and current != page.snapshot:
            # Somebody edited inside a region between the bot's read and this save (an edit
            # conflict made the bot read the page again): name them all the same.
            if attempt.late_edits is None:
                attempt.late_edits = human_edits(session, page.title)
            edits = attempt.late_edits
        return content.summary(attempt.build, edits)

    attempt.outcome = save_page(
        session, page.title, text, summary, base=built.base if built else None,
        show_diff=options.diff, diff_out=options.out,
    )  # fmt: skip
    return attempt


def inserted_note(title: str, rows: frozenset[str], most: int = 10) -> str:
    """The run's note naming case rows someone inserted by hand inside the bot's lists."""
    names = [repr(name[:80]) for name in sorted(rows)[:most]]
    more = f" and {len(rows) - most} more" if len(rows) > most else ""
    return (f"{title}: {len(rows)} row(s) inserted by hand inside the bot's lists were replaced "
            f"by its own rendering: {', '.join(names)}{more}")  # fmt: skip


def _record(report: JobReport, title: str, attempt: _Attempt) -> bool:
    """Put the attempt's outcome in the report; True when the page was saved."""
    build = attempt.build
    if attempt.late_edits is not None:
        report.notes.append(attempt.late_edits.note(title))
    if build is not None and build.held:
        report.record(Failed(title, "circuit breaker: " + "; ".join(build.held)
                             + "; not saved (pass --force to save anyway)"))  # fmt: skip
        return False
    if build is not None and build.render.error is not None:
        # the markers broke between the bot's read and its save (an edit conflict re-read)
        report.record(Skipped(title, f"broken index markers: {build.render.error.reason}"))
        return False
    outcome = attempt.outcome
    assert outcome is not None
    if isinstance(outcome, Skipped) and outcome.reason.endswith("(contenttoobig)"):
        outcome = Failed(title, outcome.reason)  # too big is a failure, never a quiet skip
    if build is not None and build.forced and isinstance(outcome, Saved):
        report.notes.append(f"{title}: circuit breaker overridden by --force: "
                            + "; ".join(build.forced))  # fmt: skip
    report.record(outcome)
    if build is not None and build.render.inserted and isinstance(outcome, Saved):
        report.notes.append(inserted_note(title, build.render.inserted))
    if build is not None and (fault := build.fault()) is not None:
        report.record(Failed(title, fault))  # saved (shortened, error boxes), still a failure
    return isinstance(outcome, Saved)


def _publish_page(
    session: WikiSession,
    options: RunOptions,
    content: IndexContent,
    built: PageBuild,
    report: JobReport,
) -> None:
    page = built.page
    if built.render.error is not None:
        report.record(Skipped(page.title, f"broken index markers: {built.render.error.reason}"))
        return
    if built.render.text is None:  # not rendered at all, or too big even with error boxes
        report.record(Failed(page.title, built.fault() or "the page could not be rendered"))
        return
    first = _save(session, options, content, page, built, page.human_edits)
    if not _record(report, page.title, first):
        return
    saved = first.outcome
    assert isinstance(saved, Saved) and first.build is not None
    base_revid = first.build.base.revid
    if saved.simulated or not base_revid:
        return
    if saved.applied_on == base_revid and saved.base_revid == base_revid:
        # The wiki's answer names the revision the edit was applied on (``oldrevid``): the one
        # the bot read, so nothing was merged under the save and there is nothing to look up.
        return
    merged = merged_human_edits(session, page.title, base_revid, saved.revid)
    if merged is None:
        return
    # Outside the regions a merged edit is all there is to it; inside one, the bot's save now
    # holds the person's change: replace it at once, and say so.
    # the baseline of this second save is what the bot just saved
    page = dataclasses.replace(page, own_text=first.build.text)
    second = _save(session, options, content, page, None, merged)
    if second.build is not None and second.build.render.human_edited:
        report.notes.append(merged.note(page.title))
    if isinstance(second.outcome, Unchanged) and not (second.build and second.build.held):
        return
    _record(report, page.title, second)


def publish_pages(
    session: WikiSession,
    options: RunOptions,
    content: IndexContent,
    builds: Sequence[PageBuild],
    report: JobReport,
) -> None:
    """Save every built page, in title order, and record each outcome in the report."""
    for built in progress(builds, total=len(builds), label="saving index pages",
                          enabled=options.progress):  # fmt: skip
        try:
            _publish_page(session, options, content, built, report)
        except BotStop:
            raise  # shutoff, block, lost session, unreachable wiki: the whole run stops
        except Exception as exc:  # this page's failure; the next page is still saved
            log.exception("saving %s failed", built.page.title)
            reason = f"{type(exc).__name__}: {exc}"[:300]
            report.record(Failed(built.page.title, f"the save failed: {reason}"))
