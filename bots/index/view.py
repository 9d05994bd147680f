"""One view of the case index: start-marker parameters -> :class:`IndexView` -> wikitext.

On-wiki contract. ``{{Advocacy case index|...}}`` … ``{{Advocacy case index end}}``: the bot
writes the view between the markers (see ``bots.wikitext.markers``). Parameters of the start marker
(names case-insensitive; an empty value counts as not given; lists are comma-separated):

=========== ===================================================================================
region      only these region codes (codes or English labels)
country     only these countries (case-insensitive, as written on the case pages)
topic       only cases with at least one of these topic codes
status      only these status codes
year        only cases that *started* in these years; ``2019``, ``2019-2021`` (a range)
group       ``none`` (default), ``region``, ``topic``, ``status`` or ``year`` (start year)
sort        ``title`` (default), ``start``, ``end``, ``status``, ``region`` or ``updated``;
            ``-start`` or ``start desc`` for descending. Region and status sort in the order of
            the vocabulary in the configuration; cases without the value come last either way
columns     from: title, region, country, topic, status, start, end, methods, partners,
            contact, lessons, summary, languages, updated (default: title, region, country,
            topic, status, start, end). The title column is always shown: first, unless listed
lang        language of headings and labels (default: the page's language given by the job)
limit       show only the first N cases (after sorting)
attention   ``yes``/``no``: show the "needs attention" list. Default: yes on a view without
            filters, no on a filtered one. A filtered view lists only the problem pages whose
            case passes its filters (pages without a usable case template appear only on
            unfiltered views)
chart       ``yes``/``no``: a bar chart of the number of cases per group; default yes when the
            view is grouped (a view without groups has no chart)
=========== ===================================================================================

Rendering is deterministic (stable sort, ties broken by page title; no timestamps), every
value from a case page goes through ``bots.wikitext.escape``, and sensitive cases show a
"hidden" note instead of their contacts. Values inline with other text (needs-attention list,
problem messages) are wrapped in ``<bdi>``; table cells isolate their content by themselves.
With grouping by topic a case appears under each of its topics; totals count cases once.

Each case row starts with ``|- data-advocacy-case="<page title>"``: :func:`count_rows` and
:func:`rendered_page_titles` read that back from a page's current text.

Problem codes for invalid parameters (message ``advocacyhub-problem-<code>``):

==================== =================================================================
unknown-view-param   $1 parameter name, $2 closest known parameter
unnamed-parameter    $1 a value given without a parameter name
unknown-region       $1 value, $2 closest region code   (also topic, status)
bad-year             $1 value
bad-limit            $1 value
bad-lang             $1 value
unknown-column       $1 value, $2 closest column name
bad-view-value       $1 parameter, $2 value, $3 allowed values (comma-separated codes)
==================== =================================================================
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bots.cases.parser import closest, match_vocabulary, parse_yes_no, vocabulary_index
from bots.cases.record import Case, CaseParseResult
from bots.config.model import Config, VocabularyConfig
from bots.i18n.messages import Messages
from bots.wikitext.escape import escape_attribute, escape_inline, internal_link
from bots.wikitext.problems import Problem

__all__ = [
    "COLUMNS",
    "DEFAULT_COLUMNS",
    "GROUPS",
    "SORTS",
    "VIEW_PARAMS",
    "VIEW_PROBLEM_CODES",
    "IndexView",
    "count_rows",
    "parse_view_params",
    "render_index",
    "render_index_view",
    "render_view_errors",
    "rendered_page_titles",
]

VIEW_PARAMS = (
    "region", "country", "topic", "status", "year", "group", "sort", "columns", "limit",
    "lang", "attention", "chart",
)  # fmt: skip
GROUPS = ("none", "region", "topic", "status", "year")
SORTS = ("title", "start", "end", "status", "region", "updated")
COLUMNS = (
    "title", "region", "country", "topic", "status", "start", "end", "methods", "partners",
    "contact", "lessons", "summary", "languages", "updated",
)  # fmt: skip
DEFAULT_COLUMNS = ("title", "region", "country", "topic", "status", "start", "end")

_YEAR_RE = re.compile(r"(\d{4})(?:\s*[-–]\s*(\d{4}))?", re.ASCII)
_LANG_RE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})*", re.ASCII)
_ROW_RE = re.compile(r'^\|-[^\n]*?\bdata-advocacy-case="([^"\n]*)"', re.MULTILINE)
_ISO_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_LIST_SPLIT_RE = re.compile(r"[,;，；、،]")

# Every code parse_view_params can report (the table in the module docstring gives the params).
VIEW_PROBLEM_CODES = (
    "unknown-view-param",
    "unnamed-parameter",
    "unknown-region",
    "unknown-topic",
    "unknown-status",
    "bad-year",
    "bad-limit",
    "bad-lang",
    "unknown-column",
    "bad-view-value",
)

CHART_MAX_WIDTH = 200  # px of the longest bar
CHART_COLOR = "#36c"


def _no_vocabulary() -> VocabularyConfig:
    return VocabularyConfig(regions={}, topics={}, statuses={})


@dataclass(frozen=True)
class IndexView:
    """What one index region shows. Filters are empty tuples when not given.

    ``vocabulary`` (from the configuration) gives the English labels and the order of regions,
    topics and statuses; without it codes are shown as written.
    """

    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()  # casefolded
    topics: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    years: tuple[tuple[int, int], ...] = ()  # inclusive ranges of start years
    group: str = "none"
    sort: str = "title"
    descending: bool = False
    columns: tuple[str, ...] = DEFAULT_COLUMNS
    limit: int | None = None
    lang: str | None = None
    attention: bool = True
    chart: bool = False
    vocabulary: VocabularyConfig = field(
        default_factory=_no_vocabulary, compare=False, hash=False, repr=False
    )

    @property
    def filtered(self) -> bool:
        return bool(self.regions or self.countries or self.topics or self.statuses or self.years)

    def matches(self, case: Case) -> bool:
        """Whether ``case`` passes every filter of the view."""
        if self.regions and case.region not in self.regions:
            return False
        if self.countries and not any(c.casefold() in self.countries for c in case.countries):
            return False
        if self.topics and not set(case.topics) & set(self.topics):
            return False
        if self.statuses and case.status not in self.statuses:
            return False
        if self.years:
            if case.start is None:
                return False
            year = case.start.year
            if not any(lo <= year <= hi for lo, hi in self.years):
                return False
        return True


# ---------------------------------------------------------------------------------------------
# Parameters.


def _split(value: str) -> list[str]:
    return [v.strip() for v in _LIST_SPLIT_RE.split(value) if v.strip()]


def _vocabulary_codes(
    values: str, vocabulary: Mapping[str, str], code: str, problems: list[Problem]
) -> tuple[str, ...]:
    out: list[str] = []
    for value in _split(values):
        found = match_vocabulary(value, vocabulary)
        if found is None:
            problems.append(Problem(code, (value, closest(value, vocabulary_index(vocabulary)))))
        elif found not in out:
            out.append(found)
    return tuple(out)


def _yes_no(param: str, value: str, problems: list[Problem]) -> bool | None:
    answer = parse_yes_no(value)
    if answer is not None:
        return answer
    problems.append(Problem("bad-view-value", (param, value, "yes, no")))
    return None


def parse_view_params(params: Mapping[str, str], config: Config) -> IndexView | list[Problem]:
    """The view the start marker's parameters ask for, or every problem with them."""
    problems: list[Problem] = []
    given: dict[str, str] = {}
    known = {p: p for p in VIEW_PARAMS}
    for name, value in params.items():
        key = " ".join(name.split()).casefold()
        if key not in known:
            if key.isdigit():
                # "|value" without a name; an empty one (a stray "|") is harmless
                if value.strip():
                    problems.append(Problem("unnamed-parameter", (value.strip(),)))
                continue
            problems.append(Problem("unknown-view-param", (name, closest(key, known))))
        elif value.strip():
            given[key] = value.strip()

    vocab = config.vocabulary
    regions = _vocabulary_codes(given.get("region", ""), vocab.regions, "unknown-region", problems)
    topics = _vocabulary_codes(given.get("topic", ""), vocab.topics, "unknown-topic", problems)
    statuses = _vocabulary_codes(
        given.get("status", ""), vocab.statuses, "unknown-status", problems
    )
    countries = tuple(dict.fromkeys(c.casefold() for c in _split(given.get("country", ""))))

    years: list[tuple[int, int]] = []
    for value in _split(given.get("year", "")):
        m = _YEAR_RE.fullmatch(value)
        lo, hi = (int(m.group(1)), int(m.group(2) or m.group(1))) if m else (0, 0)
        if m is None or lo > hi:
            problems.append(Problem("bad-year", (value,)))
        else:
            years.append((lo, hi))

    group = given.get("group", "none").casefold()
    if group not in GROUPS:
        problems.append(Problem("bad-view-value", ("group", given["group"], ", ".join(GROUPS))))

    sort, descending = _parse_sort(given.get("sort", "title"), problems)
    columns = _parse_columns(given.get("columns"), problems)

    limit: int | None = None
    if "limit" in given:
        raw = given["limit"]
        if raw.isascii() and raw.isdigit() and int(raw) > 0:
            limit = int(raw)
        else:
            problems.append(Problem("bad-limit", (raw,)))

    lang: str | None = None
    if "lang" in given:
        lang = given["lang"].replace("_", "-").casefold()
        if not _LANG_RE.fullmatch(lang):
            problems.append(Problem("bad-lang", (given["lang"],)))

    filtered = bool(regions or topics or statuses or countries or years)
    attention = not filtered
    if "attention" in given:
        attention = bool(_yes_no("attention", given["attention"], problems))
    chart = group != "none"
    if "chart" in given:
        chart = bool(_yes_no("chart", given["chart"], problems))

    if problems:
        return problems
    return IndexView(
        regions=regions,
        countries=countries,
        topics=topics,
        statuses=statuses,
        years=tuple(years),
        group=group,
        sort=sort,
        descending=descending,
        columns=columns,
        limit=limit,
        lang=lang,
        attention=attention,
        chart=chart and group != "none",
        vocabulary=vocab,
    )


