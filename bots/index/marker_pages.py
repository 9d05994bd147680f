"""Collect the index pages: the pages with index markers that the bot may edit, as read.

Reads: the pages transcluding the index start marker (``config.templates.index_start``,
through its redirects too) in ``permissions.edit_namespaces``, listed with their text in one
request (up to 500 pages); only the ones ``[permissions]`` allows are used: other pages may
legitimately carry the marker (a copy in someone's notes, a page outside the bot's area);
they are ignored quietly (a debug log line and a count in the run's notes), whatever they ask
for; so are pages under ``index.exclude_prefixes`` (``bots.cases.scope``). For a page with an
edit by someone inside one of its regions, its latest revisions (who made the edit).

What is wrong with a page itself (markers that cannot be paired, a manual edit inside a region)
is known here, before any view is rendered, so that every needs-attention list can show it.

For a page whose latest revision is not the bot's, the bot's own last revision of it
(``bots.wiki.revisions.own_revisions``, batched): what the bot wrote is the baseline of every
change it measures (the circuit breaker, rows inserted by hand), never what others added.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from bots.cases.record import CaseParseResult
from bots.cases.scope import excluded_prefix
from bots.config.model import Config
from bots.config.permissions import edit_refusal
from bots.i18n.messages import Messages
from bots.index.human_edits import HumanEdits, human_edits
from bots.index.languages import page_language
from bots.index.pages import MarkerNames, has_bot_content, region_edited_by_human
from bots.wiki.records import PageSnapshot
from bots.wiki.revisions import OwnRevision, edited_by, own_revisions
from bots.wiki.session import WikiSession
from bots.wikitext.markers import MarkerError, MarkerScan
from bots.wikitext.problems import Problem

log = logging.getLogger(__name__)


def marker_names(config: Config, names: dict[str, frozenset[str]]) -> MarkerNames:
    """The index markers and their redirects (``names``: from ``template_names``)."""
    start = config.templates.index_start
    end = config.templates.index_end
    return MarkerNames(
        start=start,
        end=end,
        start_redirects=tuple(sorted(names[start] - {start})),
        end_redirects=tuple(sorted(names[end] - {end})),
    )


def marker_problem(error: MarkerError) -> Problem:
    """The needs-attention entry of a page whose markers cannot be paired."""
    if error.code == "nested-start":
        return Problem("marker-nested-start", (str(error.line), str(error.open_line)))
    return Problem(f"marker-{error.code}", (str(error.line),))


def views_ask_create(scan: MarkerScan) -> bool:
    """Whether any index view of a page asks for a "create a case" box (which depends on the
    wiki's extensions)."""
    return any(
        key.strip().casefold() == "create" and (value or "").strip()
        for region in scan.regions
        for key, value in region.params.items()
    )


def views_show_languages(scan: MarkerScan) -> bool:
    """Whether any index view of a page asks for the languages column."""
    return any(
        "languages" in (value or "").casefold()
        for region in scan.regions
        for key, value in region.params.items()
        if key.strip().casefold() == "columns"
    )


@dataclass(frozen=True)
class MarkerPage:
    """A page with index markers that the bot may edit, as read, and what its markers hold."""

    snapshot: PageSnapshot  # with its text
    lang: str  # the page's language: of its edit summaries, and of views without ``lang=``
    scan: MarkerScan
    human_edits: HumanEdits | None = None  # people's edits inside its regions, when named
    # The text of the bot's own last revision of the page: "" when the bot never saved it,
    # None when that revision's text cannot be read (then the page as it is is the baseline).
    own_text: str | None = ""

    @property
    def title(self) -> str:
        return self.snapshot.title

    @property
    def human_edited(self) -> bool:
        return any(region_edited_by_human(r) for r in self.scan.regions)

    @property
    def shows_languages(self) -> bool:
        return views_show_languages(self.scan)

    @property
    def asks_create(self) -> bool:
        return views_ask_create(self.scan)

    def problem(self) -> Problem | None:
        """What the page's needs-attention entry says, if it has one."""
        if self.scan.error is not None:
            return marker_problem(self.scan.error)
        return self.human_edits.problem() if self.human_edits is not None else None

    def note(self) -> str | None:
        """The run's note on the page, if it needs one."""
        if self.scan.error is not None:
            return (f"{self.title}: index markers broken, page left untouched: "
                    f"{self.scan.error.reason}")  # fmt: skip
        if self.own_text is None:
            return (f"{self.title}: the text of the bot's last revision cannot be read (hidden); "
                    "changes are measured against the page as it is")  # fmt: skip
        return self.human_edits.note(self.title) if self.human_edits is not None else None


@dataclass(frozen=True)
class MarkerPages:
    pages: tuple[MarkerPage, ...]  # sorted by title
    ignored: tuple[str, ...]  # titles of pages with markers outside [permissions]

    @property
    def problems(self) -> tuple[CaseParseResult, ...]:
        """The pages' own problems, as needs-attention items."""
        return tuple(
            CaseParseResult(page.title, None, (problem,))
            for page in self.pages
            if (problem := page.problem()) is not None
        )

    @property
    def ask_create(self) -> bool:
        """Whether a view of any page has a "create a case" box."""
        return any(page.asks_create for page in self.pages)

    def notes(self) -> list[str]:
        notes = [n for page in self.pages if (n := page.note()) is not None]
        if self.ignored:
            notes.insert(
                0, f"{len(self.ignored)} page(s) with index markers outside [permissions] "
                "or under index.exclude_prefixes ignored"
            )
        return notes


def _own_revisions(
    session: WikiSession, config: Config, snapshots: Sequence[PageSnapshot]
) -> dict[str, OwnRevision]:
    """The bot's own last revision of each page that someone else edited since. A page that
    shows no region of the bot's is first checked for any edit by the bot at all (batched):
    new index pages cost no search."""
    bot = config.wiki.user
    others = [s for s in snapshots if s.exists and s.text is not None and s.user != bot]
    stamped = [s.title for s in others if has_bot_content(s.text or "")]
    unstamped = [s.title for s in others if not has_bot_content(s.text or "")]
    ever = edited_by(session, unstamped, bot) if unstamped else set()
    titles = stamped + sorted(ever)
    return own_revisions(session, titles, bot, config.permissions.edit_namespaces)


def collect_marker_pages(
    session: WikiSession, config: Config, messages: Messages, names: MarkerNames
) -> MarkerPages:
    """The pages with the start marker that the bot may edit, read, with their problems."""
    allowed: list[str] = []
    ignored: list[str] = []
    # listed with their text: one request for all of them (a page the bot may not edit is
    # downloaded too, and dropped here unused)
    read: dict[str, PageSnapshot] = {}
    listing = session.embedded_in(names.start, config.permissions.edit_namespaces, content=True)
    for listed in listing:
        refusal = edit_refusal(listed.title, listed.namespace, config)
        if not refusal and (prefix := excluded_prefix(listed.title, config)) is not None:
            refusal = f"under the excluded prefix {prefix!r} (index.exclude_prefixes)"
        if refusal:
            log.debug("ignoring index markers on %s: %s", listed.title, refusal)
            ignored.append(listed.title)
        else:
            allowed.append(listed.title)
            read[listed.title] = listed
    allowed.sort()
    bot = config.wiki.user
    own = _own_revisions(session, config, [read[t] for t in allowed if t in read])
    default_lang = session.site.lang or "en"
    pages: list[MarkerPage] = []
    for title in allowed:
        snap = read.get(title)
        if snap is None or not snap.exists or snap.text is None:
            continue
        mine = own.get(title)
        page = MarkerPage(
            snapshot=snap,
            lang=page_language(snap, config, messages, default_lang),
            scan=names.scan(snap.text),
            own_text=snap.text if snap.user == bot else (mine.text if mine else ""),
        )
        if page.human_edited:
            page = dataclasses.replace(page, human_edits=human_edits(session, title))
        pages.append(page)
    return MarkerPages(pages=tuple(pages), ignored=tuple(ignored))
