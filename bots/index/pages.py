"""Render every index region of one page and describe what changed. Pure: no wiki access.

A page may hold several `{{Advocacy case index}}` … `{{Advocacy case index end}}` pairs; each
gets its own view. Text outside the markers is kept byte for byte. Each region's body starts
with a hidden comment naming the view's parameters, so that a later run can tell a changed view
(an editor changed the filters: many rows may go, legitimately) from a changed set of cases
(many rows gone for the same view: the circuit breaker's business).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bots.cases.record import Case, CaseParseResult
from bots.config.model import Config
from bots.i18n.messages import Messages
from bots.index.view import parse_view_params, render_index
from bots.wikitext.markers import (
    MarkerError,
    find_marker_regions,
    inner_was_edited_by_human,
    replace_regions,
    stamp_content,
    strip_stamp,
)

_VIEW_RE = re.compile(r"<!-- advocacy-hub view: (.*?) -->")
_ROW_SPLIT_RE = re.compile(r'^\|-[^\n]*?\bdata-advocacy-case="([^"\n]*)"', re.MULTILINE)
_ROW_END_RE = re.compile(r"^(?:\|\}|\|-|=)", re.MULTILINE)


@dataclass(frozen=True)
class MarkerNames:
    start: str
    end: str
    start_redirects: tuple[str, ...] = ()
    end_redirects: tuple[str, ...] = ()


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


@dataclass(frozen=True)
class PageRender:
    text: str | None  # None when the page must be left untouched
    error: MarkerError | None = None
    regions: tuple[RegionChange, ...] = field(default=())

    @property
    def added(self) -> int:
        return len(frozenset().union(*(r.added for r in self.regions))) if self.regions else 0

    @property
    def removed(self) -> int:
        return len(frozenset().union(*(r.removed for r in self.regions))) if self.regions else 0

    @property
    def updated(self) -> int:
        return len(frozenset().union(*(r.updated for r in self.regions))) if self.regions else 0

    @property
    def human_edited(self) -> bool:
        return any(r.human_edited for r in self.regions)


def view_signature(params: Mapping[str, str]) -> str:
    """A stable one-line text of a marker's parameters (case-insensitive names)."""
    items = sorted((k.strip().lower(), v.strip()) for k, v in params.items())
    # "--" cannot appear inside an HTML comment; JSON escapes keep it on one line
    return json.dumps(items, ensure_ascii=True).replace("--", "-\\u002d")


def rows_by_title(body: str) -> dict[str, str]:
    """Each case row's wikitext keyed by case page title (rows of one case are concatenated)."""
    import html

    rows: dict[str, str] = {}
    matches = list(_ROW_SPLIT_RE.finditer(body))
    for m in matches:
        start = m.end()
        end_match = _ROW_END_RE.search(body, start + 1)
        row = body[m.start() : end_match.start() if end_match else len(body)]
        title = html.unescape(m.group(1))
        rows[title] = rows.get(title, "") + row
    return rows


def render_marker_page(
    text: str,
    names: MarkerNames,
    cases: Sequence[Case],
    attention: Sequence[CaseParseResult],
    messages: Messages,
    page_lang: str,
    config: Config,
) -> PageRender:
    """The page's new text with every index region re-rendered, and what changed per region."""
    scan = find_marker_regions(
        text,
        names.start,
        names.end,
        extra_names=names.start_redirects,
        extra_end_names=names.end_redirects,
    )
    if not scan.ok:
        return PageRender(text=None, error=scan.error)
    new_inner: dict[int, str] = {}
    changes: list[RegionChange] = []
    for region in scan.regions:
        signature = view_signature(region.params)
        view_body = render_index(region.params, cases, attention, messages, page_lang, config)
        view = parse_view_params(region.params, config)
        in_view = (
            frozenset()
            if isinstance(view, list)
            else frozenset(c.page for c in cases if view.matches(c))
        )
        body = f"<!-- advocacy-hub view: {signature} -->\n{view_body}"
        new_inner[region.index] = stamp_content(body)
        old_body = strip_stamp(region.inner)
        old_view = _VIEW_RE.search(old_body)
        old_rows = rows_by_title(old_body)
        new_rows = rows_by_title(body)
        fresh = "advocacy-hub: generated content" not in region.inner
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
                same_view=bool(old_view) and old_view.group(1) == signature,
                human_edited=not fresh and inner_was_edited_by_human(region.inner),
                fresh=fresh,
            )
        )
    return PageRender(text=replace_regions(text, scan.regions, new_inner), regions=tuple(changes))


# Fewer removed rows than this never trip the breaker: in a small view one case changing its
# status (3 rows -> 2 is a third of them) is ordinary news, not a vandal emptying the index.
BREAKER_MIN_REMOVED_ROWS = 3


def breaker_trips(
    render: PageRender, max_share: float, min_rows: int = BREAKER_MIN_REMOVED_ROWS
) -> list[RegionChange]:
    """Regions whose update would remove more than ``max_share`` of the rows on the page
    (and at least ``min_rows`` rows) because their cases are gone from the view.

    Rows that a ``limit`` pushes out in favour of newer or higher-ranked cases do not count:
    their cases are still there.

    When an editor changes a view's parameters, rows leaving it are the editor's intent, not
    vandalism, so such a region does not count. That is known from the parameters the bot
    recorded in the region last time; when somebody edited inside the region, that record
    cannot be trusted (it may have been edited too), so the region counts as the same view.
    """
    tripped = []
    for region in render.regions:
        if region.old_rows == 0 or not (region.same_view or region.human_edited):
            continue
        gone = len(region.gone)
        if gone >= min_rows and gone / region.old_rows > max_share:
            tripped.append(region)
    return tripped