def _parse_sort(value: str, problems: list[Problem]) -> tuple[str, bool]:
    words = value.casefold().split()
    descending = False
    if len(words) == 2 and words[1] in ("asc", "desc"):
        descending = words[1] == "desc"
        words = words[:1]
    key = words[0] if len(words) == 1 else ""
    if key.startswith("-"):
        key, descending = key[1:], True
    if key not in SORTS:
        allowed = ", ".join(SORTS)
        problems.append(Problem("bad-view-value", ("sort", value, allowed)))
        return "title", False
    return key, descending


def _parse_columns(value: str | None, problems: list[Problem]) -> tuple[str, ...]:
    if value is None:
        return DEFAULT_COLUMNS
    known = {c: c for c in COLUMNS}
    columns: list[str] = []
    for item in _split(value):
        key = item.casefold()
        if key not in known:
            problems.append(Problem("unknown-column", (item, closest(key, known))))
        elif key not in columns:
            columns.append(key)
    if "title" not in columns:
        columns.insert(0, "title")
    return tuple(columns)


# ---------------------------------------------------------------------------------------------
# Rendering helpers.


class _Text:
    """Message lookups for one language, with the vocabulary labels of the configuration."""

    def __init__(self, messages: Messages, lang: str, vocabulary: VocabularyConfig) -> None:
        self.messages = messages
        self.lang = lang
        self.vocabulary = vocabulary
        self.separator = self.msg("advocacyhub-label-separator")

    def msg(self, key: str, *params: object) -> str:
        return self.messages.msg(key, self.lang, *params)

    def vocabulary_label(self, kind: str, code: str) -> str:
        """Wikitext label of a vocabulary code; an unknown value is shown escaped as written.

        A translation in the view's language (or its fallbacks before English) wins; otherwise
        the configuration's English label, which the operator may have changed.
        """
        vocabulary: Mapping[str, str] = getattr(self.vocabulary, _VOCABULARIES[kind])
        if code not in vocabulary:
            return escape_inline(code)
        key = f"advocacyhub-{kind}-{code}"
        for lang in self.messages.fallback_chain(self.lang):
            if lang == "en":
                break
            if self.messages.has(key, lang):
                return self.msg(key)
        return escape_inline(vocabulary[code])

    def join(self, items: Iterable[str]) -> str:
        return self.separator.join(items)

    def problem(self, problem: Problem) -> str:
        # Numbers stay bare so that {{PLURAL:$1|…}} can read them.
        params = [
            p if p.isascii() and p.isdigit() else f"<bdi>{escape_inline(p, 100)}</bdi>"
            for p in problem.params
        ]
        return self.msg(problem.message_key, *params)


