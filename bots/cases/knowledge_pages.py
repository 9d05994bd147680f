"""Partner and position pages: ``{{Advocacy partner}}`` and ``{{Advocacy position}}`` -> records.
Pure.

On-wiki contract (template names from ``[knowledge]``; parameter names case-insensitive):

``{{Advocacy partner}}``, one per partner page:

=========== ==========================================================================
name        the partner's name as it should be shown (default: the page's last title part)
type        free text: NGO, library association, university, ...
region      a region code of the vocabulary (or its English label), or free text
website     a web address: ``https://host/path``, ``http://…`` or ``host/path`` (shown as text
            without its scheme, never as a link); any other scheme (``javascript:``), a
            protocol-relative ``//host`` or anything that is not a host name is reported
            (``bad-website``) and not shown; ``[https://host label]`` counts as its address
affiliate   the related Wikimedia affiliate, free text
aliases     other spellings of the name used on case pages, comma-separated
=========== ==========================================================================

``{{Advocacy position}}``, one per section of a positions page (several on one page):

=========== ==========================================================================
title       the position's name (default: the page's last title part)
topic       topic codes (or English labels), comma-separated
summary     free text
reviewed    the date of the last review: YYYY, YYYY-MM or YYYY-MM-DD
affiliates  endorsing affiliates, comma-separated
=========== ==========================================================================

Values are read as plain text (markup, comments and templates removed; bidirectional controls,
zero-width spaces and soft hyphens removed) and bounded: a value or list cut short, and
templates beyond :data:`MAX_PER_PAGE` on one page, are reported as problems of the record
(``value-truncated``, ``too-many-values``, ``too-many-templates``), shown where the view shows it.

**Pages tied to a sensitive case** (:func:`refusal`, fail closed): a partner or position page
that is a redirect, lies at or below a sensitive case page, carries the case template, or names
a sensitive case (page or display title, compared as titles are, as whole words) must not be
used by any job; the reason names no value.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote

import mwparserfromhell

from bots.cases.parser import closest, match_vocabulary, vocabulary_index
from bots.cases.scope import excluded_prefix
from bots.config.model import Config, VocabularyConfig
from bots.config.permissions import case_page_allowed, edit_refusal
from bots.wikitext.dates import PartialDate, parse_partial_date
from bots.wikitext.markers import TemplateCall, find_templates
from bots.wikitext.problems import Problem

TEXT_LIMIT = 500  # characters of one free-text value
ITEM_LIMIT = 100  # characters of one list item
LIST_LIMIT = 30  # items of one list
MAX_PER_PAGE = 50  # templates read from one page
WEBSITE_LIMIT = 200
_SPLIT_RE = re.compile(r"[,;，；、،\n]")
# Invisible characters that make two spellings differ where a reader sees none: bidi marks,
# embeddings, overrides and isolates, zero-width space, word joiner, soft hyphen, BOM
# (zero-width joiners stay: scripts and emoji need them).
INVISIBLE_RE = re.compile("[\u00ad\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
# A website: http(s) or no scheme, a host name of dotted labels, an optional port and path.
_WEBSITE_RE = re.compile(
    r"^(?:https?://)?(?P<host>[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)+)"
    r"(?::\d{1,5})?(?P<path>[/?#]\S*)?$",
    re.IGNORECASE,
)
_HTTP_RE = re.compile(r"^https?://", re.IGNORECASE)


def _cut(text: str, limit: int, field: str, problems: list[Problem] | None) -> str:
    if len(text) <= limit:
        return text
    if problems is not None:
        report = Problem("value-truncated", (field, str(limit)))
        if report not in problems:
            problems.append(report)
    return text[: limit - 1] + "…"


def plain(
    wikitext: str, limit: int = TEXT_LIMIT, field: str = "", problems: list[Problem] | None = None
) -> str:
    """A value as plain text on one line, cut to ``limit`` characters (reported in
    ``problems`` as ``value-truncated`` of ``field``)."""
    code = mwparserfromhell.parse(wikitext, skip_style_tags=True)
    text = html.unescape(code.strip_code(normalize=True, collapse=True))
    return _cut(" ".join(INVISIBLE_RE.sub("", text).split()), limit, field, problems)


def plain_list(
    wikitext: str, field: str = "", problems: list[Problem] | None = None
) -> tuple[str, ...]:
    """A list value: plain items, duplicates once, at most :data:`LIST_LIMIT` (reported)."""
    items = [plain(v, ITEM_LIMIT, field, problems) for v in _SPLIT_RE.split(wikitext)]
    unique = tuple(dict.fromkeys(i for i in items if i))
    if len(unique) > LIST_LIMIT and problems is not None:
        problems.append(Problem("too-many-values", (field, str(LIST_LIMIT))))
    return unique[:LIST_LIMIT]


def website(wikitext: str, problems: list[Problem]) -> str:
    """The address to show (without its scheme), or "" and a ``bad-website`` problem."""
    code = mwparserfromhell.parse(wikitext, skip_style_tags=True)
    links = code.filter_external_links(recursive=True)
    raw = str(links[0].url) if links else code.strip_code(normalize=True, collapse=True)
    text = INVISIBLE_RE.sub("", html.unescape(raw)).strip()
    if not text:
        return ""
    if len(text) > WEBSITE_LIMIT or _WEBSITE_RE.match(text) is None:
        problems.append(Problem("bad-website", (text[:ITEM_LIMIT],)))
        return ""
    return _HTTP_RE.sub("", text)


def _bounded_calls(
    calls: Sequence[TemplateCall], template: str
) -> tuple[Sequence[TemplateCall], Problem | None]:
    if len(calls) <= MAX_PER_PAGE:
        return calls, None
    return calls[:MAX_PER_PAGE], Problem("too-many-templates", (template, str(MAX_PER_PAGE)))


@dataclass(frozen=True)
class PartnerPage:
    page: str
    name: str
    type: str = ""
    region: str = ""  # a region code when known, else as written
    website: str = ""
    affiliate: str = ""
    aliases: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class Position:
    page: str
    title: str
    topics: tuple[str, ...] = ()  # topic codes when known, else as written
    summary: str = ""
    reviewed: PartialDate | None = None
    affiliates: tuple[str, ...] = ()
    # translation subpages of its page that exist; None: not known (not listed this run)
    languages: tuple[str, ...] | None = ()
    problems: tuple[Problem, ...] = ()


def knowledge_page_allowed(title: str, namespace: int, config: Config) -> bool:
    """Whether a partner or position page counts: inside the bot's area (``[permissions]``:
    where it may edit or read cases) and not under an excluded prefix. Pages elsewhere count
    for nothing, in the knowledge views and in the digest alike."""
    if excluded_prefix(title, config) is not None:
        return False
    allowed = edit_refusal(title, namespace, config) is None
    return allowed or case_page_allowed(title, namespace, config)


def _params(call_params: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {" ".join(k.replace("_", " ").split()).casefold(): v for k, v in call_params}


def _last_part(title: str) -> str:
    return title.rsplit("/", 1)[-1].split(":", 1)[-1]


def parse_partner_pages(
    title: str, text: str, names: Iterable[str], vocabulary: VocabularyConfig
) -> list[PartnerPage]:
    """Every partner template written on the page (at most :data:`MAX_PER_PAGE`)."""
    names = list(names)
    out: list[PartnerPage] = []
    calls, too_many = _bounded_calls(find_templates(text, names), names[0] if names else "")
    for call in calls:
        p = _params(call.params)
        problems: list[Problem] = [too_many] if too_many and not out else []
        region = plain(p.get("region", ""), ITEM_LIMIT, "region", problems)
        name = plain(p.get("name", ""), ITEM_LIMIT, "name", problems)
        out.append(PartnerPage(
            page=title,
            name=name or _cut(_last_part(title), ITEM_LIMIT, "name", problems),
            type=plain(p.get("type", ""), ITEM_LIMIT, "type", problems),
            region=match_vocabulary(region, vocabulary.regions) or region,
            website=website(p.get("website", ""), problems),
            affiliate=plain(p.get("affiliate", ""), ITEM_LIMIT, "affiliate", problems),
            aliases=plain_list(p.get("aliases", ""), "aliases", problems),
            problems=tuple(problems),
        ))  # fmt: skip
    return out


def parse_positions(
    title: str, text: str, names: Iterable[str], vocabulary: VocabularyConfig
) -> list[Position]:
    """Every position template written on the page (at most :data:`MAX_PER_PAGE`)."""
    names = list(names)
    out: list[Position] = []
    calls, too_many = _bounded_calls(find_templates(text, names), names[0] if names else "")
    for call in calls:
        p = _params(call.params)
        problems: list[Problem] = [too_many] if too_many and not out else []
        topics = []
        for value in plain_list(p.get("topic", ""), "topic", problems):
            code = match_vocabulary(value, vocabulary.topics)
            if code is None:
                problems.append(
                    Problem(
                        "unknown-topic",
                        (value, closest(value, vocabulary_index(vocabulary.topics))),
                    )
                )
            topics.append(code or value)
        written = plain(p.get("reviewed", ""), 40, "reviewed", problems)
        reviewed = parse_partial_date(written) if written else None
        if written and reviewed is None:
            problems.append(Problem("bad-date", ("reviewed", written)))
        out.append(Position(
            page=title,
            title=plain(p.get("title", ""), 200, "title", problems) or _last_part(title),
            topics=tuple(dict.fromkeys(topics)),
            summary=plain(p.get("summary", ""), TEXT_LIMIT, "summary", problems),
            reviewed=reviewed,
            affiliates=plain_list(p.get("affiliates", ""), "affiliates", problems),
            problems=tuple(problems),
        ))  # fmt: skip
    return out


# --- pages tied to a sensitive case (fail closed) -----------------------------------------

def comparable(text: str) -> str:
    """Text as titles compare: entities and percent-encoding decoded, invisible characters
    removed, underscores as spaces, whitespace collapsed, case-folded."""
    decoded = unquote(html.unescape(text), errors="replace")
    return " ".join(INVISIBLE_RE.sub("", decoded).replace("_", " ").split()).casefold()


def _whole_word_at(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_")


_WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True)
class Hidden:
    """What no partner or position page may touch: pages (and their subpages) and names."""

    pages: frozenset[str]  # comparable titles of sensitive and unreadable case pages
    # those titles and the cases' display titles, comparable, by their first word (a page's
    # words are looked up, so thousands of sensitive cases cost no more than a few)
    by_first_word: Mapping[str, tuple[str, ...]]
    others: tuple[str, ...]  # names that do not start with a word character

    @classmethod
    def of(cls, pages: Iterable[str], names: Iterable[str]) -> Hidden:
        page_set = frozenset(c for p in pages if (c := comparable(p)))
        words = {comparable(n) for n in names} | set(page_set)
        words.discard("")
        by_first: dict[str, list[str]] = {}
        others = []
        for word in sorted(words):
            first = _WORD_RE.match(word)
            if first is None:
                others.append(word)
            else:
                by_first.setdefault(first.group(), []).append(word)
        return cls(page_set, {k: tuple(v) for k, v in by_first.items()}, tuple(others))

    def covers(self, title: str) -> bool:
        own = comparable(title)
        return any(own == p or own.startswith(p + "/") for p in self.pages)

    def named_in(self, text: str) -> bool:
        plain = comparable(text)
        for match in _WORD_RE.finditer(plain):
            for word in self.by_first_word.get(match.group(), ()):
                at = match.start()
                if plain.startswith(word, at) and _whole_word_at(plain, at, at + len(word)):
                    return True
        for word in self.others:
            start = plain.find(word)
            while start >= 0:
                if _whole_word_at(plain, start, start + len(word)):
                    return True
                start = plain.find(word, start + 1)
        return False


def refusal(
    title: str, text: str, is_redirect: bool, case_templates: Collection[str], hidden: Hidden
) -> str | None:
    """Why a partner or position page may not be used (no value of it or of any case):
    a redirect, a page at or below a sensitive case page, a page carrying the case template, a
    page naming a sensitive case. The knowledge views and any job that reports partners or
    positions (the digest) apply this one rule."""
    if is_redirect:
        return "it is a redirect"
    if hidden.covers(title):
        return "it is or lies below a sensitive case page"
    if find_templates(text, case_templates):
        return "it carries the case template"
    if hidden.named_in(text):
        return "it names a sensitive case"
    return None


POSITION_FIELDS = ("topics", "summary", "reviewed", "affiliates")  # what a change is of


@dataclass(frozen=True)
class PositionChanges:
    """What changed in the positions between two readings (for the digest)."""

    new: tuple[Position, ...] = ()
    changed: tuple[Position, ...] = ()  # the new version of each changed position
    # (page, title) of each changed position -> the fields of POSITION_FIELDS that changed
    fields: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)


def position_changes(before: Iterable[Position], after: Iterable[Position]) -> PositionChanges:
    """New and changed positions, a position known by its page and title. A change is any
    change of its topics, summary, review date or endorsing affiliates (not of its
    translations: those are the translation status's business)."""

    def key(p: Position) -> tuple[str, str]:
        return (p.page, p.title)

    old = {key(p): p for p in before}
    new, changed = [], []
    fields: dict[tuple[str, str], tuple[str, ...]] = {}
    for position in sorted(after, key=key):
        was = old.get(key(position))
        if was is None:
            new.append(position)
            continue
        differ = tuple(f for f in POSITION_FIELDS if getattr(was, f) != getattr(position, f))
        if differ:
            changed.append(position)
            fields[key(position)] = differ
    return PositionChanges(tuple(new), tuple(changed), fields)


def page_position_changes(
    title: str, before: str | None, after: str, names: Iterable[str],
    vocabulary: VocabularyConfig,
) -> PositionChanges:
    """New and changed positions of one page between two of its texts (``before`` None: the
    page did not exist). Text outside the position templates never counts."""
    names = tuple(names)
    old = parse_positions(title, before, names, vocabulary) if before else []
    return position_changes(old, parse_positions(title, after, names, vocabulary))
