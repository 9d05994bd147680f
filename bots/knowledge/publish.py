"""Publish the knowledge pages: one guarded save per built page, each outcome reported.

Writes only between the knowledge markers (the build changed nothing else), only on pages that
``[permissions]`` allows (checked again by the save, ``bots.wiki.saves``), only when the text
changed. On an edit conflict the save reads the page again and the page is rendered again on
that text, so a person's edit outside the regions is kept. A page whose markers are broken, or
that could not be rendered, is left untouched and fails the run; a page saved shortened or with
error boxes (too big) is saved and still fails the run. One page never stops the others.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from bots.errors import BotStop
from bots.knowledge.build import KnowledgeContent, MarkerPage, PageRender, fault
from bots.outcomes import Failed, JobReport, Saved, Skipped
from bots.run_options import RunOptions
from bots.wiki.records import PageSnapshot
from bots.wiki.saves import save_page
from bots.wiki.session import WikiSession

log = logging.getLogger(__name__)


def _publish_page(
    session: WikiSession,
    options: RunOptions,
    content: KnowledgeContent,
    page: MarkerPage,
    built: PageRender,
    report: JobReport,
) -> None:
    for error in built.view_errors:
        report.notes.append(f"{page.title}: view parameters wrong, error box shown: {error}")
    problem = fault(built, content.budget)
    if built.text is None:
        report.record(Failed(page.title, problem or "the page could not be rendered"))
        return
    renders: list[PageRender] = [built]

    def text(current: PageSnapshot) -> str | None:
        render = built if current == page.snapshot else content.render(page, current)
        renders.append(render)
        return render.text

    def summary(current: PageSnapshot, new_text: str) -> str:
        render = renders[-1]
        message = content.messages.msg("advocacyhub-knowledge-summary", page.lang, render.views,
                                       len(content.cases))  # fmt: skip
        if render.human_edited:
            message += content.messages.msg("advocacyhub-knowledge-summary-human-edit", page.lang)
        return message

    outcome = save_page(session, page.title, text, summary, base=page.snapshot,
                        show_diff=options.diff, diff_out=options.out)  # fmt: skip
    if isinstance(outcome, Skipped) and outcome.reason.endswith("(contenttoobig)"):
        outcome = Failed(page.title, outcome.reason)  # too big is a failure, never a quiet skip
    report.record(outcome)
    if isinstance(outcome, Saved) and renders[-1].human_edited:
        report.notes.append(f"{page.title}: replaced a manual edit inside a knowledge view")
    later = fault(renders[-1], content.budget)
    if later is not None:
        report.record(Failed(page.title, later))


def publish_pages(
    session: WikiSession,
    options: RunOptions,
    content: KnowledgeContent,
    pages: Sequence[MarkerPage],
    builds: Mapping[str, PageRender],
    report: JobReport,
) -> None:
    """Save every built page, in title order, and record each outcome in the report."""
    for page in pages:
        try:
            _publish_page(session, options, content, page, builds[page.title], report)
        except BotStop:
            raise  # shutoff, block, lost session, unreachable wiki: the whole run stops
        except Exception as exc:  # this page's failure; the next page is still saved
            log.exception("saving %s failed", page.title)
            report.record(Failed(page.title, f"the save failed: {type(exc).__name__}: {exc}"[:300]))
