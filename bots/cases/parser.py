"""Read one case page: the case template -> a :class:`Case` record plus :class:`Problem`\\ s.

On-wiki contract. A case page holds one call of the case template (``config.templates.case``,
default ``{{Advocacy case}}``; redirects are passed as ``template_names``) with these
parameters (names matched case- and whitespace-insensitively, underscores equal spaces, and
aliases from ``config.templates.case_aliases`` accepted, localized names included):

=========== ======================================================================
title       display title (required by default); the page title is used when empty
summary     free text
region      one code of ``config.vocabulary.regions`` (code or English label)
country     list of free-text names
topic       list of codes of ``config.vocabulary.topics`` (codes or English labels)
status      one code of ``config.vocabulary.statuses``
start, end  ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``
methods     list; known ``config.vocabulary.methods`` become codes, others stay free text
partners    list of free-text names
contact     list of usernames (a leading ``User:`` is dropped)
sensitive   fails closed: anything but one plain "no" hides details (``bots.cases.sensitive``)
lessons     free text
=========== ======================================================================

Values are read as plain text: comments, templates and markup are removed (links keep their
label), entities are decoded, whitespace collapses to single spaces. Lists split on ``,`` ``;``
(and ``，`` ``；`` ``、`` ``،``) and on new lines, dropping empty items and leading bullets. When a
parameter is given twice, the last one wins (as in MediaWiki) and ``duplicate-field`` is reported.

``parse_case_page`` returns a :class:`CaseParseResult`. Its ``case`` is None when the page has
no usable case template (``empty-page``, ``no-case-template``), or, with no problem, when the
configuration does not count the page as a case page (``[index]`` exclusions,
``bots.cases.scope``, so that every job agrees); with any other problem the case is returned, to
be listed and named in the needs-attention list. With several templates the first is read; the
case is sensitive when any of them says so. Values are bounded per field and per case, and a
*sensitive* case keeps only what every list shows of any case (``bots.cases.limits``).

Problem codes and their parameters (message ``advocacyhub-problem-<code>`` with ``$1``, ``$2``):

=========================== ==========================================================
empty-page                  (none)
no-case-template            $1 template name
multiple-case-templates     $1 number of case templates on the page
missing-field               $1 canonical field name
duplicate-field             $1 canonical field name
unknown-parameter           $1 parameter name as written, $2 closest known parameter name
unnamed-parameter           $1 the value given without a parameter name
unknown-region              $1 value as written, $2 closest region code
unknown-topic               $1 value as written, $2 closest topic code
unknown-status              $1 value as written, $2 closest status code
bad-date                    $1 field (start or end), $2 value as written
end-before-start            $1 start date, $2 end date (as written)
unclear-sensitive           $1 parameter name (the value is never echoed)
several-sensitive           $1 the names under which the flag is given
sensitive-spelling          $1 the spelling to use
value-truncated             $1 field, $2 the maximum number of characters
too-many-values             $1 field, $2 the number of values kept
case-too-long               $1 the maximum number of characters of one case
hidden-unnamed-parameter    (none: a sensitive case's value without a name)
hidden-unknown-parameter    $1 closest known parameter name (sensitive case)
hidden-value                $1 field whose value is not valid (sensitive case)
hidden-problem              (none: any other problem of a sensitive case)
=========================== ==========================================================

(``bots.index.view_params`` adds the codes for index view parameters; see its docstring.)
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import mwparserfromhell

from bots.cases.limits import bounded, withheld
from bots.cases.record import LIST_FIELDS, PARSER_VERSION, Case, CaseParseResult
from bots.cases.scope import not_a_case_page
from bots.cases.sensitive import (
    NO_WORDS,
    YES_WORDS,
    SensitiveFlag,
    decide_sensitive,
    near_miss,
    raw_params,
    sensitive_spellings,
)
from bots.config.model import CASE_FIELDS, Config
from bots.wikitext.dates import PartialDate, parse_partial_date
from bots.wikitext.markers import TemplateCall, find_templates
from bots.wikitext.problems import Problem

# Separators of list values: ASCII and full-width comma and semicolon, the ideographic
# enumeration comma (Chinese lists), the Arabic comma, and new lines.
_LIST_SPLIT_RE = re.compile(r"[,;，；、،\n]")
_BULLET_RE = re.compile(r"^[*#:]+")
_BR_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)
_USER_PREFIX_RE = re.compile(r"^user\s*:\s*", re.IGNORECASE)

# Characters whose presence means a value may hold markup; others are read as they are.
_MARKUP_CHARS = frozenset("[{<&'")


def _normalize_key(name: str) -> str:
    return " ".join(name.replace("_", " ").split()).casefold()


def _normalize_term(value: str) -> str:
    # Codes use hyphens ("asia-pacific"); editors write "Asia Pacific" or "asia_pacific" too.
    return " ".join(value.replace("_", " ").replace("-", " ").split()).casefold()


@dataclass(frozen=True)
class _Schema:
    field_by_key: dict[str, str]  # normalized parameter name -> canonical field
    regions: dict[str, str]  # normalized code or label -> code
    topics: dict[str, str]
    statuses: dict[str, str]
    methods: dict[str, str]
    required: tuple[str, ...]
    template_name: str
    sensitive_spellings: tuple[str, ...]  # what the case template reads (bots.cases.sensitive)


def vocabulary_index(vocabulary: Mapping[str, str]) -> dict[str, str]:
    """Normalized code or English label -> code, for matching what editors write."""
    index: dict[str, str] = {}
    for code, label in vocabulary.items():
        index.setdefault(_normalize_term(label), code)
    for code in vocabulary:  # a code wins over another entry's label
        index[_normalize_term(code)] = code
    return index


# Keyed by identity (Config holds dicts, so it is not hashable); the config is kept in the
# entry so that a reused id() of a dead config cannot return a stale schema.
_schema_cache: dict[int, tuple[Config, _Schema]] = {}


def _schema(config: Config) -> _Schema:
    cached = _schema_cache.get(id(config))
    if cached is not None and cached[0] is config:
        return cached[1]
    field_by_key = {_normalize_key(f): f for f in CASE_FIELDS}
    for canonical, aliases in config.templates.case_aliases.items():
        for alias in aliases:
            field_by_key.setdefault(_normalize_key(alias), canonical)
    vocab = config.vocabulary
    schema = _Schema(
        field_by_key=field_by_key,
        regions=vocabulary_index(vocab.regions),
        topics=vocabulary_index(vocab.topics),
        statuses=vocabulary_index(vocab.statuses),
        methods=vocabulary_index(vocab.methods),
        required=tuple(config.index.required_fields),
        template_name=config.templates.case,
        sensitive_spellings=sensitive_spellings(
            ("sensitive", *config.templates.case_aliases.get("sensitive", ()))
        ),
    )
    if len(_schema_cache) > 16:  # a run has one config; tests make many
        _schema_cache.clear()
    _schema_cache[id(config)] = (config, schema)
    return schema


def match_vocabulary(value: str, vocabulary: Mapping[str, str]) -> str | None:
    """The code ``value`` names (code or English label, case-insensitive), or None."""
    return vocabulary_index(vocabulary).get(_normalize_term(value))


def closest(value: str, candidates: Mapping[str, str]) -> str:
    """The candidate value whose key is most like ``value`` (always one when there are any).

    ``candidates`` maps normalized spellings to what to suggest.
    """
    if not candidates:
        return ""
    best = difflib.get_close_matches(_normalize_term(value), sorted(candidates), n=1, cutoff=0)
    return candidates[best[0]] if best else ""


def parser_fingerprint(config: Config, template_names: Iterable[str] = ()) -> str:
    """A short hash of everything that decides what a page parses to, for cache keys."""
    payload = {
        "parser": PARSER_VERSION,
        "template": config.templates.case,
        "redirects": sorted(template_names),
        "aliases": {k: list(v) for k, v in sorted(config.templates.case_aliases.items())},
        "vocabulary": {
            name: dict(sorted(getattr(config.vocabulary, name).items()))
            for name in ("regions", "topics", "statuses", "methods")
        },
        "required": list(config.index.required_fields),
        "excluded": [list(config.index.exclude_prefixes), list(config.index.exclude_subpages)],
    }
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:16]


def _plain_text(wikitext: str) -> str:
    """Plain text of a parameter value; new lines are kept so lists can split on them."""
    if not _MARKUP_CHARS.intersection(wikitext):
        return wikitext  # the common case: no markup, no need to parse
    # Style tags are parsed here (values are short) so that bold and italic markup goes away
    # while apostrophes inside <nowiki> stay.
    code = mwparserfromhell.parse(_BR_RE.sub("\n", wikitext))
    # strip_code() drops a link's URL (and a link without a label entirely); keep the URL as
    # text so that no value silently disappears. The escaper makes sure it never links.
    for link in code.filter_external_links(recursive=False):
        url = str(link.url).strip()
        label = link.title.strip_code().strip() if link.title else ""
        code.replace(link, f"{label} ({url})" if label else url)
    return code.strip_code(normalize=True, collapse=True)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _split_list(text: str) -> tuple[str, ...]:
    items: list[str] = []
    for raw in _LIST_SPLIT_RE.split(text):
        item = _one_line(_BULLET_RE.sub("", raw.strip()))
        if item and item not in items:
            items.append(item)
    return tuple(items)


def parse_yes_no(value: str) -> bool | None:
    """yes/no in the spellings the case template accepts (blank is no); None if neither.
    (For marker parameters; a case's ``sensitive`` flag has a rule of its own.)"""
    folded = value.strip().casefold()
    if not folded:
        return False
    if folded in YES_WORDS:
        return True
    if folded in NO_WORDS:
        return False
    return None


def _check_term(value: str, index: Mapping[str, str], code: str, problems: list[Problem]) -> str:
    found = index.get(_normalize_term(value))
    if found is not None:
        return found
    problems.append(Problem(code, (value, closest(value, index))))
    return value


def parse_case_page(
    page_title: str,
    text: str,
    config: Config,
    *,
    template_names: Iterable[str] = frozenset(),
) -> CaseParseResult:
    """Read the case template of one page. ``template_names`` are redirects to the template."""
    schema = _schema(config)
    if not_a_case_page(page_title, config) is not None:
        return CaseParseResult(page_title, None)
    if not text.strip():
        return CaseParseResult(page_title, None, (Problem("empty-page"),))
    calls = find_templates(text, (schema.template_name, *template_names))
    if not calls:
        return CaseParseResult(
            page_title, None, (Problem("no-case-template", (schema.template_name,)),)
        )
    problems: list[Problem] = []
    if len(calls) > 1:
        problems.append(Problem("multiple-case-templates", (str(len(calls)),)))
    # Sensitive when any of the page's case templates says so (each box decides for its own).
    flags = [_sensitive_flag(text, call, schema) for call in calls]
    problems.extend(flags[0].problems)
    case = bounded(_read_call(page_title, calls[0], schema, problems), problems)
    if not any(flag.sensitive for flag in flags):
        return CaseParseResult(page_title, case, tuple(problems))
    case, kept_problems = withheld(dataclasses.replace(case, sensitive=True), problems, {
        "regions": schema.regions.values(), "topics": schema.topics.values(),
        "statuses": schema.statuses.values(), "methods": schema.methods.values(),
    })  # fmt: skip
    return CaseParseResult(page_title, case, kept_problems)


def _sensitive_flag(text: str, call: TemplateCall, schema: _Schema) -> SensitiveFlag:
    """The flag of one call, read from the parameters as MediaWiki hands them over."""
    fields = [(schema.field_by_key.get(_normalize_key(n)), n, v) for n, v in call.params]
    # a misspelt name of the field with a value: the person may have meant to hide the case
    misspelt = any(
        f is None and v and not n.isdigit() and near_miss(n, schema.sensitive_spellings)
        for f, n, v in fields
    )
    if not any(f == "sensitive" for f, _, _ in fields):
        return SensitiveFlag(misspelt)
    params = raw_params(text[call.begin : call.end], call.params)
    given = [(n, v) for n, v in params if schema.field_by_key.get(_normalize_key(n)) == "sensitive"]
    flag = decide_sensitive(given, schema.sensitive_spellings)
    return SensitiveFlag(True, flag.problems) if misspelt else flag


def _closest_field(name: str, schema: _Schema) -> str:
    # Prefer a canonical name ("regoin" -> "region", not the alias "región"), then any alias.
    canonical = {_normalize_key(f): f for f in CASE_FIELDS}
    best = difflib.get_close_matches(_normalize_key(name), sorted(canonical), n=1, cutoff=0.6)
    if best:
        return canonical[best[0]]
    return closest(name, {key: key for key in schema.field_by_key})


def _collect_fields(call: TemplateCall, schema: _Schema, problems: list[Problem]) -> dict[str, str]:
    values: dict[str, str] = {}
    seen_non_empty: set[str] = set()
    for name, value in call.params:
        canonical = schema.field_by_key.get(_normalize_key(name))
        if canonical is None:
            if name.isdigit():
                # "|value" without a name; an empty one (a stray "|") is harmless
                if value:
                    problems.append(Problem("unnamed-parameter", (value,)))
                continue
            problems.append(Problem("unknown-parameter", (name, _closest_field(name, schema))))
            continue
        duplicate = Problem("duplicate-field", (canonical,))
        changed = values.get(canonical) != value
        repeated = value and canonical in seen_non_empty and changed
        # (the sensitive flag has a rule of its own: bots.cases.sensitive)
        if repeated and canonical != "sensitive" and duplicate not in problems:
            problems.append(duplicate)
        if value:
            seen_non_empty.add(canonical)
        values[canonical] = value
    return values


def _read_call(
    page_title: str, call: TemplateCall, schema: _Schema, problems: list[Problem]
) -> Case:
    raw = _collect_fields(call, schema, problems)
    text = {name: _plain_text(value) for name, value in raw.items()}
    one = {name: _one_line(value) for name, value in text.items() if name not in LIST_FIELDS}
    for name in schema.required:
        present = _split_list(text.get(name, "")) if name in LIST_FIELDS else one.get(name)
        if not present:
            problems.append(Problem("missing-field", (name,)))

    region = one.get("region", "")
    if region:
        region = _check_term(region, schema.regions, "unknown-region", problems)
    status = one.get("status", "")
    if status:
        status = _check_term(status, schema.statuses, "unknown-status", problems)
    topics = tuple(
        dict.fromkeys(
            _check_term(t, schema.topics, "unknown-topic", problems)
            for t in _split_list(text.get("topic", ""))
        )
    )
    methods = tuple(
        dict.fromkeys(
            schema.methods.get(_normalize_term(m), m) for m in _split_list(text.get("methods", ""))
        )
    )

    dates: dict[str, PartialDate | None] = {}
    for name in ("start", "end"):
        value = one.get(name, "")
        dates[name] = parse_partial_date(value) if value else None
        if value and dates[name] is None:
            problems.append(Problem("bad-date", (name, value)))
    start, end = dates["start"], dates["end"]
    if start and end and end.latest < start.earliest:
        problems.append(Problem("end-before-start", (one["start"], one["end"])))

    contacts = tuple(
        dict.fromkeys(
            c
            for c in (_USER_PREFIX_RE.sub("", c) for c in _split_list(text.get("contact", "")))
            if c
        )
    )
    return Case(
        page=page_title,
        title=one.get("title") or page_title,
        summary=one.get("summary", ""),
        region=region,
        countries=_split_list(text.get("country", "")),
        topics=topics,
        status=status,
        start=start,
        end=end,
        methods=methods,
        partners=_split_list(text.get("partners", "")),
        contacts=contacts,
        lessons=one.get("lessons", ""),
    )
