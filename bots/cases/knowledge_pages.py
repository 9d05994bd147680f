"""Partner and position pages: ``{{Advocacy partner}}`` and ``{{Advocacy position}}`` -> records.
Pure.

On-wiki contract (template names from ``[knowledge]``; parameter names case-insensitive):

``{{Advocacy partner}}``, one per partner page:

=========== ==========================================================================
name        the partner's name as it should be shown (default: the page's last title part)
type        free text: NGO, library association, university, ...
region      a region code of the vocabulary (or its English label), or free text
website     free text (shown as text, never as a link: the bot never copies URLs)
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

Values are read as plain text (markup, comments and templates removed) and bounded.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import mwparserfromhell

from bots.cases.parser import closest, match_vocabulary, vocabulary_index
from bots.cases.scope import excluded_prefix
from bots.config.model import Config, VocabularyConfig
from bots.config.permissions import case_page_allowed, edit_refusal
from bots.wikitext.dates import PartialDate, parse_partial_date
from bots.wikitext.markers import find_templates
from bots.wikitext.problems import Problem

TEXT_LIMIT = 500  # characters of one free-text value
ITEM_LIMIT = 100  # characters of one list item
LIST_LIMIT = 30  # items of one list
MAX_PER_PAGE = 50  # templates read from one page
_SPLIT_RE = re.compile(r"[,;，；、،\n]")
# the directory shows a website as text: without its scheme it reads as what it is
_SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def plain(wikitext: str, limit: int = TEXT_LIMIT) -> str:
    """A value as plain text on one line, cut to ``limit`` characters."""
    code = mwparserfromhell.parse(wikitext, skip_style_tags=True)
    text = " ".join(html.unescape(code.strip_code(normalize=True, collapse=True)).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain_list(wikitext: str) -> tuple[str, ...]:
    items = [plain(v, ITEM_LIMIT) for v in _SPLIT_RE.split(wikitext)]
    return tuple(dict.fromkeys(i for i in items if i))[:LIST_LIMIT]


@dataclass(frozen=True)
class PartnerPage:
    page: str
    name: str
    type: str = ""
    region: str = ""  # a region code when known, else as written
    website: str = ""
    affiliate: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Position:
    page: str
    title: str
    topics: tuple[str, ...] = ()  # topic codes when known, else as written
    summary: str = ""
    reviewed: PartialDate | None = None
    affiliates: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()  # translation subpages of its page that exist
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
    out: list[PartnerPage] = []
    for call in find_templates(text, names)[:MAX_PER_PAGE]:
        p = _params(call.params)
        region = plain(p.get("region", ""), ITEM_LIMIT)
        out.append(PartnerPage(
            page=title,
            name=plain(p.get("name", ""), ITEM_LIMIT) or _last_part(title),
            type=plain(p.get("type", ""), ITEM_LIMIT),
            region=match_vocabulary(region, vocabulary.regions) or region,
            website=_SCHEME_RE.sub("", plain(p.get("website", ""), 200)),
            affiliate=plain(p.get("affiliate", ""), ITEM_LIMIT),
            aliases=plain_list(p.get("aliases", "")),
        ))  # fmt: skip
    return out


def parse_positions(
    title: str, text: str, names: Iterable[str], vocabulary: VocabularyConfig
) -> list[Position]:
    """Every position template written on the page (at most :data:`MAX_PER_PAGE`)."""
    out: list[Position] = []
    for call in find_templates(text, names)[:MAX_PER_PAGE]:
        p = _params(call.params)
        problems: list[Problem] = []
        topics = []
        for value in plain_list(p.get("topic", "")):
            code = match_vocabulary(value, vocabulary.topics)
            if code is None:
                problems.append(
                    Problem(
                        "unknown-topic",
                        (value, closest(value, vocabulary_index(vocabulary.topics))),
                    )
                )
            topics.append(code or value)
        written = plain(p.get("reviewed", ""), 40)
        reviewed = parse_partial_date(written) if written else None
        if written and reviewed is None:
            problems.append(Problem("bad-date", ("reviewed", written)))
        out.append(Position(
            page=title,
            title=plain(p.get("title", ""), 200) or _last_part(title),
            topics=tuple(dict.fromkeys(topics)),
            summary=plain(p.get("summary", "")),
            reviewed=reviewed,
            affiliates=plain_list(p.get("affiliates", "")),
            problems=tuple(problems),
        ))  # fmt: skip
    return out


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