_VOCABULARIES = {"region": "regions", "topic": "topics", "status": "statuses", "method": "methods"}


def _cell(case: Case, column: str, text: _Text) -> str:
    if column == "title":
        return internal_link(case.page, case.title)
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
        date = getattr(case, column)
        return str(date) if date is not None else ""
    if column in ("summary", "lessons"):
        return escape_inline(getattr(case, column))
    if column == "languages":
        return text.join(_language_item(c, case, text) for c in sorted(case.languages))
    if column == "updated":
        return case.last_edit[:10] if _ISO_DAY_RE.match(case.last_edit) else ""
    raise ValueError(f"unknown column {column!r}")


def _language_item(code: str, case: Case, text: _Text) -> str:
    name = escape_inline(text.messages.autonym(code), 50)
    if code in case.outdated_languages:
        return text.msg("advocacyhub-translations-language-outdated", name)
    return name


def _header(column: str, text: _Text) -> str:
    if column in ("languages", "updated"):
        return text.msg(f"advocacyhub-index-column-{column}")
    return text.msg(f"advocacyhub-field-{column}")


def _table(cases: Sequence[Case], columns: Sequence[str], text: _Text) -> list[str]:
    lines = ['{| class="wikitable sortable advocacyhub-index-table"']
    lines.append("! " + " !! ".join(_header(c, text) for c in columns))
    for case in cases:
        lines.append(f'|- data-advocacy-case="{escape_attribute(case.page)}"')
        for column in columns:
            value = _cell(case, column, text)
            lines.append(f"| {value}" if value else "|")
    lines.append("|}")
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


