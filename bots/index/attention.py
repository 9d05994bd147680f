"""The "needs attention" part of an index view, and the problems marked on the rows. Pure.

The list comes first in its view, so that whoever opens the hub sees what to fix. Each entry
links the page (on its own wiki), says what is wrong in plain words, and offers two links: to
edit the page (``Special:EditPage``, on the page's own wiki) and to the allowed codes and
parameters (the ``Codes`` section of the case template's documentation; for a page with index
markers, the ``Parameters`` section of the index template's). A case
row whose page has problems is marked in place, with the same words (``row_problems``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bots.cases.record import CaseParseResult
from bots.index.view_params import IndexView
from bots.index.view_text import ViewText
from bots.wikitext.escape import internal_link
from bots.wikitext.problems import Problem

MAX_SHOWN_PROBLEMS = 20  # problems of one page shown in its needs-attention entry
MAX_ROW_PROBLEMS = 3  # problems shown in a case's row (the list has them all)

# Problems of pages with index markers, not of case pages: their codes start with these.
_MARKER_PAGE_CODES = ("marker-", "page-", "human-edit")


def row_problems(items: Iterable[CaseParseResult]) -> dict[str, tuple[Problem, ...]]:
    """Case page title -> its problems, for the case pages listed with a case."""
    return {item.page: item.problems for item in items if item.case and item.problems}


def _help_link(problems: Sequence[Problem], view: IndexView, text: ViewText) -> str:
    marker_page = bool(problems) and all(p.code.startswith(_MARKER_PAGE_CODES) for p in problems)
    # the case template's documentation has a section of codes, the index template's one of
    # its parameters
    target = f"{view.index_template}#Parameters" if marker_page else f"{view.case_template}#Codes"
    return internal_link(f"Template:{target}", text.msg("advocacyhub-index-attention-codes"))


def edit_link(page: str, view: IndexView, text: ViewText) -> str:
    """Edit the page on its own wiki (``page`` is a row key: ``bots.index.wikis``)."""
    return view.wikis.edit_link(page, text.msg("advocacyhub-index-attention-edit"))


def attention_lines(
    items: Iterable[CaseParseResult], view: IndexView, text: ViewText
) -> list[str]:
    """The needs-attention list of the view (none when nothing needs attention)."""
    chosen = [
        item
        for item in items
        if item.problems and (view.matches(item.case) if item.case else not view.filtered)
    ]
    if not chosen:
        return []
    lines = ['<div class="advocacyhub-index-attention">']
    lines.append(f"=== {text.msg('advocacyhub-index-attention-heading')} ===")
    lines.append(text.msg("advocacyhub-index-attention-intro"))
    reason_separator = text.msg("advocacyhub-index-reason-separator")
    shown = sorted(chosen, key=lambda i: i.page)[: view.attention_limit]
    for item in shown:
        # a case page on another wiki is linked there (interwiki or external link)
        label = item.case.title if item.case else view.wikis.title_of(item.page)
        link = f"<bdi>{view.wikis.link(item.page, label)}</bdi>"
        reasons = reason_separator.join(
            text.problem(p) for p in item.problems[:MAX_SHOWN_PROBLEMS]
        )
        links = text.msg(
            "advocacyhub-index-attention-links",
            edit_link(item.page, view, text), _help_link(item.problems, view, text),
        )  # fmt: skip
        lines.append("* " + text.msg("advocacyhub-index-attention-item", link, reasons) + links)
    if len(chosen) > len(shown):
        lines.append(text.msg("advocacyhub-index-attention-more", len(chosen) - len(shown)))
    lines.append("</div>")
    return lines


def row_mark(problems: Sequence[Problem], text: ViewText) -> str:
    """What a case's title cell shows under the title when its page has problems."""
    shown = text.msg("advocacyhub-index-reason-separator").join(
        text.problem(p) for p in problems[:MAX_ROW_PROBLEMS]
    )
    if len(problems) > MAX_ROW_PROBLEMS:
        shown += text.msg("advocacyhub-index-row-problems-more", len(problems) - MAX_ROW_PROBLEMS)
    label = text.msg("advocacyhub-index-row-problem")
    return (
        '<span class="advocacyhub-index-row-problem" style="display:block; font-size:85%;">'
        f'<span style="color:#d33; font-weight:bold;">{label}</span> {shown}</span>'
    )

