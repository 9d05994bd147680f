"""Bounds on what one case page yields, and what a sensitive case keeps. Pure.

**Bounds.** One case page with an absurd field (thousands of countries, a summary of megabytes)
must never make the lists that show it too big for the wiki. Every value is bounded per field
(:data:`TEXT_LIMITS` characters; lists: :data:`LIST_LIMITS` values of at most
:data:`ITEM_LIMIT` characters each) and per case (:data:`CASE_LIMIT` characters in all).
A value cut short ends with "…"; each cut is reported (``value-truncated``,
``too-many-values``, ``case-too-long``), so the page is named in the needs-attention list.

**Sensitive cases.** Only what every list shows of any case leaves the parser: the title, the
countries, the dates, and region, topics, status and methods as known vocabulary codes. The
summary, lessons and partners are dropped (free text may hold the very contact the flag
protects), each contact becomes :data:`HIDDEN_CONTACT`, and problems name the field but never
echo a value (:func:`withheld_problem`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping, Sequence

from bots.cases.record import HIDDEN_CONTACT, Case
from bots.wikitext.problems import Problem
from bots.wikitext.truncate import truncate

ELLIPSIS = "…"
TEXT_LIMITS = {"title": 200, "summary": 1000, "lessons": 1000, "region": 100, "status": 100}
# record attribute -> (field name, most values kept)
LIST_LIMITS = {
    "countries": ("country", 50),
    "topics": ("topic", 20),
    "methods": ("methods", 20),
    "partners": ("partners", 30),
    "contacts": ("contact", 20),
}
ITEM_LIMIT = 100  # characters of one value of a list
CASE_LIMIT = 6000  # characters of all values of one case together
# What gives way first when a case is over CASE_LIMIT: free text, then the longest lists.
_SHRINK_ORDER = ("lessons", "summary", "partners", "methods", "countries", "topics", "contacts")

# Problems of a sensitive case that carry no value from the page (field names, counts, dates).
_VALUE_FREE = frozenset({
    "empty-page", "no-case-template", "multiple-case-templates", "missing-field",
    "duplicate-field", "end-before-start", "unclear-sensitive", "several-sensitive",
    "sensitive-spelling", "value-truncated", "too-many-values", "case-too-long",
    "hidden-unnamed-parameter", "hidden-unknown-parameter", "hidden-value", "hidden-problem",
})  # fmt: skip
_VALUE_FIELD = {"unknown-region": "region", "unknown-topic": "topic", "unknown-status": "status"}


def cut(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters between words, ending with "…" when it was longer
    (nothing left when ``limit`` is 0)."""
    return truncate(text, limit)


def _size(case: Case) -> int:
    texts = (case.title, case.summary, case.region, case.status, case.lessons)
    lists = (case.countries, case.topics, case.methods, case.partners, case.contacts)
    return sum(map(len, texts)) + sum(len(v) for values in lists for v in values)


def bounded(case: Case, problems: list[Problem]) -> Case:
    """The case with every value within its bounds; a problem for each value cut."""
    changes: dict[str, object] = {}
    for name, limit in TEXT_LIMITS.items():
        value: str = getattr(case, name)
        if len(value) > limit:
            changes[name] = cut(value, limit)
            problems.append(Problem("value-truncated", (name, str(limit))))
    for attribute, (field, most) in LIST_LIMITS.items():
        values: tuple[str, ...] = getattr(case, attribute)
        kept = tuple(cut(v, ITEM_LIMIT) for v in values[:most])
        if len(values) > most:
            problems.append(Problem("too-many-values", (field, str(most))))
        if any(len(v) > ITEM_LIMIT for v in values[:most]):
            problems.append(Problem("value-truncated", (field, str(ITEM_LIMIT))))
        if kept != values:
            changes[attribute] = kept
    case = dataclasses.replace(case, **changes) if changes else case  # type: ignore[arg-type]
    if _size(case) <= CASE_LIMIT:
        return case
    problems.append(Problem("case-too-long", (str(CASE_LIMIT),)))
    for attribute in _SHRINK_ORDER:
        over = _size(case) - CASE_LIMIT
        if over <= 0:
            break
        current = getattr(case, attribute)
        if isinstance(current, str):
            shrunk: str | tuple[str, ...] = cut(current, max(len(current) - over, 0))
        else:
            items = list(current)
            while items and over > 0:
                over -= len(items.pop())
            shrunk = tuple(items)
        case = dataclasses.replace(case, **{attribute: shrunk})  # type: ignore[arg-type]
    return case


def withheld_problem(problem: Problem) -> Problem:
    """The problem as a sensitive case may report it: without any value from the page."""
    if problem.code in _VALUE_FREE:
        return problem
    if problem.code == "unnamed-parameter":
        return Problem("hidden-unnamed-parameter")
    if problem.code == "unknown-parameter" and len(problem.params) == 2:
        return Problem("hidden-unknown-parameter", (problem.params[1],))  # a known field name
    if problem.code in _VALUE_FIELD:
        return Problem("hidden-value", (_VALUE_FIELD[problem.code],))
    if problem.code == "bad-date" and problem.params and problem.params[0] in ("start", "end"):
        return Problem("hidden-value", (problem.params[0],))
    return Problem("hidden-problem")


def withheld(
    case: Case, problems: Sequence[Problem], known: Mapping[str, Collection[str]]
) -> tuple[Case, tuple[Problem, ...]]:
    """What a sensitive case may yield. ``known``: the vocabulary codes by kind (``regions``,
    ``topics``, ``statuses``, ``methods``)."""
    kept = dataclasses.replace(
        case,
        summary="",
        lessons="",
        partners=(),
        contacts=(HIDDEN_CONTACT,) * len(case.contacts),
        region=case.region if case.region in known["regions"] else "",
        status=case.status if case.status in known["statuses"] else "",
        topics=tuple(t for t in case.topics if t in known["topics"]),
        methods=tuple(m for m in case.methods if m in known["methods"]),
    )
    return kept, tuple(dict.fromkeys(withheld_problem(p) for p in problems))
