"""Build the knowledge pages: each marker page's new text, rendered once. Pure.

Every region of every knowledge view on a page is rendered from the same content; text outside
the markers is kept byte for byte (``bots.wikitext.markers.replace_regions``), and each region
carries the stamp that tells a later run whether someone edited inside it. Rendering is
deterministic (sorted entries, no timestamps), so an unchanged wiki makes no edit.

Bounded: a page over the budget (the wiki's maximum page size less a margin,
``bots.wiki.limits``) is rendered again with every list cut to the largest of :data:`CAPS` that
fits, with a notice; else every view is replaced by a short error box; else the page is left
alone. Each of these fails the run for that page (reported), never the other pages. A page
whose rendering raises is that page's failure. At most :data:`MAX_VIEWS` views of one page are
kept up to date (the others show an error box), and a view asked for twice is rendered once.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from bots.cases.knowledge_pages import Position
from bots.cases.record import Case
from bots.config.model import Config
from bots.i18n.messages import Messages
from bots.knowledge.contacts import render_contacts
from bots.knowledge.lessons import render_lessons
from bots.knowledge.partners import PartnerEntry, render_partners
from bots.knowledge.positions import render_positions
from bots.knowledge.text import ViewText, error_box
from bots.knowledge.views import KnowledgeView, ViewKind, ViewMarkers, parse_view
from bots.sources.keys import WikiKeys
from bots.wiki.records import PageSnapshot
from bots.wikitext.markers import inner_was_edited_by_human, replace_regions, stamp_content
from bots.wikitext.problems import Problem

log = logging.getLogger(__name__)

CAPS = (300, 100, 30, 10)
MAX_VIEWS = 20  # views kept up to date on one page; the others get an error box
_GENERATED = "advocacy-hub: generated content"  # in the stamp of every region the bot wrote
MARGIN = 0.10


def page_budget(max_page_bytes: int) -> int:
    return int(max_page_bytes * (1 - MARGIN))


def size_of(text: str) -> int:
    return len(text.encode("utf-8"))


@dataclass(frozen=True)
class MarkerPage:
    """A page with knowledge markers that the bot may edit, as read."""

    snapshot: PageSnapshot
    lang: str  # the page's language: of views without ``lang=`` and of its edit summary

    @property
    def title(self) -> str:
        return self.snapshot.title


@dataclass(frozen=True)
class PageRender:
    text: str | None  # None: leave the page as it is
    views: int = 0
    view_errors: tuple[str, ...] = ()  # "<view> on line N: <problems in English>"
    broken: str | None = None  # why the markers of one view cannot be paired
    human_edited: bool = False  # someone changed the text inside a region
    shortened: int | None = None
    too_big: bool = False
    failure: str | None = None  # the rendering failed


@dataclass(frozen=True)
class KnowledgeContent:
    """What every knowledge page of one run is rendered with."""

    config: Config
    messages: Messages
    markers: tuple[ViewMarkers, ...]
    cases: tuple[Case, ...]
    partners: tuple[PartnerEntry, ...]
    positions: tuple[Position, ...]
    today: date
    ask_page: str
    budget: int
    wikis: WikiKeys = field(default_factory=WikiKeys)  # how cases on other wikis are linked

    def view_body(self, view: KnowledgeView, page_lang: str, cap: int | None) -> str:
        text = ViewText(self.messages, view.lang or page_lang, self.config.vocabulary, self.wikis)
        settings = self.config.knowledge
        if view.kind is ViewKind.LESSONS:
            body = render_lessons(view, self.cases, text, cap)
        elif view.kind is ViewKind.PARTNERS:
            body = render_partners(view, self.partners, text, settings.dormant_years, cap)
        elif view.kind is ViewKind.CONTACTS:
            body = render_contacts(view, self.cases, text, cap=cap, ask_page=self.ask_page,
                                   active_statuses=settings.active_statuses)  # fmt: skip
        else:
            body = render_positions(view, self.positions, self.cases, text, today=self.today,
                                    review_days=settings.review_days, cap=cap)  # fmt: skip
        if cap is not None:
            body = f"''{text.msg('advocacyhub-knowledge-shortened', cap)}''\n{body}"
        return body

    def _render(self, page: MarkerPage, base: str, cap: int | None, boxed: bool) -> PageRender:
        text, views, errors, edited = base, 0, [], False
        rendered: dict[tuple[KnowledgeView, str], str] = {}  # one view asked twice: built once
        for markers in self.markers:
            scan = markers.scan(text)
            if scan.error is not None:
                return PageRender(None, broken=f"{{{{{markers.start}}}}}: {scan.error.reason}")
            inner: dict[int, str] = {}
            for region in scan.regions:
                views += 1
                # a fresh region (the editor's placeholder, no stamp yet) is no manual edit
                stamped = _GENERATED in region.inner
                edited = edited or (stamped and inner_was_edited_by_human(region.inner))
                view = parse_view(markers.kind, region.params, self.config)
                lang = page.lang
                if views > MAX_VIEWS:  # a page of a thousand markers costs 20 views' work
                    view = [Problem("knowledge-too-many-views", (str(MAX_VIEWS),))]
                if isinstance(view, list):
                    body = error_box(view, ViewText(self.messages, lang, self.config.vocabulary))
                    english = "; ".join(f"{p.code} {'/'.join(p.params)}" for p in view)
                    errors.append(f"{markers.start} on line {region.line}: {english}"[:300])
                elif boxed:
                    body = self._too_big_box(view.lang or lang)
                else:
                    key = (view, lang)
                    if key not in rendered:
                        rendered[key] = self.view_body(view, lang, cap)
                    body = rendered[key]
                inner[region.index] = stamp_content(body)
            text = replace_regions(text, scan.regions, inner)
        return PageRender(text, views, tuple(errors), human_edited=edited)

    def _too_big_box(self, lang: str) -> str:
        message = self.messages.msg("advocacyhub-knowledge-too-big", lang, self.budget // 1024)
        return f'<div class="error advocacyhub-knowledge-error">\n{message}\n</div>'

    def render(self, page: MarkerPage, base: PageSnapshot) -> PageRender:
        """The page rendered from ``base`` within the budget (see the module's description)."""
        try:
            full = self._render(page, base.text or "", None, False)
            if full.text is None or size_of(full.text) <= self.budget:
                return full
            for cap in CAPS:
                short = self._render(page, base.text or "", cap, False)
                if short.text is not None and size_of(short.text) <= self.budget:
                    return PageRender(short.text, short.views, short.view_errors,
                                      human_edited=short.human_edited, shortened=cap)  # fmt: skip
            boxed = self._render(page, base.text or "", None, True)
            if boxed.text is not None and size_of(boxed.text) <= self.budget:
                return PageRender(boxed.text, boxed.views, boxed.view_errors, too_big=True)
            return PageRender(None, too_big=True)
        except Exception as exc:  # one page's failure is that page's, never the run's
            log.exception("rendering %s failed", page.title)
            return PageRender(None, failure=f"{type(exc).__name__}: {exc}"[:300])


def fault(render: PageRender, budget: int) -> str | None:
    """Why the page fails the run although it may still be saved (shortened, boxed)."""
    kb = budget // 1024
    if render.failure is not None:
        return f"the page could not be rendered: {render.failure}"
    if render.broken is not None:
        return f"knowledge markers broken, page left untouched: {render.broken}"
    if render.shortened is not None:
        return (f"the page would be larger than the wiki allows ({kb} KB): each list shows at "
                f"most {render.shortened} entries")  # fmt: skip
    if render.too_big and render.text is not None:
        return f"the page would be larger than the wiki allows ({kb} KB): views replaced by a box"
    if render.too_big:
        return f"the text outside the views is larger than the bot may write ({kb} KB)"
    return None


def build_pages(content: KnowledgeContent, pages: Sequence[MarkerPage]) -> Mapping[str, PageRender]:
    """Every marker page rendered once from its text as collected, by title."""
    return {page.title: content.render(page, page.snapshot) for page in pages}
