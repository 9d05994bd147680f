"""The four knowledge views and what their start markers ask for. Pure.

On-wiki contract. Each view is a pair of markers (names from ``[knowledge]``); the bot writes
the view between them and nothing else:

=============================== ======================================================
``{{Advocacy lessons}}``        lessons learned by method and by topic; "what worked"
``{{Advocacy partners}}``       the partners directory
``{{Advocacy whom to ask}}``    active cases and their contacts, per region and topic
``{{Advocacy positions}}``      the positions, their cases and translations
=============================== ======================================================

each closed by the same name with `` end``. Parameters of a start marker (all optional, names
case-insensitive, lists comma-separated):

=========== ================================================================================
lang        language of headings and labels (default: the page's language)
region      only these region codes (lessons, partners, whom to ask)
topic       only these topic codes (every view)
group       lessons only: ``method``, ``topic`` or ``both`` (default)
=========== ================================================================================

Problems (shown in the view's error box instead of the view): ``unknown-view-param``,
``unknown-region``, ``unknown-topic``, ``bad-lang``, ``bad-view-value``,
``too-many-view-values`` (messages ``advocacyhub-problem-<code>``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from bots.cases.knowledge_pages import INVISIBLE_RE
from bots.cases.parser import closest, match_vocabulary, vocabulary_index
from bots.config.model import Config, KnowledgeConfig
from bots.i18n.languages import is_known_language
from bots.wikitext.markers import MarkerScan, find_marker_regions
from bots.wikitext.problems import Problem

MAX_VALUES = 50
MAX_VALUE_CHARS = 2000
GROUPS = ("both", "method", "topic")
_SPLIT_RE = re.compile(r"[,;，；、،]")


class ViewKind(StrEnum):
    LESSONS = "lessons"
    PARTNERS = "partners"
    CONTACTS = "contacts"
    POSITIONS = "positions"


_PARAMS: dict[ViewKind, tuple[str, ...]] = {
    ViewKind.LESSONS: ("lang", "region", "topic", "group"),
    ViewKind.PARTNERS: ("lang", "region", "topic"),
    ViewKind.CONTACTS: ("lang", "region", "topic"),
    ViewKind.POSITIONS: ("lang", "topic"),
}


def marker_template(settings: KnowledgeConfig, kind: ViewKind, end: bool) -> str:
    return str(getattr(settings, f"{kind.value}_{'end' if end else 'start'}"))


@dataclass(frozen=True)
class ViewMarkers:
    """One view's marker names, each with the names of the redirects to it."""

    kind: ViewKind
    start: str
    end: str
    start_redirects: tuple[str, ...] = ()
    end_redirects: tuple[str, ...] = ()

    def scan(self, text: str) -> MarkerScan:
        return find_marker_regions(
            text, self.start, self.end,
            extra_names=self.start_redirects, extra_end_names=self.end_redirects,
        )  # fmt: skip


def view_markers(config: Config, names: Mapping[str, frozenset[str]]) -> tuple[ViewMarkers, ...]:
    """Every view's markers; ``names``: template name -> it and its redirects."""
    out = []
    for kind in ViewKind:
        start = marker_template(config.knowledge, kind, end=False)
        end = marker_template(config.knowledge, kind, end=True)
        out.append(ViewMarkers(
            kind, start, end,
            tuple(sorted(names.get(start, frozenset()) - {start})),
            tuple(sorted(names.get(end, frozenset()) - {end})),
        ))  # fmt: skip
    return tuple(out)


@dataclass(frozen=True)
class KnowledgeView:
    kind: ViewKind
    lang: str | None = None
    regions: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    group: str = "both"


def _codes(
    param: str, value: str, vocabulary: Mapping[str, str], problems: list[Problem]
) -> tuple[str, ...]:
    values = [v.strip() for v in _SPLIT_RE.split(value) if v.strip()]
    if len(values) > MAX_VALUES:
        problems.append(Problem("too-many-view-values", (param, str(MAX_VALUES))))
        return ()
    out: list[str] = []
    for v in values:
        code = match_vocabulary(v, vocabulary)
        if code is None:
            problems.append(
                Problem(f"unknown-{param}", (v, closest(v, vocabulary_index(vocabulary))))
            )
        elif code not in out:
            out.append(code)
    return tuple(out)


def parse_view(
    kind: ViewKind, params: Mapping[str, str], config: Config
) -> KnowledgeView | list[Problem]:
    """The view a start marker asks for, or every problem with its parameters."""
    problems: list[Problem] = []
    known = _PARAMS[kind]
    given: dict[str, str] = {}
    for name, value in params.items():
        key = INVISIBLE_RE.sub("", name).strip().casefold()
        if key.isdigit():
            if value.strip():
                problems.append(Problem("unnamed-parameter", (value.strip(),)))
            continue
        if key not in known:
            problems.append(
                Problem("unknown-view-param", (name.strip(), closest(key, {k: k for k in known})))
            )
            continue
        if len(value) > MAX_VALUE_CHARS:
            problems.append(Problem("view-value-too-long", (key, str(MAX_VALUE_CHARS))))
            continue
        # a bidi mark pasted along with a value is no part of it (the wiki shows none)
        value = INVISIBLE_RE.sub("", value)
        if value.strip():
            given[key] = value.strip()
    vocabulary = config.vocabulary
    regions = _codes("region", given.get("region", ""), vocabulary.regions, problems)
    topics = _codes("topic", given.get("topic", ""), vocabulary.topics, problems)
    lang = given.get("lang")
    if lang is not None and not is_known_language(lang):
        problems.append(Problem("bad-lang", (lang,)))
    group = given.get("group", "both").casefold()
    if group not in GROUPS:
        problems.append(Problem("bad-view-value", ("group", given["group"], ", ".join(GROUPS))))
    if problems:
        return problems
    return KnowledgeView(kind, lang, regions, topics, group)
