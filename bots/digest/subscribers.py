"""Read the digest's subscriber list page. Pure.

On-wiki contract (page ``config.digest.subscriber_page``): one line per subscriber,

    {{Advocacy digest subscriber|page=User talk:Example|lang=fr|regions=europe|topics=copyright}}
    {{Target|page=User talk:Other}}

The first template's name is ``config.templates.subscriber``; the second is MassMessage's list
format (``config.templates.massmessage_target``), so an existing MassMessage list can be pasted
as it is. ``page`` (or the first unnamed parameter) is the talk page that receives the digest,
``lang`` its language (default English), ``regions`` and ``topics`` comma-separated codes or
English labels of the configured vocabularies that narrow what the subscriber receives.

Only calls at the top level of the page count; calls inside comments, ``<nowiki>`` or another
template's parameters (documentation examples) are ignored. Every line that cannot be used is
reported with a :class:`~bots.wikitext.problems.Problem` (message ``advocacyhub-problem-<code>``):

=============================== ====================================================== =====
subscriber-missing-page         no ``page`` parameter                                  skip
subscriber-invalid-title        $1 the value: not a possible page title                skip
subscriber-other-wiki           $1 the ``site`` value: delivery to other wikis          skip
subscriber-duplicate            $1 page, $2 the line that listed it first              skip
subscriber-bad-lang             $1 the value: not a real language's code (a typo, or a warn
                                pseudo-code such as ``qqq``); English is used
subscriber-unknown-region       $1 value, $2 closest code: kept, so it matches nothing warn
subscriber-unknown-topic        $1 value, $2 closest code: kept, so it matches nothing warn
subscriber-too-many             $1 parameter, $2 the maximum: only the first are kept  warn
=============================== ====================================================== =====

An unknown filter value is kept rather than dropped: a misspelt region narrows a subscriber's
digest to less, never widens it to everything; so does a list cut at its maximum
(:data:`MAX_FILTER_VALUES`). Subscriber lines carry no numbers; languages are checked with
``bots.i18n.languages.is_known_language``.

Several calls may stand on one line: each is its own subscription, told apart by ``call`` (its
place on the line), so the delivery report lists every one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from bots.cases.parser import closest, match_vocabulary
from bots.i18n.languages import is_known_language, normalize_lang
from bots.wikitext.markers import TemplateCall, find_templates
from bots.wikitext.problems import Problem
from bots.wikitext.truncate import truncate

DEFAULT_LANG = "en"

# What MediaWiki never accepts in a title (plus '#': a fragment is not a page).
_BAD_TITLE_RE = re.compile(r"[#<>\[\]{}|\x00-\x1f\x7f\ufffd]")
_LIST_RE = re.compile(r"[,;\n]")
_MAX_TITLE_BYTES = 255
MAX_FILTER_VALUES = 20  # regions or topics on one line; more are cut (a narrower digest)
MAX_VALUE_CHARS = 100  # one filter value as compared and reported


@dataclass(frozen=True)
class Subscriber:
    """One usable line: ``page`` is normalised (by the function the caller passed)."""

    page: str
    line: int
    lang: str = DEFAULT_LANG
    regions: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    call: int = 1  # the call's place on its line (several calls may share a line)

    @property
    def key(self) -> tuple[int, int]:
        """What tells this subscription from every other on the list: line and call."""
        return (self.line, self.call)


@dataclass(frozen=True)
class LineIssue:
    """A problem with one line; ``skipped`` lines deliver nothing, the others are warnings."""

    line: int
    page: str  # as written (may be empty)
    problem: Problem
    skipped: bool
    call: int = 1

    @property
    def key(self) -> tuple[int, int]:
        return (self.line, self.call)


@dataclass(frozen=True)
class SubscriberList:
    subscribers: tuple[Subscriber, ...]
    issues: tuple[LineIssue, ...]


def basic_title(title: str) -> str | None:
    """A title normalised without knowing the wiki's namespaces, or None when impossible.

    Only for tests and a first look: the job asks the wiki (``bots.wiki.titles``). Underscores
    become spaces, whitespace collapses, a leading colon goes, and the first letter is upper
    case (on each side of the first colon, which is how namespaces look).
    """
    name = possible_title(title)
    if name is None:
        return None
    name = " ".join(name.replace("_", " ").split()).lstrip(":").strip()
    if not name:
        return None
    head, colon, rest = name.partition(":")
    head, rest = head.strip(), rest.strip()
    if colon and rest:
        return f"{head[:1].upper()}{head[1:]}:{rest[:1].upper()}{rest[1:]}"
    return name[:1].upper() + name[1:]


def possible_title(raw: str) -> str | None:
    """``raw`` trimmed, or None when no wiki could accept it as a title (so it is not even
    sent to the wiki): empty, a character MediaWiki never allows, or too long."""
    name = raw.strip()
    if not name or _BAD_TITLE_RE.search(name) or len(name.encode("utf-8")) > _MAX_TITLE_BYTES:
        return None
    return name


def _param(params: Mapping[str, str], *names: str) -> str:
    for name in names:
        if name in params:
            return params[name]
    return ""


def _filter_values(
    raw: str, vocabulary: Mapping[str, str], code: str, param: str, where: tuple[int, int, str],
    issues: list[LineIssue],
) -> tuple[str, ...]:
    line, call, page = where
    values: list[str] = []
    # closest() compares normalised spellings: lower case, spaces for hyphens
    index = {code.replace("-", " ").casefold(): code for code in vocabulary}
    for item in _LIST_RE.split(raw):
        item = truncate(" ".join(item.split()), MAX_VALUE_CHARS)
        if not item:
            continue
        if len(values) >= MAX_FILTER_VALUES:
            problem = Problem("subscriber-too-many", (param, str(MAX_FILTER_VALUES)))
            issues.append(LineIssue(line, page, problem, False, call))
            break
        found = match_vocabulary(item, vocabulary)
        if found is None:
            problem = Problem(code, (item, closest(item, index)))
            issues.append(LineIssue(line, page, problem, False, call))
            found = item.casefold()
        if found not in values:
            values.append(found)
    return tuple(values)


def subscriber_calls(
    text: str, subscriber_names: Iterable[str], target_names: Iterable[str]
) -> list[tuple[TemplateCall, int, dict[str, str]]]:
    """Each top-level subscriber call, its place on its line, and its parameters (names
    trimmed and in lower case)."""
    calls = find_templates(text, set(subscriber_names) | set(target_names))
    out: list[tuple[TemplateCall, int, dict[str, str]]] = []
    on_line: dict[int, int] = {}
    for call in calls:
        on_line[call.line] = on_line.get(call.line, 0) + 1
        params = {name.strip().casefold(): value for name, value in call.params}
        out.append((call, on_line[call.line], params))
    return out


def listed_pages(
    text: str, subscriber_names: Iterable[str], target_names: Iterable[str]
) -> list[str]:
    """The page values of every subscriber call, as written (trimmed): what to ask the wiki."""
    return [page for page, _line in listed_lines(text, subscriber_names, target_names)]


def listed_lines(
    text: str, subscriber_names: Iterable[str], target_names: Iterable[str]
) -> list[tuple[str, str]]:
    """(page value as written (trimmed), the call as written) of every subscriber call."""
    return [(_param(params, "page", "1").strip(), text[call.begin:call.end])
            for call, _n, params in subscriber_calls(text, subscriber_names, target_names)]


def parse_subscriber_list(
    text: str,
    *,
    subscriber_names: Iterable[str],
    target_names: Iterable[str],
    regions: Mapping[str, str],
    topics: Mapping[str, str],
    normalize_title: Callable[[str], str | Problem | None] = basic_title,
) -> SubscriberList:
    """Subscribers in page order, the first line of each page winning, and every issue.

    ``subscriber_names`` / ``target_names`` are the template names (redirects included);
    ``normalize_title`` returns the canonical title of a page value as written (trimmed), a
    :class:`Problem` when the line must be skipped for it (another wiki), or None when the
    title is impossible.
    """
    # Both forms mean the same: a MassMessage line is a subscriber with every default.
    subscribers: list[Subscriber] = []
    issues: list[LineIssue] = []
    first_line: dict[str, int] = {}
    for call, number, params in subscriber_calls(text, subscriber_names, target_names):
        line = call.line
        raw_page = _param(params, "page", "1").strip()
        if not raw_page:
            issues.append(LineIssue(line, "", Problem("subscriber-missing-page"), True, number))
            continue
        shown = truncate(" ".join(raw_page.split()), _MAX_TITLE_BYTES)  # as written, for the report
        site = _param(params, "site").strip()
        if site:
            problem = Problem("subscriber-other-wiki", (truncate(site, MAX_VALUE_CHARS),))
            issues.append(LineIssue(line, shown, problem, True, number))
            continue
        page = normalize_title(raw_page) if possible_title(raw_page) else None
        if not isinstance(page, str):
            problem = page or Problem("subscriber-invalid-title", (shown,))
            issues.append(LineIssue(line, shown, problem, True, number))
            continue
        if page in first_line:
            problem = Problem("subscriber-duplicate", (page, str(first_line[page])))
            issues.append(LineIssue(line, page, problem, True, number))
            continue
        first_line[page] = line
        raw_lang = _param(params, "lang", "language").strip()
        lang = normalize_lang(raw_lang) if raw_lang else DEFAULT_LANG
        if not is_known_language(lang):
            problem = Problem("subscriber-bad-lang", (truncate(raw_lang, MAX_VALUE_CHARS),))
            issues.append(LineIssue(line, page, problem, False, number))
            lang = DEFAULT_LANG
        where = (line, number, page)
        subscribers.append(
            Subscriber(
                page=page,
                line=line,
                lang=lang,
                regions=_filter_values(
                    _param(params, "regions", "region"), regions,
                    "subscriber-unknown-region", "regions", where, issues,
                ),
                topics=_filter_values(
                    _param(params, "topics", "topic"), topics,
                    "subscriber-unknown-topic", "topics", where, issues,
                ),
                call=number,
            )
        )
    return SubscriberList(tuple(subscribers), tuple(issues))
