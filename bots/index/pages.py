"""Render every index region of one page and describe what changed. Pure: no wiki access.

A page may hold several `{{Advocacy case index}}` … `{{Advocacy case index end}}` pairs; each
gets its own view. Text outside the markers is kept byte for byte. Each region's body starts
with a hidden comment naming the view's parameters, so that a later run can tell a changed view
(an editor changed the filters: many rows may go, legitimately) from a changed set of cases
(many rows gone for the same view: the circuit breaker's business, ``bots.index.breaker``).
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bots.cases.record import Case, CaseParseResult
from bots.config.model import Config
from bots.i18n.messages import Messages
from bots.index.view_params import IndexView, parse_view_params
from bots.index.view_render import CASE_ROW_RE, render_view
from bots.index.wikis import IndexWikis
from bots.wikitext.markers import (
    MarkerError,
    MarkerRegion,
    MarkerScan,
    find_marker_regions,
    inner_was_edited_by_human,
    replace_regions,
    stamp_content,
    strip_stamp,
)

_VIEW_RE = re.compile(r"<!-- advocacy-hub view: (.*?) -->")
# The note of when a view last changed: the last line of a region's body.
_CHANGED_RE = re.compile(
    r'\n<div class="advocacyhub-index-changed" data-changed="(\d{4}-\d{2}-\d{2})"[^\n]*</div>$'
)
_ROW_END_RE = re.compile(r"^(?:\|\}|\|-|=)", re.MULTILINE)
_GENERATED = "advocacy-hub: generated content"  # in the stamp of every region the bot wrote


@dataclass(frozen=True)
class MarkerNames:
    """The index markers' template names, and the names of the redirects to each."""

    start: str
    end: str
    start_redirects: tuple[str, ...] = ()
    end_redirects: tuple[str, ...] = ()

    def scan(self, text: str) -> MarkerScan:
        """The index regions of a page's text, or why its markers cannot be paired."""
        return find_marker_regions(
            text, self.start, self.end,
            extra_names=self.start_redirects, extra_end_names=self.end_redirects,
        )  # fmt: skip


@dataclass(frozen=True)
class RegionChange:
    index: int
    line: int
    added: frozenset[str]
    removed: frozenset[str]
    updated: frozenset[str]
    old_rows: int
    new_rows: int
    # Rows on the page whose case no longer belongs to the view at all (deleted, template
    # removed, or its fields no longer pass the filters). Unlike ``removed``, rows that a
    # ``limit`` pushes out in favour of other cases are not gone. The breaker counts these.
    gone: frozenset[str]
    same_view: bool  # the view's parameters are those the bot rendered last time
    human_edited: bool  # the region's text differs from what the bot last wrote
    fresh: bool  # no bot content yet (placeholder text or empty)
    # Rows on the page that the bot's own last rendering of the region does not have: put there
    # by hand (they are replaced). Empty when the baseline is the page itself (``own`` False).
    inserted: frozenset[str] = frozenset()
    own: bool = False  # old rows, view and changes come from the bot's own last rendering


@dataclass(frozen=True)
class PageRender:
    text: str | None  # None when the page must be left untouched
    error: MarkerError | None = None
    regions: tuple[RegionChange, ...] = field(default=())
    # set by bots.index.page_size when the page had to be made smaller to fit the wiki
    shortened: int | None = None  # each list shows at most this many cases
    too_big: bool = False  # each list is replaced by an error box

    @property
    def added(self) -> int:
        return len(frozenset().union(*(r.added for r in self.regions)))

    @property
    def removed(self) -> int:
        return len(frozenset().union(*(r.removed for r in self.regions)))

    @property
    def updated(self) -> int:
        return len(frozenset().union(*(r.updated for r in self.regions)))

    @property
    def human_edited(self) -> bool:
        return any(r.human_edited for r in self.regions)

    @property
    def inserted(self) -> frozenset[str]:
        """Case rows put on the page by hand inside a region (replaced by this rendering)."""
        return frozenset().union(*(r.inserted for r in self.regions))


def view_signature(params: Mapping[str, str]) -> str:
    """A stable one-line text of a marker's parameters (case-insensitive names)."""
    items = sorted((k.strip().lower(), v.strip()) for k, v in params.items())
    # "--" cannot appear inside an HTML comment; JSON escapes keep it on one line
    return json.dumps(items, ensure_ascii=True).replace("--", "-\\u002d")


def rows_by_title(body: str) -> dict[str, str]:
    """Each case row's wikitext keyed by case page title (rows of one case are concatenated)."""
    rows: dict[str, str] = {}
    for m in CASE_ROW_RE.finditer(body):
        end_match = _ROW_END_RE.search(body, m.end() + 1)
        row = body[m.start() : end_match.start() if end_match else len(body)]
        title = html.unescape(m.group(1))
        rows[title] = rows.get(title, "") + row
    return rows


def has_bot_content(text: str) -> bool:
    """Whether a page holds a region the bot wrote (its stamp), as opposed to only fresh ones."""
    return _GENERATED in text


def region_edited_by_human(region: MarkerRegion) -> bool:
    """Whether someone changed the text the bot wrote in the region (a fresh one: no)."""
    return _GENERATED in region.inner and inner_was_edited_by_human(region.inner)


