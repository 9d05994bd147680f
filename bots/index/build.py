"""Build the index pages: each page's new text, rendered once, and its edit summary. Pure.

The text that the build renders from the page as collected is the text that publish saves and
the diff shows. Only when a save meets an edit conflict (someone saved in between) is the page
rendered again, on the text it was read again with, so that the person's edit is kept.

One page never stops the others: a page whose rendering fails (any error) or does not fit the
wiki (``bots.index.page_size``) is that page's failure. It is known before anything is saved,
so every page is then rendered once more with it in the needs-attention lists.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bots.cases.record import Case, CaseParseResult
from bots.config.model import Config
from bots.i18n.messages import Messages
from bots.index.breaker import breaker_reasons
from bots.index.human_edits import HumanEdits
from bots.index.marker_pages import MarkerPage
from bots.index.page_size import DEFAULT_BUDGET, fitted, size_fault, too_big_box
from bots.index.pages import MarkerNames, PageRender, render_marker_page
from bots.index.wikis import IndexWikis
from bots.wiki.records import PageSnapshot
from bots.wikitext.problems import Problem

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageBuild:
    """A marker page's new text, rendered from one snapshot of it."""

    page: MarkerPage
    base: PageSnapshot  # the snapshot rendered (the collected one, or one read again)
    render: PageRender
    held: tuple[str, ...] = ()  # why the circuit breaker holds the save
    forced: tuple[str, ...] = ()  # why it would have, overridden by --force
    failure: str | None = None  # why the page could not be rendered at all
    budget: int = DEFAULT_BUDGET  # the most bytes the page may have

    @property
    def text(self) -> str | None:
        """The text to save; None to leave the page as it is."""
        return None if self.held or self.failure else self.render.text

    def fault(self) -> str | None:
        """Why this page fails the run although nothing stopped it from being built (a
        failed rendering, a page too big for the wiki); None when it does not."""
        if self.failure is not None:
            return self.failure
        size = size_fault(self.render, self.budget)
        return size[0] if size else None

    def problem(self) -> Problem | None:
        """The page's entry in the needs-attention lists, if its build has one."""
        if self.failure is not None:
            return Problem("page-failed", (self.failure.split(":", 1)[0],))
        size = size_fault(self.render, self.budget)
        return size[1] if size else None


@dataclass(frozen=True)
class IndexContent:
    """What every marker page of one run is rendered with."""

    names: MarkerNames
    cases: tuple[Case, ...]
    attention: tuple[CaseParseResult, ...]  # case pages' and marker pages' problems
    messages: Messages
    config: Config
    force: bool  # --force: the circuit breaker notes, but does not hold
    budget: int = DEFAULT_BUDGET  # the most bytes of one page (bots.index.page_size)
    today: str | None = None  # YYYY-MM-DD: dates the views that change (bots.index.pages)
    extensions: frozenset[str] = frozenset()  # the wiki's, asked only when a view needs them
    # the wikis cases come from and this run's state of each (bots.index.collect_wikis)
    wikis: IndexWikis | None = None

    def render(self, page: MarkerPage, base: PageSnapshot) -> PageRender:
        """The page rendered from ``base``, within the size budget."""

        def at(max_rows: int | None, replacement: str | None) -> PageRender:
            return render_marker_page(
                base.text or "", self.names, self.cases, self.attention, self.messages,
                page.lang, self.config, max_rows=max_rows, replacement=replacement,
                own_text=page.own_text, today=self.today, extensions=self.extensions,
                wikis=self.wikis,
            )  # fmt: skip

        return fitted(at, self.budget, too_big_box(self.messages, page.lang, self.budget))

    def build(self, page: MarkerPage, base: PageSnapshot) -> PageBuild:
        """The page's new text rendered from ``base``, and whether the breaker holds it."""
        try:
            render = self.render(page, base)
        except Exception as exc:  # one page's failure is that page's, never the run's
            log.exception("rendering %s failed", page.title)
            failure = f"{type(exc).__name__}: the page could not be rendered ({exc})"[:300]
            return PageBuild(page, base, PageRender(text=None), failure=failure,
                             budget=self.budget)  # fmt: skip
        reasons = (breaker_reasons(render, self.config, self.wikis)
                   if render.text is not None else ())  # fmt: skip
        if self.force:
            return PageBuild(page, base, render, forced=reasons, budget=self.budget)
        return PageBuild(page, base, render, held=reasons, budget=self.budget)

    def summary(self, build: PageBuild, human: HumanEdits | None) -> str:
        """The edit summary in the page's language: what changed, naming the first cases of
        each kind of change, how many cases there are, and a link to the bot's documentation."""
        render, lang, messages = build.render, build.page.lang, self.messages
        if render.added or render.updated or render.removed:
            text = messages.msg(
                "advocacyhub-index-summary", lang, render.added, render.updated,
                render.removed, len(self.cases),
            )  # fmt: skip
            text += named_changes(render, self.case_titles(), messages, lang)
        else:
            text = messages.msg("advocacyhub-index-summary-other", lang, len(self.cases))
        if human is not None:
            text += messages.msg("advocacyhub-index-summary-human-edit", lang, human.diff_link)
        docs = self.config.index.documentation_page
        return text + messages.msg("advocacyhub-index-summary-docs", lang, docs)

    def case_titles(self) -> dict[str, str]:
        """Case page -> display title, for the summaries."""
        return {case.page: case.title for case in self.cases}


