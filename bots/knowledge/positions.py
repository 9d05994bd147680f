"""The positions view: each ``{{Advocacy position}}``, its cases and its translations. Pure.

Each position shows its title (linked to its page), topics, summary, endorsing affiliates, the
date of its last review (marked when older than ``[knowledge] review_days``, missing, or
later than today), the
cases of its topics (linked, with status) and which translation subpages of its page exist
(``Page/fr``: French). Problems of the template call (an unknown topic, a bad date) are shown
with the position, so that editors see them where they look.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from bots.cases.knowledge_pages import Position
from bots.cases.record import Case
from bots.knowledge.text import ViewText
from bots.knowledge.views import KnowledgeView
from bots.wikitext.escape import escape_inline, internal_link
from bots.wikitext.problems import Problem

CASES_SHOWN = 30  # cases listed under one position (the rest are counted)
BOLD = "'''"


def reviewed_in_future(position: Position, today: date) -> bool:
    reviewed = position.reviewed
    return reviewed is not None and reviewed.earliest > (today.year, today.month, today.day)


def needs_review(position: Position, today: date, review_days: int) -> bool:
    """Never reviewed, reviewed too long ago, or "reviewed" on a day still to come (a typo or
    a way round the mark: it counts as not reviewed)."""
    if position.reviewed is None or reviewed_in_future(position, today):
        return True
    due = today - timedelta(days=review_days)
    return position.reviewed.latest < (due.year, due.month, due.day)


def _position(
    position: Position, cases: Sequence[Case], text: ViewText, today: date, review_days: int
) -> list[str]:
    # Each fact on its own line (a list item): a phone screen reads them one by one.
    lines = [f"=== {escape_inline(position.title, 200)} ==="]
    if position.summary:
        lines += [f"<bdi>{escape_inline(position.summary, 500)}</bdi>", ""]
    items = []
    if position.topics:
        topics = text.join(text.label("topic", t) for t in position.topics)
        items.append(text.msg("advocacyhub-knowledge-position-topics", topics))
    reviewed = (
        str(position.reviewed) if position.reviewed else text.msg("advocacyhub-knowledge-never")
    )
    reviewed = text.msg("advocacyhub-knowledge-position-reviewed", reviewed)
    if needs_review(position, today, review_days):
        due = text.msg("advocacyhub-knowledge-position-review-due", review_days)
        reviewed += " — " + BOLD + due + BOLD
    items.append(reviewed)
    if position.affiliates:
        names = text.join(f"<bdi>{escape_inline(a, 100)}</bdi>" for a in position.affiliates)
        items.append(text.msg("advocacyhub-knowledge-position-affiliates", names))
    related = sorted((c for c in cases if set(c.topics) & set(position.topics)),
                     key=lambda c: (c.title, c.page))  # fmt: skip
    if related:
        shown = related[:CASES_SHOWN]
        listed = text.join(text.case_with_status(c) for c in shown)
        if len(shown) < len(related):
            listed += " " + text.msg("advocacyhub-knowledge-more", len(related) - len(shown))
        items.append(text.msg("advocacyhub-knowledge-position-cases", len(related), listed))
    else:
        items.append(text.msg("advocacyhub-knowledge-position-no-cases"))
    if position.languages:
        links = text.join(
            "<bdi>"
            + internal_link(f"{position.page}/{code}", text.messages.autonym(code))
            + "</bdi>"
            for code in position.languages
        )
        items.append(
            text.msg("advocacyhub-knowledge-position-translations", len(position.languages), links)
        )
    elif position.languages is not None:  # unknown: better nothing than "not translated"
        items.append(text.msg("advocacyhub-knowledge-position-no-translations"))
    page = f"<bdi>{internal_link(position.page)}</bdi>"
    items.append(text.msg("advocacyhub-knowledge-position-page", page))
    problems = list(position.problems)
    if reviewed_in_future(position, today):
        problems.insert(0, Problem("reviewed-in-future", (str(position.reviewed),)))
    items.extend(text.problem(p) for p in problems[:5])
    lines.extend(f"* {item}" for item in items)
    return lines


def render_positions(
    view: KnowledgeView,
    positions: Sequence[Position],
    cases: Sequence[Case],
    text: ViewText,
    *,
    today: date,
    review_days: int,
    cap: int | None = None,
) -> str:
    """Every position (of the view's topics); ``cap``: at most that many (a notice for the rest)."""
    chosen = [p for p in positions if not view.topics or set(p.topics) & set(view.topics)]
    if not chosen:
        return text.msg("advocacyhub-knowledge-positions-none")
    due = sum(1 for p in chosen if needs_review(p, today, review_days))
    lines = [text.msg("advocacyhub-knowledge-positions-total", len(chosen), due)]
    shown = chosen if cap is None else chosen[:cap]
    for position in shown:
        lines += _position(position, cases, text, today, review_days)
    if len(shown) < len(chosen):
        lines.append(text.msg("advocacyhub-knowledge-more", len(chosen) - len(shown)))
    return "\n".join(lines)
