"""One index view as wikitext: an :class:`IndexView` and the cases -> the region's body.

Rendering is deterministic (stable sort, ties broken by page title; no timestamps), every
value from a case page goes through ``bots.wikitext.escape``, and sensitive cases show a
"hidden" note instead of their contacts. Values inline with other text (needs-attention list,
problem messages) are wrapped in ``<bdi>``; table cells isolate their content by themselves.
With grouping by topic a case appears under each of its topics; totals count cases once.

Each case row starts with ``|- data-advocacy-case="<page title>"`` (:data:`CASE_ROW_RE`): the
next run reads the rows back from the page to tell what it added, updated and removed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from bots.cases.record import Case, CaseParseResult
from bots.i18n.languages import SOURCE_LANG
from bots.i18n.messages import Messages
from bots.index.attention import attention_lines, row_mark, row_problems
from bots.index.create_box import create_box_lines
from bots.index.view_params import IndexView, no_vocabulary
from bots.index.view_text import VOCABULARIES, ViewText, escape_inline
from bots.wikitext.escape import escape_attribute
from bots.wikitext.problems import Problem

# The first line of a case row; group 1 is the page title (escaped as an attribute value).
CASE_ROW_RE = re.compile(r'^\|-[^\n]*?\bdata-advocacy-case="([^"\n]*)"', re.MULTILINE)

_ISO_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)

MAX_SHOWN_PROBLEMS = 20  # problems of one view's parameters shown in its error box
CHART_MAX_WIDTH = 200  # px of the longest bar
CHART_COLOR = "#36c"
INVALID_ROW_STYLE = "background:#fee7e6;"  # a row whose case page has problems
# Short values that must not break: on a phone a narrow column would put one Chinese
# character or one half of a date on each line.
_NOWRAP_COLUMNS = frozenset({"status", "start", "end", "updated"})
_NOWRAP = 'style="white-space:nowrap;" | '

_Text = ViewText
_VOCABULARIES = VOCABULARIES


def _title_link(case: Case, view: IndexView, text: _Text) -> str:
    """The case linked in the view's language: its translation subpage when there is one (the
    case page itself is in the source language, or in its wiki's language), on its own wiki."""
    wikis = view.wikis
    own_language = wikis.language(case.page) or SOURCE_LANG
    if text.lang in case.languages and text.lang != own_language:
        return wikis.link(f"{case.page}/{text.lang}", case.title)
    return wikis.link(case.page, case.title)


def _since(refreshed_at: str) -> str:
    """``2026-12-07T05:00:00Z`` as ``2026-12-07 05:00`` (UTC; minutes, so reruns agree)."""
    return escape_inline(refreshed_at[:16].replace("T", " "))


def _stale_mark(case: Case, view: IndexView, text: _Text) -> str:
    """Under the title of a case whose wiki was not refreshed: since when it is as shown."""
    stale = view.wikis.stale.get(view.wikis.wiki_of(case.page))
    if stale is None:
        return ""
    label = text.msg("advocacyhub-index-not-refreshed", _since(stale.refreshed_at))
    return ('<span class="advocacyhub-index-not-refreshed" style="display:block; '
            f'font-size:85%; color:#ac6600;">{label}</span>')  # fmt: skip


def _cell(case: Case, column: str, text: _Text, view: IndexView) -> str:
    if column == "title":
        return _title_link(case, view, text) + _stale_mark(case, view, text)
    if column == "wiki":
        return escape_inline(view.wikis.wiki_of(case.page), 50)
    if column == "region":
        return text.vocabulary_label("region", case.region) if case.region else ""
    if column == "status":
        return text.vocabulary_label("status", case.status) if case.status else ""
    if column == "topic":
        return text.join(text.vocabulary_label("topic", t) for t in case.topics)
    if column == "methods":
        return text.join(text.vocabulary_label("method", m) for m in case.methods)
    if column == "country":
        return text.join(escape_inline(c, 100) for c in case.countries)
    if column == "partners":
        return text.join(escape_inline(p, 100) for p in case.partners)
    if column == "contact":
        if case.sensitive and case.contacts:
            return f"''{text.msg('advocacyhub-label-hidden')}''"
        return text.join(escape_inline(c, 100) for c in case.contacts)
    if column in ("start", "end"):
        date = case.start if column == "start" else case.end
        return str(date) if date is not None else ""
    if column in ("summary", "lessons"):
        return escape_inline(case.summary if column == "summary" else case.lessons)
    if column == "languages":
        # a case page on another wiki: the language it is written in, and its translations
        # there (a central case lists its translations only, as before)
        codes = {*case.languages, *filter(None, (view.wikis.language(case.page),))}
        return text.join(_language_item(c, case, text) for c in sorted(codes))
    if column == "updated":
        return case.last_edit[:10] if _ISO_DAY_RE.match(case.last_edit) else ""
    raise ValueError(f"unknown column {column!r}")