SUMMARY_NAMED = 3  # cases named per kind of change in an edit summary
SUMMARY_TITLE_CHARS = 40  # characters of one case title in an edit summary


def named_changes(render: PageRender, titles: dict[str, str], messages: Messages,
                  lang: str) -> str:
    """The first few cases added, updated and removed, by title (plain text: a summary is not
    parsed as wikitext; each title is bounded)."""
    kinds = (
        ("added", frozenset().union(*(r.added for r in render.regions))),
        ("updated", frozenset().union(*(r.updated for r in render.regions))),
        ("removed", frozenset().union(*(r.removed for r in render.regions))),
    )
    out = ""
    for kind, pages in kinds:
        if not pages:
            continue
        chosen = sorted(pages)[:SUMMARY_NAMED]
        names = [_short(titles.get(page, page.rpartition("/")[2] or page)) for page in chosen]
        if len(pages) > len(chosen):
            names.append(messages.msg("advocacyhub-index-summary-more", lang,
                                      len(pages) - len(chosen)))  # fmt: skip
        out += messages.msg(f"advocacyhub-index-summary-named-{kind}", lang, ", ".join(names))
    return out


# What a summary must not carry from a case title: link, template and tag brackets, pipes,
# signatures. The spam filter reads any "//" in a summary as the start of a URL (and refuses
# the save when its host is blacklisted): a word joiner between the slashes keeps the look.
_SUMMARY_UNSAFE_RE = re.compile(r"[\[\]{}<>|~]+")


def _short(title: str) -> str:
    title = _SUMMARY_UNSAFE_RE.sub(" ", title).replace("//", "/\u2060/")
    title = " ".join(title.split())
    if len(title) <= SUMMARY_TITLE_CHARS:
        return title
    return title[: SUMMARY_TITLE_CHARS - 1] + "…"


def build_pages(
    content: IndexContent, pages: Sequence[MarkerPage]
) -> tuple[IndexContent, tuple[PageBuild, ...]]:
    """Every marker page rendered from its text as collected; when some page failed, every
    page rendered again with those failures in its needs-attention lists. Returns the content
    the pages were rendered with (publish renders with it again after an edit conflict)."""
    builds = tuple(content.build(page, page.snapshot) for page in pages)
    failed = tuple(
        CaseParseResult(b.page.title, None, (problem,))
        for b in builds
        if (problem := b.problem()) is not None
    )
    if not failed:
        return content, builds
    content = dataclasses.replace(content, attention=(*content.attention, *failed))
    return content, tuple(content.build(page, page.snapshot) for page in pages)
