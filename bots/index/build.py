"""Build the index pages: each page's new text, rendered once, and its edit summary. Pure.

The text that the build renders from the page as collected is the text that publish saves and
the diff shows. Only when a save meets an edit conflict (someone saved in between) is the page
rendered again, on the text it was read again with, so that the person's edit is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bots.cases.record import Case, CaseParseResult
from bots.config.model import Config
from bots.i18n.messages import Messages
from bots.index.breaker import breaker_reasons
from bots.index.human_edits import HumanEdits
from bots.index.marker_pages import MarkerPage
from bots.index.pages import MarkerNames, PageRender, render_marker_page
from bots.wiki.records import PageSnapshot


@dataclass(frozen=True)
class PageBuild:
    """A marker page's new text, rendered from one snapshot of it."""

    page: MarkerPage
    base: PageSnapshot  # the snapshot rendered (the collected one, or one read again)
    render: PageRender
    held: tuple[str, ...] = ()  # why the circuit breaker holds the save
    forced: tuple[str, ...] = ()  # why it would have, overridden by --force

    @property
    def text(self) -> str | None:
        """The text to save; None to leave the page as it is."""
        return None if self.held else self.render.text


@dataclass(frozen=True)
class IndexContent:
    """What every marker page of one run is rendered with."""

    names: MarkerNames
    cases: tuple[Case, ...]
    attention: tuple[CaseParseResult, ...]  # case pages' and marker pages' problems
    messages: Messages
    config: Config
    force: bool  # --force: the circuit breaker notes, but does not hold

    def build(self, page: MarkerPage, base: PageSnapshot) -> PageBuild:
        """The page's new text rendered from ``base``, and whether the breaker holds it."""
        render = render_marker_page(
            base.text or "", self.names, self.cases, self.attention, self.messages, page.lang,
            self.config,
        )  # fmt: skip
        reasons = breaker_reasons(render, self.config) if render.text is not None else ()
        if self.force:
            return PageBuild(page, base, render, forced=reasons)
        return PageBuild(page, base, render, held=reasons)

    def summary(self, build: PageBuild, human: HumanEdits | None) -> str:
        """The edit summary in the page's language: what changed and how many cases there are."""
        render, lang, messages = build.render, build.page.lang, self.messages
        if render.added or render.updated or render.removed:
            text = messages.msg(
                "advocacyhub-index-summary", lang, render.added, render.updated,
                render.removed, len(self.cases),
            )  # fmt: skip
        else:
            text = messages.msg("advocacyhub-index-summary-other", lang, len(self.cases))
        if human is not None:
            text += messages.msg("advocacyhub-index-summary-human-edit", lang, human.diff_link)
        return text


def build_pages(content: IndexContent, pages: Sequence[MarkerPage]) -> tuple[PageBuild, ...]:
    """Every marker page rendered once, from its text as collected."""
    return tuple(content.build(page, page.snapshot) for page in pages)
