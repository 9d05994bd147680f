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
subscriber-bad-lang             $1 the value: not a language code; English is used     warn
subscriber-unknown-region       $1 value, $2 closest code: kept, so it matches nothing warn
subscriber-unknown-topic        $1 value, $2 closest code: kept, so it matches nothing warn
=============================== ====================================================== =====

An unknown filter value is kept rather than dropped: a misspelt region narrows a subscriber's
digest to less, never widens it to everything.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from bots.cases.parser import closest, match_vocabulary
from bots.i18n.languages import is_language_code, normalize_lang
from bots.wikitext.markers import find_templates
from bots.wikitext.problems import Problem

DEFAULT_LANG = "en"

# What MediaWiki never accepts in a title (plus '#': a fragment is not a page).
_BAD_TITLE_RE = re.compile(r"[#<>\[\]{}|\x00-\x1f\x7f\ufffd]")
_LIST_RE = re.compile(r"[,;\n]")
_MAX_TITLE_BYTES = 255


@dataclass(frozen=True)
class Subscriber:
    """One usable line: ``page`` is normalised (by the function the caller passed)."""

    page: str
    line: int
    lang: str = DEFAULT_LANG
    regions: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class LineIssue:
    """A problem with one line; ``skipped`` lines deliver nothing, the others are warnings."""

    line: int
    page: str  # as written (may be empty)
    problem: Problem
    skipped: bool


@dataclass(frozen=True)
class SubscriberList:
    subscribers: tuple[Subscriber, ...]
    issues: tuple[LineIssue, ...]


def basic_title(title: str) -> str | None:
    """A title normalised without knowing the wiki's namespaces, or None when impossible.

    Underscores become spaces, whitespace collapses, a leading colon goes, and the first letter
    is upper case (on each side of the first colon, which is how namespaces look).
    """
    name = " ".join(title.replace("_", " ").split()).lstrip(":").strip()
    if not name or _BAD_TITLE_RE.search(name) or len(name.encode("utf-8")) > _MAX_TITLE_BYTES:
        return None
    head, colon, rest = name.partition(":")
    head, rest = head.strip(), rest.strip()
    if colon and rest:
        return f"{head[:1].upper()}{head[1:]}:{rest[:1].upper()}{rest[1:]}"
    return name[:1].upper() + name[1:]


def _param(params: Mapping[str, str], *names: str) -> str:
    for name in names:
        if name in params:
            return params[name]
    return ""


def _filter_values(
    raw: str, vocabulary: Mapping[str, str], code: str, line: int, page: str,
    issues: list[LineIssue],
) -> tuple[str, ...]:
    values: list[str] = []
    # closest() compares normalised spellings: lower case, spaces for hyphens
    index = {code.replace("-", " ").casefold(): code for code in vocabulary}
    for item in _LIST_RE.split(raw):
        item = " ".join(item.split())
        if not item:
            continue
        found = match_vocabulary(item, vocabulary)
        if found is None:
            issues.append(LineIssue(line, page, Problem(code, (item, closest(item, index))), False))
            found = item.casefold()
        if found not in values:
            values.append(found)
    return tuple(values)


def parse_subscriber_list(
    text: str,
    *,
    subscriber_names: Iterable[str],
    target_names: Iterable[str],
    regions: Mapping[str, str],
    topics: Mapping[str, str],
    normalize_title: Callable[[str], str | None] = basic_title,
) -> SubscriberList:
    """Subscribers in page order, the first line of each page winning, and every issue.

    ``subscriber_names`` / ``target_names`` are the template names (redirects included);
    ``normalize_title`` returns the canonical title, or None when the title is impossible.
    """
    # Both forms mean the same: a MassMessage line is a subscriber with every default.
    calls = find_templates(text, set(subscriber_names) | set(target_names))
    subscribers: list[Subscriber] = []
    issues: list[LineIssue] = []
    first_line: dict[str, int] = {}
    for call in calls:
        params = {name.strip().casefold(): value for name, value in call.params}
        raw_page = " ".join(_param(params, "page", "1").split())
        if not raw_page:
            issues.append(LineIssue(call.line, "", Problem("subscriber-missing-page"), True))
            continue
        site = _param(params, "site").strip()
        if site:
            problem = Problem("subscriber-other-wiki", (site,))
            issues.append(LineIssue(call.line, raw_page, problem, True))
            continue
        page = normalize_title(raw_page)
        if page is None:
            problem = Problem("subscriber-invalid-title", (raw_page,))
            issues.append(LineIssue(call.line, raw_page, problem, True))
            continue
        if page in first_line:
            problem = Problem("subscriber-duplicate", (page, str(first_line[page])))
            issues.append(LineIssue(call.line, page, problem, True))
            continue
        first_line[page] = call.line
        raw_lang = _param(params, "lang", "language").strip()
        lang = normalize_lang(raw_lang) if raw_lang else DEFAULT_LANG
        if not is_language_code(lang):
            issues.append(
                LineIssue(call.line, page, Problem("subscriber-bad-lang", (raw_lang,)), False)
            )
            lang = DEFAULT_LANG
        subscribers.append(
            Subscriber(
                page=page,
                line=call.line,
                lang=lang,
                regions=_filter_values(
                    _param(params, "regions", "region"), regions,
                    "subscriber-unknown-region", call.line, page, issues,
                ),
                topics=_filter_values(
                    _param(params, "topics", "topic"), topics,
                    "subscriber-unknown-topic", call.line, page, issues,
                ),
            )
        )
    return SubscriberList(tuple(subscribers), tuple(issues))
