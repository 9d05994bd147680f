"""What one index view shows: the start marker's parameters -> :class:`IndexView`.

On-wiki contract. ``{{Advocacy case index|...}}`` … ``{{Advocacy case index end}}``: the bot
writes the view between the markers (see ``bots.wikitext.markers``). Parameters of the start
marker (names case-insensitive; an empty value counts as not given; lists are comma-separated):

=========== ===================================================================================
region      only these region codes (codes or English labels)
country     only these countries (case-insensitive, as written on the case pages)
wiki        only the cases kept on these wikis (ids of ``[[sources]]``, case-insensitive)
topic       only cases with at least one of these topic codes
status      only these status codes
year        only cases that *started* in these years; ``2019``, ``2019-2021`` (a range)
group       ``none`` (default), ``region``, ``topic``, ``status`` or ``year`` (start year)
sort        ``title`` (default), ``start``, ``end``, ``status``, ``region`` or ``updated``;
            ``-start`` or ``start desc`` for descending. Region and status sort in the order of
            the vocabulary in the configuration; cases without the value come last either way
columns     from: title, region, country, topic, status, start, end, methods, partners,
            contact, lessons, summary, languages, updated, wiki (default: title, region,
            country, topic, status, start, end; and wiki when cases come from several wikis).
            The title column is always shown: first, unless listed
lang        language of headings and labels (default: the page's language given by the job)
limit       show only the first N cases (after sorting), N from 1 to 10,000
attention   ``yes``/``no``: show the "needs attention" list. Default: yes on a view without
            filters, no on a filtered one. A filtered view lists only the problem pages whose
            case passes its filters (pages without a usable case template appear only on
            unfiltered views)
chart       ``yes``/``no``: a bar chart of the number of cases per group; default yes when the
            view is grouped (a view without groups has no chart)
create      ``yes``/``no`` (default no): a "create a case" box first in the view, opening a new
            case page pre-filled in the view's language (``bots.index.create_box``)
=========== ===================================================================================

Bounds: every number is plain ASCII digits (``bots.wikitext.numbers.parse_count``); a list
parameter takes at most :data:`MAX_VALUES` values (``columns``: :data:`MAX_COLUMNS`), a value at
most :data:`MAX_VALUE_CHARS` characters; ``lang`` is a real language code
(``bots.i18n.languages.is_known_language``).

All problems with the parameters are reported together (the view then shows them in an error
box instead of the list: ``bots.index.view_render``). Problem codes (message
``advocacyhub-problem-<code>``):

====================== ===============================================================
unknown-view-param     $1 parameter name, $2 closest known parameter
unnamed-parameter      $1 a value given without a parameter name
unknown-region         $1 value, $2 closest region code
unknown-topic          $1 value, $2 closest topic code
unknown-wiki           $1 value, $2 closest wiki id
unknown-status         $1 value, $2 closest status code
bad-year               $1 value
bad-limit              $1 value
bad-lang               $1 value
unknown-column         $1 value, $2 closest column name
bad-view-value         $1 parameter, $2 value, $3 allowed values (comma-separated codes)
too-many-view-values   $1 parameter, $2 the most values it takes
view-value-too-long    $1 parameter, $2 the most characters it takes
====================== ===============================================================
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from bots.cases.parser import closest, match_vocabulary, parse_yes_no, vocabulary_index
from bots.cases.record import Case
from bots.config.model import Config, VocabularyConfig
from bots.i18n.languages import is_known_language
from bots.index.wikis import IndexWikis
from bots.wikitext.numbers import parse_count
from bots.wikitext.problems import Problem

VIEW_PARAMS = (
    "region", "country", "topic", "status", "year", "group", "sort", "columns", "limit",
    "lang", "attention", "chart", "create", "wiki",
)  # fmt: skip
GROUPS = ("none", "region", "topic", "status", "year")
SORTS = ("title", "start", "end", "status", "region", "updated")
COLUMNS = (
    "title", "region", "country", "topic", "status", "start", "end", "methods", "partners",
    "contact", "lessons", "summary", "languages", "updated", "wiki",
)  # fmt: skip
# Status right after the title: on a phone screen the first two columns are what shows.
DEFAULT_COLUMNS = ("title", "status", "region", "country", "topic", "start", "end")

MAX_VALUES = 50  # values of one list parameter (region, country, topic, status, year)
MAX_COLUMNS = 2 * len(COLUMNS)  # the columns list (each column once; room for repeats)
MAX_VALUE_CHARS = 2000  # characters of one parameter's value
MAX_LIMIT = 10_000
_LIST_PARAMS = ("region", "country", "topic", "status", "year", "columns", "wiki")

_YEAR_RE = re.compile(r"(\d{4})(?:\s*[-–]\s*(\d{4}))?", re.ASCII)
_LIST_SPLIT_RE = re.compile(r"[,;，；、،]")


def no_vocabulary() -> VocabularyConfig:
    """An empty vocabulary: codes are shown as written."""
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
    attention_limit: int = 200  # problem pages listed at most (the rest are counted)
    vocabulary: VocabularyConfig = field(
        default_factory=no_vocabulary, compare=False, hash=False, repr=False
    )
    # where the needs-attention list sends editors for the allowed codes (template names)
    case_template: str = "Advocacy case"
    index_template: str = "Advocacy case index"
    create: bool = False  # a "create a case" box first
    case_prefix: str = ""  # where new case pages go (the first of permissions.case_prefixes)
    inputbox: bool = False  # the wiki has the InputBox extension (set by the job from siteinfo)
    wiki_ids: tuple[str, ...] = ()  # only cases kept on these wikis
    # the wikis cases come from, and this run's state of each (set by the job)
    wikis: IndexWikis = field(default_factory=IndexWikis, compare=False, hash=False, repr=False)

    @property
    def shown_columns(self) -> tuple[str, ...]:
        """The columns of each table: a grouped view does not repeat its heading in a column."""
        if self.group in ("region", "topic", "status"):
            return tuple(c for c in self.columns if c != self.group)
        return self.columns

    @property
    def filtered(self) -> bool:
        return bool(self.regions or self.countries or self.topics or self.statuses or self.years
                    or self.wiki_ids)  # fmt: skip

    def matches(self, case: Case) -> bool:
        """Whether ``case`` passes every filter of the view."""
        if self.regions and case.region not in self.regions:
            return False
        if self.wiki_ids and self.wikis.wiki_of(case.page) not in self.wiki_ids:
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


def _given_params(params: Mapping[str, str], problems: list[Problem]) -> dict[str, str]:
    """The known parameters with a value, by normalised name; problems for the others."""
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
        elif len(value) > MAX_VALUE_CHARS:
            problems.append(Problem("view-value-too-long", (key, str(MAX_VALUE_CHARS))))
        elif value.strip():
            given[key] = value.strip()
    for key in _LIST_PARAMS:
        most = MAX_COLUMNS if key == "columns" else MAX_VALUES
        if key in given and len(_split(given[key])) > most:
            problems.append(Problem("too-many-view-values", (key, str(most))))
            del given[key]
    return given


def parse_view_params(params: Mapping[str, str], config: Config) -> IndexView | list[Problem]:
    """The view the start marker's parameters ask for, or every problem with them."""
    problems: list[Problem] = []
    given = _given_params(params, problems)
    vocab = config.vocabulary
    regions = _vocabulary_codes(given.get("region", ""), vocab.regions, "unknown-region", problems)
    topics = _vocabulary_codes(given.get("topic", ""), vocab.topics, "unknown-topic", problems)
    statuses = _vocabulary_codes(
        given.get("status", ""), vocab.statuses, "unknown-status", problems
    )
    countries = tuple(dict.fromkeys(c.casefold() for c in _split(given.get("country", ""))))
    years = _parse_years(given.get("year", ""), problems)
    wikis = IndexWikis.from_config(config)
    wiki_ids = _wiki_ids(given.get("wiki", ""), wikis, problems)

    group = given.get("group", "none").casefold()
    if group not in GROUPS:
        problems.append(Problem("bad-view-value", ("group", given["group"], ", ".join(GROUPS))))

    sort, descending = _parse_sort(given.get("sort", "title"), problems)
    columns = _parse_columns(given.get("columns"), problems, wikis.several)

    limit: int | None = None
    if "limit" in given:
        limit = parse_count(given["limit"], minimum=1, maximum=MAX_LIMIT)
        if limit is None:
            problems.append(Problem("bad-limit", (given["limit"],)))

    lang: str | None = None
    if "lang" in given:
        lang = given["lang"].replace("_", "-").casefold()
        if not is_known_language(lang):
            problems.append(Problem("bad-lang", (given["lang"],)))

    filtered = bool(regions or topics or statuses or countries or years or wiki_ids)
    attention = not filtered
    if "attention" in given:
        attention = bool(_yes_no("attention", given["attention"], problems))
    chart = group != "none"
    if "chart" in given:
        chart = bool(_yes_no("chart", given["chart"], problems))
    create = "create" in given and bool(_yes_no("create", given["create"], problems))

    if problems:
        return problems
    return IndexView(
        regions=regions,
        countries=countries,
        topics=topics,
        statuses=statuses,
        years=years,
        group=group,
        sort=sort,
        descending=descending,
        columns=columns,
        limit=limit,
        lang=lang,
        attention=attention,
        chart=chart and group != "none",
        vocabulary=vocab,
        case_template=config.templates.case,
        index_template=config.templates.index_start,
        create=create,
        case_prefix=next(iter(config.permissions.case_prefixes), ""),
        wiki_ids=wiki_ids,
        wikis=wikis,
    )


def _parse_years(value: str, problems: list[Problem]) -> tuple[tuple[int, int], ...]:
    years: list[tuple[int, int]] = []
    for item in _split(value):
        m = _YEAR_RE.fullmatch(item)
        lo = parse_count(m.group(1), maximum=9999) if m else None
        hi = parse_count(m.group(2) or m.group(1), maximum=9999) if m else None
        if lo is None or hi is None or lo > hi:
            problems.append(Problem("bad-year", (item,)))
        else:
            years.append((lo, hi))
    return tuple(years)


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


def _wiki_ids(value: str, wikis: IndexWikis, problems: list[Problem]) -> tuple[str, ...]:
    known = {wiki_id: wiki_id for wiki_id in wikis.tags}
    out: list[str] = []
    for item in _split(value):
        key = item.casefold()
        if key not in known:
            problems.append(Problem("unknown-wiki", (item, closest(key, known))))
        elif key not in out:
            out.append(key)
    return tuple(out)


def _parse_columns(
    value: str | None, problems: list[Problem], several_wikis: bool = False
) -> tuple[str, ...]:
    if value is None:
        return (*DEFAULT_COLUMNS, "wiki") if several_wikis else DEFAULT_COLUMNS
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
