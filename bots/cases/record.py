"""The case record: :class:`Case` and :class:`CaseParseResult` (a case and its problems).

Plain data, shared by the jobs: the index lists cases, the digest reports their news. The
on-wiki contract of the case template and the problem codes are described in
:mod:`bots.cases.parser`, which builds these records from a page; the JSON form is what the
index job's cache (``bots.index.case_cache``) keeps.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bots.wikitext.dates import PartialDate, parse_partial_date
from bots.wikitext.problems import Problem

# Bump when parsing changes what a page yields, so cached results are read again.
PARSER_VERSION = 3  # 2: external links keep their URL; 3: bounds, sensitive cases withheld

# Stands in for each contact of a sensitive case: the lists only need to know there is one.
HIDDEN_CONTACT = "(hidden)"

LIST_FIELDS = frozenset({"country", "topic", "methods", "partners", "contact"})


@dataclass(frozen=True)
class Case:
    """One advocacy case as read from its page. Codes are vocabulary codes when the value was
    recognised; an unrecognised value is kept as written (and reported as a problem)."""

    page: str
    title: str
    summary: str = ""
    region: str = ""
    countries: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    status: str = ""
    start: PartialDate | None = None
    end: PartialDate | None = None
    methods: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    contacts: tuple[str, ...] = ()
    sensitive: bool = False
    lessons: str = ""
    # what the wiki says about the page (not its text): filled in by the index job
    revid: int = 0
    last_edit: str = ""  # ISO 8601 timestamp of the last edit
    languages: tuple[str, ...] = ()  # language codes in which the page exists
    # those of `languages` whose translation is behind the source (from the translations job);
    # run-time metadata only: not part of the JSON record, never cached
    outdated_languages: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in _CASE_JSON_FIELDS:
            value = getattr(self, name)
            if isinstance(value, PartialDate):
                value = str(value)
            elif isinstance(value, tuple):
                value = list(value)
            out[name] = value
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Case:
        """Inverse of :meth:`to_json`; raises ValueError on a malformed record."""
        kwargs: dict[str, Any] = {}
        for name in _CASE_JSON_FIELDS:
            if name not in data:
                raise ValueError(f"case record lacks {name!r}")
            value = data[name]
            if name in ("start", "end"):
                if value is not None:
                    parsed = parse_partial_date(value) if isinstance(value, str) else None
                    if parsed is None:
                        raise ValueError(f"bad date in case record: {value!r}")
                    value = parsed
            elif name in _TUPLE_FIELDS:
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise ValueError(f"bad list {name!r} in case record")
                value = tuple(value)
            elif not isinstance(value, _SCALAR_TYPES[name]) or (
                name == "revid" and isinstance(value, bool)
            ):
                raise ValueError(f"bad {name!r} in case record: {value!r}")
            kwargs[name] = value
        return cls(**kwargs)


_CASE_JSON_FIELDS = (
    "page",
    "title",
    "summary",
    "region",
    "countries",
    "topics",
    "status",
    "start",
    "end",
    "methods",
    "partners",
    "contacts",
    "sensitive",
    "lessons",
    "revid",
    "last_edit",
    "languages",
)


_TUPLE_FIELDS = frozenset({"countries", "topics", "methods", "partners", "contacts", "languages"})


_SCALAR_TYPES: dict[str, type] = {
    "page": str,
    "title": str,
    "summary": str,
    "region": str,
    "status": str,
    "lessons": str,
    "sensitive": bool,
    "revid": int,
    "last_edit": str,
}


@dataclass(frozen=True)
class CaseParseResult:
    """What one page yielded: the case (None without a usable template) and its problems."""

    page: str
    case: Case | None
    problems: tuple[Problem, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "parser": PARSER_VERSION,
            "page": self.page,
            "case": self.case.to_json() if self.case else None,
            "problems": [p.to_json() for p in self.problems],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CaseParseResult:
        """Inverse of :meth:`to_json`; ValueError when malformed or from another parser version."""
        try:
            if data["parser"] != PARSER_VERSION:
                raise ValueError(f"cached by parser version {data['parser']!r}")
            case = Case.from_json(data["case"]) if data["case"] is not None else None
            problems = tuple(Problem.from_json(p) for p in data["problems"])
            page = data["page"]
        except (KeyError, TypeError) as exc:
            raise ValueError(f"malformed case parse result: {exc}") from exc
        if not isinstance(page, str):
            raise ValueError("malformed case parse result: page")
        return cls(page, case, problems)