def _language_item(code: str, case: Case, text: _Text) -> str:
    name = escape_inline(text.messages.autonym(code), 50)
    if code in case.outdated_languages:
        return text.msg("advocacyhub-translations-language-outdated", name)
    return name


def _header(column: str, text: _Text) -> str:
    if column in ("languages", "updated", "wiki"):
        return text.msg(f"advocacyhub-index-column-{column}")
    return text.msg(f"advocacyhub-field-{column}")


def _table(
    cases: Sequence[Case],
    columns: Sequence[str],
    text: _Text,
    problems: Mapping[str, tuple[Problem, ...]],
    view: IndexView,
) -> list[str]:
    # The wrapper scrolls a wide table sideways on a narrow screen instead of squeezing it.
    lines = ['<div class="advocacyhub-index-scroll" style="overflow-x:auto;">']
    lines.append('{| class="wikitable sortable advocacyhub-index-table"')
    lines.append("! " + " !! ".join(_header(c, text) for c in columns))
    for case in cases:
        row = f'|- data-advocacy-case="{escape_attribute(case.page)}"'
        marked = problems.get(case.page, ())
        if marked:
            row += f' class="advocacyhub-index-invalid" style="{INVALID_ROW_STYLE}"'
        lines.append(row)
        for column in columns:
            value = _cell(case, column, text, view)
            if column == "title" and marked:
                value += row_mark(marked, text)
            if value and column in _NOWRAP_COLUMNS:
                value = _NOWRAP + value
            lines.append(f"| {value}" if value else "|")
    lines.append("|}")
    lines.append("</div>")
    return lines


def _sorted_cases(cases: Iterable[Case], view: IndexView) -> list[Case]:
    # Two stable sorts: page title first (the tie-breaker), then the chosen key; reverse=True
    # keeps the sort stable. Cases without a value for the key go last whatever the direction.
    key_of = _sort_key_function(view)
    keyed = sorted(((key_of(c), c) for c in cases), key=lambda kc: kc[1].page)
    present = [kc for kc in keyed if kc[0] is not None]
    present.sort(key=lambda kc: kc[0], reverse=view.descending)
    return [c for _, c in present] + [c for k, c in keyed if k is None]


def _sort_key_function(view: IndexView) -> Callable[[Case], Any]:
    sort = view.sort
    if sort == "title":
        return lambda c: c.title.casefold()
    if sort in ("start", "end"):
        return lambda c: getattr(c, sort).sort_key if getattr(c, sort) else None
    if sort == "updated":
        return lambda c: c.last_edit or None
    order = {code: i for i, code in enumerate(getattr(view.vocabulary, _VOCABULARIES[sort]))}
    return lambda c: order.get(getattr(c, sort))


def _groups(cases: Sequence[Case], view: IndexView, text: _Text) -> list[tuple[str, list[Case]]]:
    """(heading wikitext, cases) per group, in display order; empty groups are left out."""
    if view.group == "year":
        by_year: dict[int | None, list[Case]] = {}
        for case in cases:
            by_year.setdefault(case.start.year if case.start else None, []).append(case)
        years = sorted((y for y in by_year if y is not None), reverse=True)
        groups = [(str(y), by_year[y]) for y in years]
        if None in by_year:
            groups.append((text.msg("advocacyhub-index-group-no-year"), by_year[None]))
        return groups
    kind = view.group
    vocabulary = getattr(view.vocabulary, _VOCABULARIES[kind])
    members: dict[str, list[Case]] = {code: [] for code in vocabulary}
    other: list[Case] = []
    for case in cases:
        codes = case.topics if kind == "topic" else (getattr(case, kind),)
        known = [c for c in codes if c in members]
        for code in known:
            members[code].append(case)
        if not known:
            other.append(case)
    groups = [(text.vocabulary_label(kind, code), members[code]) for code in vocabulary]
    groups.append((text.msg("advocacyhub-index-group-other"), other))
    return [(label, group) for label, group in groups if group]