def _attention(items: Iterable[CaseParseResult], view: IndexView, text: _Text) -> list[str]:
    chosen = [
        item
        for item in items
        if item.problems and (view.matches(item.case) if item.case else not view.filtered)
    ]
    if not chosen:
        return []
    lines = [f"=== {text.msg('advocacyhub-index-attention-heading')} ==="]
    lines.append(text.msg("advocacyhub-index-attention-intro"))
    reason_separator = text.msg("advocacyhub-index-reason-separator")
    for item in sorted(chosen, key=lambda i: i.page):
        label = item.case.title if item.case else item.page
        link = f"<bdi>{internal_link(item.page, label)}</bdi>"
        reasons = reason_separator.join(text.problem(p) for p in item.problems)
        lines.append("* " + text.msg("advocacyhub-index-attention-item", link, reasons))
    return lines


# ---------------------------------------------------------------------------------------------
# Public rendering functions.


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
    if not matching:
        lines.append(text.msg("advocacyhub-index-empty"))
    else:
        lines.append(text.msg("advocacyhub-index-total", len(matching)))
        if len(shown) < len(matching):
            lines.append("")
            lines.append(text.msg("advocacyhub-index-limited", len(shown), len(matching)))
        if view.group == "none":
            lines.extend(_table(shown, view.columns, text))
        else:
            groups = _groups(shown, view, text)
            if view.chart:
                lines.extend(_chart(groups, view, text))
            for label, group in groups:
                lines.append(f"=== {label} ===")
                lines.append(text.msg("advocacyhub-label-case-count", len(group)))
                lines.extend(_table(group, view.columns, text))
    if view.attention:
        lines.extend(_attention(attention_items, view, text))
    lines.append("</div>")
    return "\n".join(lines)


def render_view_errors(problems: Sequence[Problem], messages: Messages, lang: str) -> str:
    """A visible error box listing every problem with the view's parameters, in plain words."""
    text = _Text(messages, lang, _no_vocabulary())
    lines = ['<div class="error advocacyhub-index-error">']
    lines.append(text.msg("advocacyhub-index-error-intro"))
    lines.extend(f"* {text.problem(p)}" for p in problems)
    lines.append("</div>")
    return "\n".join(lines)


def render_index(
    params: Mapping[str, str],
    cases: Iterable[Case],
    attention_items: Iterable[CaseParseResult],
    messages: Messages,
    lang: str,
    config: Config,
) -> str:
    """Parse the marker's parameters and render the view, or the error box."""
    view = parse_view_params(params, config)
    if isinstance(view, list):
        return render_view_errors(view, messages, lang)
    return render_index_view(view, cases, attention_items, messages, lang)


def count_rows(wikitext: str) -> int:
    """Number of case rows in rendered view wikitext (a case grouped under two topics: 2)."""
    return len(_ROW_RE.findall(wikitext))


def rendered_page_titles(wikitext: str) -> frozenset[str]:
    """The case page titles listed in rendered view wikitext."""
    return frozenset(html.unescape(m) for m in _ROW_RE.findall(wikitext))
