"""The lessons view: lessons learned by method and by topic, and what worked. Pure.

Every case with a ``lessons`` value is listed under each of its methods and each of its topics,
whatever its status: failures and partial successes teach as much as successes. Each entry shows
the case (linked), its status and the lesson. "What worked" counts, per method, the cases that
used it and how they ended (the outcome statuses that the vocabulary has of success, partial,
failure and active). Sensitive cases carry no lessons (the parser withholds them); their methods
and status are what every list shows of any case, so they are counted in "what worked".
"""

from __future__ import annotations

from collections.abc import Sequence

from bots.cases.record import Case
from bots.knowledge.text import ViewText
from bots.knowledge.views import KnowledgeView
from bots.wikitext.escape import escape_inline

OUTCOMES = ("success", "partial", "failure", "active")
LESSON_CHARS = 600  # characters of one lesson shown


def in_view(case: Case, view: KnowledgeView) -> bool:
    if view.regions and case.region not in view.regions:
        return False
    return not view.topics or bool(set(case.topics) & set(view.topics))


def _order(codes: Sequence[str], vocabulary: Sequence[str]) -> list[str]:
    """Vocabulary codes first, in the vocabulary's order, then free values alphabetically."""
    known = [c for c in vocabulary if c in codes]
    return known + sorted(c for c in set(codes) if c not in vocabulary)


def _entry(case: Case, text: ViewText) -> str:
    lesson = f"<bdi>{escape_inline(case.lessons, LESSON_CHARS)}</bdi>"
    return "* " + text.msg("advocacyhub-knowledge-lesson", text.case_with_status(case), lesson)


def _groups(kind: str, cases: Sequence[Case], text: ViewText, cap: int | None) -> list[str]:
    with_lessons = [c for c in cases if c.lessons and not c.sensitive]
    vocabulary = list(getattr(text.vocabulary, "methods" if kind == "method" else "topics"))
    codes = [code for c in with_lessons for code in (c.methods if kind == "method" else c.topics)]
    lines = [f"=== {text.msg(f'advocacyhub-knowledge-lessons-by-{kind}')} ==="]
    if not with_lessons:
        return [*lines, text.msg("advocacyhub-knowledge-lessons-none")]
    for code in _order(codes, vocabulary):
        group = [c for c in with_lessons if code in (c.methods if kind == "method" else c.topics)]
        lines.append(f"==== {text.label(kind, code)} ====")
        shown = group if cap is None else group[:cap]
        lines.extend(_entry(c, text) for c in shown)
        if len(shown) < len(group):
            lines.append(text.msg("advocacyhub-knowledge-more", len(group) - len(shown)))
    without = [c for c in with_lessons if not (c.methods if kind == "method" else c.topics)]
    if without:
        lines.append(f"==== {text.msg('advocacyhub-knowledge-group-other')} ====")
        shown = without if cap is None else without[:cap]
        lines.extend(_entry(c, text) for c in shown)
        if len(shown) < len(without):
            lines.append(text.msg("advocacyhub-knowledge-more", len(without) - len(shown)))
    return lines


def what_worked(cases: Sequence[Case], text: ViewText, cap: int | None) -> list[str]:
    """The table of methods: how many cases used each, and how they ended."""
    outcomes = [o for o in OUTCOMES if o in text.vocabulary.statuses]
    lines = [f"=== {text.msg('advocacyhub-knowledge-what-worked')} ==="]
    methods = _order([m for c in cases for m in c.methods], list(text.vocabulary.methods))
    if not methods:
        return [*lines, text.msg("advocacyhub-knowledge-no-methods")]
    # Three columns, the outcomes one per line in one cell, so that a phone screen shows whole
    # rows; should a screen be narrower still, the table scrolls sideways inside its box.
    lines.append('<div class="advocacyhub-knowledge-scroll" style="overflow-x: auto;">')
    lines.append('{| class="wikitable advocacyhub-knowledge-table"')
    headers = [text.msg("advocacyhub-knowledge-column-method"),
               text.msg("advocacyhub-knowledge-column-cases"),
               text.msg("advocacyhub-knowledge-column-outcomes")]  # fmt: skip
    lines.append("! " + " !! ".join(headers))
    shown = methods if cap is None else methods[:cap]
    for method in shown:
        using = [c for c in cases if method in c.methods]
        counts = [(o, sum(1 for c in using if c.status == o)) for o in outcomes]
        ended = "<br />".join(
            text.msg("advocacyhub-knowledge-outcome", text.label("status", o), n)
            for o, n in counts
            if n
        )
        lines.append("|-")
        lines.append(f"| {text.label('method', method)} || {len(using)} || {ended}")
    lines += ["|}", "</div>"]
    if len(shown) < len(methods):
        lines.append(text.msg("advocacyhub-knowledge-more", len(methods) - len(shown)))
    return lines


def render_lessons(
    view: KnowledgeView, cases: Sequence[Case], text: ViewText, cap: int | None = None
) -> str:
    """The lessons view; ``cap``: at most that many entries per group (a notice for the rest)."""
    chosen = sorted((c for c in cases if in_view(c, view)), key=lambda c: (c.title, c.page))
    lines = what_worked(chosen, text, cap)
    if view.group in ("both", "method"):
        lines += _groups("method", chosen, text, cap)
    if view.group in ("both", "topic"):
        lines += _groups("topic", chosen, text, cap)
    return "\n".join(lines)