def own_bodies(
    own_text: str, names: MarkerNames, regions: Sequence[MarkerRegion]
) -> list[str | None]:
    """For each region of the page, the body the bot itself wrote for it in ``own_text`` (its
    own last revision of the page), or None when that revision has no such region.

    A region is paired with the bot's region at the same place when both show the same view,
    else with any of the bot's regions showing that view, else (when the page still has as many
    regions: an editor changed a view's parameters) with the one at the same place."""
    scan = names.scan(own_text)
    mine = [strip_stamp(r.inner) for r in scan.regions] if scan.error is None else []
    views = [m.group(1) if (m := _VIEW_RE.search(b)) else None for b in mine]
    used: set[int] = set()
    paired: list[str | None] = []
    for i, region in enumerate(regions):
        signature = view_signature(region.params)
        same = [k for k in range(len(mine)) if k not in used and views[k] == signature]
        j: int | None = None
        if i in same:
            j = i
        elif same:
            j = same[0]
        elif len(mine) == len(regions) and i not in used:
            j = i
        if j is not None:
            used.add(j)
        paired.append(mine[j] if j is not None else None)
    return paired


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip("\n")


def changed_note(body: str, old_body: str, today: str | None, messages: Messages,
                 lang: str) -> str:
    """``body`` with the note of when the view last changed. The date is the one the bot's own
    last rendering (``old_body``) carries when the view is the same apart from the note, so the
    note moves only when the content does; else ``today`` (the day of the save that changes
    it). Without ``today`` (renderings for comparison only), no note."""
    old = _CHANGED_RE.search(old_body)
    same = old is not None and _nfc(old_body[: old.start()]) == _nfc(body)
    if old is not None and same:
        day = old.group(1)
    elif today is None:
        return body
    else:
        day = today
    note = messages.msg("advocacyhub-index-changed", lang, day)
    return (f'{body}\n<div class="advocacyhub-index-changed" data-changed="{day}" '
            f'style="font-size:85%;">{note}</div>')  # fmt: skip


def render_marker_page(
    text: str,
    names: MarkerNames,
    cases: Sequence[Case],
    attention: Sequence[CaseParseResult],
    messages: Messages,
    page_lang: str,
    config: Config,
    *,
    max_rows: int | None = None,
    replacement: str | None = None,
    own_text: str | None = None,
    today: str | None = None,
    extensions: frozenset[str] = frozenset(),
    wikis: IndexWikis | None = None,
) -> PageRender:
    """The page's new text with every index region re-rendered, and what changed per region.

    ``max_rows`` shortens every list to that many cases (and as many needs-attention items),
    with a notice; ``replacement`` is written instead of every list (``bots.index.page_size``).
    ``own_text`` is the bot's own last revision of the page ("" when it never saved it): what
    changed is measured against what the bot wrote, never against rows someone added. Without
    it, against the regions as they are on the page. ``today`` (``YYYY-MM-DD``) dates the
    views that change (:func:`changed_note`). ``extensions`` are the wiki's (siteinfo): with
    InputBox a view's "create a case" box is a form, else a link. ``wikis``: the wikis the
    cases come from and this run's state of each (``bots.index.wikis``; default: from the
    configuration, every wiki refreshed).
    """
    scan = names.scan(text)
    if scan.error is not None:
        return PageRender(text=None, error=scan.error)
    bases = own_bodies(own_text, names, scan.regions) if own_text is not None else None
    new_inner: dict[int, str] = {}
    changes: list[RegionChange] = []
    for position, region in enumerate(scan.regions):
        signature = view_signature(region.params)
        view = parse_view_params(region.params, config)
        if isinstance(view, IndexView) and view.create:
            view = dataclasses.replace(view, inputbox="InputBox" in extensions)
        if isinstance(view, IndexView) and wikis is not None:
            view = dataclasses.replace(view, wikis=wikis)
        if replacement is not None:
            view_body = replacement
        elif max_rows is not None and isinstance(view, IndexView):
            short = dataclasses.replace(
                view, limit=min(view.limit or max_rows, max_rows), attention_limit=max_rows
            )
            notice = messages.msg("advocacyhub-index-shortened", view.lang or page_lang, max_rows)
            shown = render_view(short, cases, attention, messages, page_lang)
            view_body = f"''{notice}''\n{shown}"
        else:
            view_body = render_view(view, cases, attention, messages, page_lang)
        in_view = (
            frozenset()
            if isinstance(view, list)
            else frozenset(c.page for c in cases if view.matches(c))
        )
        body = f"<!-- advocacy-hub view: {signature} -->\n{view_body}"
        page_body = strip_stamp(region.inner)
        old_body = page_body if bases is None else (bases[position] or "")
        note_lang = view.lang or page_lang if isinstance(view, IndexView) else page_lang
        body = changed_note(body, old_body, today, messages, note_lang)
        new_inner[region.index] = stamp_content(body)
        old_view = _VIEW_RE.search(old_body)
        old_rows = rows_by_title(old_body)
        new_rows = rows_by_title(body)
        inserted = frozenset() if bases is None else frozenset(rows_by_title(page_body))
        changes.append(
            RegionChange(
                index=region.index,
                line=region.line,
                added=frozenset(new_rows) - frozenset(old_rows),
                removed=frozenset(old_rows) - frozenset(new_rows),
                updated=frozenset(
                    t for t in new_rows if t in old_rows and new_rows[t] != old_rows[t]
                ),
                old_rows=len(old_rows),
                new_rows=len(new_rows),
                gone=frozenset(old_rows) - in_view,
                same_view=old_view is not None and old_view.group(1) == signature,
                human_edited=region_edited_by_human(region),
                fresh=_GENERATED not in region.inner,
                inserted=inserted - frozenset(old_rows),
                own=bases is not None,
            )
        )
    return PageRender(text=replace_regions(text, scan.regions, new_inner), regions=tuple(changes))