def _chart(groups: Sequence[tuple[str, list[Case]]], view: IndexView, text: _Text) -> list[str]:
    biggest = max(len(g) for _, g in groups)
    lines = ['{| class="advocacyhub-index-chart"']
    lines.append(f"|+ {text.msg(f'advocacyhub-index-chart-caption-{view.group}')}")
    for label, group in groups:
        width = max(2, round(CHART_MAX_WIDTH * len(group) / biggest))
        bar = (
            f'<span aria-hidden="true" style="display:inline-block; width:{width}px; '
            f'height:0.8em; background:{CHART_COLOR};"></span>'
        )
        lines.append("|-")
        lines.append(f"| {label}")
        lines.append(f'| style="white-space:nowrap;" | {bar} {len(group)}')
    lines.append("|}")
    return lines


def _stale_notice(cases: Sequence[Case], view: IndexView, text: _Text) -> list[str]:
    """One line per wiki shown from its last rows in this view: not refreshed since when."""
    wikis = view.wikis
    shown = sorted({wikis.wiki_of(c.page) for c in cases} & set(wikis.stale))
    lines = []
    for wiki_id in shown:
        since = _since(wikis.stale[wiki_id].refreshed_at)
        notice = text.msg("advocacyhub-index-not-refreshed-notice", escape_inline(wiki_id), since)
        lines.append(f'<div class="advocacyhub-index-not-refreshed-notice">{notice}</div>')
    return lines


def render_index_view(
    view: IndexView,
    cases: Iterable[Case],
    attention_items: Iterable[CaseParseResult],
    messages: Messages,
    lang: str,
) -> str:
    """The wikitext of one view (without the stamp, which ``bots.wikitext.markers`` adds).

    ``lang`` is the page's language, used when the view has no ``lang`` parameter.
    ``attention_items`` are the parse results of all case pages; those with problems are
    listed when the view shows the needs-attention list.
    """
    text = _Text(messages, view.lang or lang, view.vocabulary)
    matching = _sorted_cases((c for c in cases if view.matches(c)), view)
    shown = matching[: view.limit] if view.limit else matching
    direction = "rtl" if messages.is_rtl(text.lang) else "ltr"
    lang_attribute = escape_attribute(text.lang)
    lines = [f'<div class="advocacyhub-index" lang="{lang_attribute}" dir="{direction}">']
    attention_items = tuple(attention_items)
    lines.extend(create_box_lines(view, text))
    if view.attention:
        lines.extend(attention_lines(attention_items, view, text))
    problems = row_problems(attention_items)
    lines.extend(_stale_notice(matching, view, text))
    columns = view.shown_columns
    if not matching:
        lines.append(text.msg("advocacyhub-index-empty"))
    else:
        lines.append(text.msg("advocacyhub-index-total", len(matching)))
        if len(shown) < len(matching):
            lines.append("")
            lines.append(text.msg("advocacyhub-index-limited", len(shown), len(matching)))
        if view.group == "none":
            lines.extend(_table(shown, columns, text, problems, view))
        else:
            groups = _groups(shown, view, text)
            if view.chart:
                lines.extend(_chart(groups, view, text))
            for label, group in groups:
                lines.append(f"=== {label} ===")
                lines.append(text.msg("advocacyhub-label-case-count", len(group)))
                lines.extend(_table(group, columns, text, problems, view))
    lines.append("</div>")
    return "\n".join(lines)


def render_view_errors(problems: Sequence[Problem], messages: Messages, lang: str) -> str:
    """A visible error box listing every problem with the view's parameters, in plain words."""
    text = _Text(messages, lang, no_vocabulary())
    lines = ['<div class="error advocacyhub-index-error">']
    lines.append(text.msg("advocacyhub-index-error-intro"))
    lines.extend(f"* {text.problem(p)}" for p in problems[:MAX_SHOWN_PROBLEMS])
    if len(problems) > MAX_SHOWN_PROBLEMS:
        lines.append(text.msg("advocacyhub-index-error-more", len(problems) - MAX_SHOWN_PROBLEMS))
    lines.append("</div>")
    return "\n".join(lines)


def render_view(
    view: IndexView | list[Problem],
    cases: Iterable[Case],
    attention_items: Iterable[CaseParseResult],
    messages: Messages,
    lang: str,
) -> str:
    """The view, or the error box when its parameters had problems."""
    if isinstance(view, list):
        return render_view_errors(view, messages, lang)
    return render_index_view(view, cases, attention_items, messages, lang)
