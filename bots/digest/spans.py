"""Where each page of the case namespaces was at the period's start and end, and which of its
revisions the digest compares. Pure.

A page keeps its id when it is moved, and its recent changes keep the title it had at each
edit; the move log says when it changed title. Grouped by page id, the edits and moves of the
period give a page's title at the start and at the end of the period, so that the digest judges
both with the one notion of a case (``bots.cases.scope.case_title``) and never mistakes a
draft moved in from user space, a case renamed inside case space or a case moved out of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bots.wiki.history import PageHistory, PageMove, RecentChange


@dataclass(frozen=True)
class PageSpan:
    """One page through the period.

    ``before``/``after``: the revisions at the period's start (0: no page yet) and end.
    ``before`` is None when the page was only moved in the period (its text did not change);
    ``after`` is None when the revision at the end is the page's latest (read it as it is).
    Revisions made under an earlier or later title count: the page, not the title, is followed."""

    start_title: str
    start_namespace: int
    end_title: str
    end_namespace: int
    edited: bool  # its text changed in the period
    moved: bool  # its title changed in the period
    before: int | None = None
    after: int | None = None


def _inside(start: str, end: str, timestamp: str) -> bool:
    return start < timestamp <= end


def page_spans(
    histories: Mapping[str, PageHistory], moves: Sequence[PageMove], namespaces: Iterable[int],
    *, start: str, end: str, bot: str,
) -> list[PageSpan]:
    """The pages of ``namespaces`` that someone other than ``bot`` edited or moved (into, out
    of or within those namespaces) in the period, sorted by title at the period's end."""
    wanted = set(namespaces)
    edits: dict[int, list[RecentChange]] = {}
    for history in histories.values():
        if history.namespace in wanted:
            for change in history.entries:
                if change.pageid:
                    edits.setdefault(change.pageid, []).append(change)
    moved: dict[int, list[PageMove]] = {}
    for move in moves:
        if move.pageid and (move.source_namespace in wanted or move.target_namespace in wanted):
            moved.setdefault(move.pageid, []).append(move)
    spans = []
    for pageid in sorted(set(edits) | set(moved)):
        span = _span(edits.get(pageid, []), moved.get(pageid, []), start, end, bot)
        if span is not None:
            spans.append(span)
    return sorted(spans, key=lambda s: (s.end_title, s.start_title))


def _span(
    edits: list[RecentChange], moves: list[PageMove], start: str, end: str, bot: str
) -> PageSpan | None:
    edits = sorted(edits, key=lambda e: (e.timestamp, e.revid))
    inside = [e for e in edits if _inside(start, end, e.timestamp)]
    moves_inside = [m for m in moves if _inside(start, end, m.timestamp)]
    if all(e.user == bot for e in inside) and all(m.user == bot for m in moves_inside):
        return None  # nothing, or only the bot's own work: never news
    # Before its first move of the period the page had that move's source title, after its
    # last move that move's target; without a move, the title of its edits.
    if moves_inside:
        first = (moves_inside[0].source, moves_inside[0].source_namespace)
        last = (moves_inside[-1].target, moves_inside[-1].target_namespace)
    else:
        first = last = (inside[0].title, inside[0].namespace)
    later = [e for e in edits if e.timestamp > end]
    # A move adds a revision with the same text: the last edit's text is the text at the end.
    before = inside[0].old_revid if inside else None
    if inside:
        after: int | None = inside[-1].revid
    else:
        after = later[0].old_revid if later else None
    return PageSpan(
        start_title=first[0], start_namespace=first[1], end_title=last[0],
        end_namespace=last[1], edited=bool(inside), moved=bool(moves_inside),
        before=before, after=after,
    )
