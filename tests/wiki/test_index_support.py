"""Helpers shared by the case index job's wiki tests (test_index_*.py), and their own tests.

* the case corpus (`tests/wiki/corpus/cases.toml`) and its views (`views.toml`), loaded as data;
* `index_config`: the test config with cases read under one prefix and edits allowed only
  under another, so that tests never edit each other's pages;
* `run_index`: one run of the job in-process, with a fresh `WikiSession` (Pywikibot caches
  per Page object); `collect`: the job's collect step for the cases alone;
* readers of what the job wrote, from the wikitext (`region_bodies`, `row_pages`, ...) and
  from the wiki's own rendering (`rendered_regions`, from `action=parse` HTML).

Import them as `from tests.wiki.test_index_support import ...`.
"""

from __future__ import annotations

import dataclasses
import html
import io
import re
import tomllib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from bots.config.model import Config
from bots.i18n.messages import Messages
from bots.index.collect import CollectedCases, collect_cases
from bots.operations.jobs import JobResult, run_job
from bots.outcomes import JobReport
from bots.run_options import RunOptions
from bots.wiki.session import WikiSession
from bots.wiki.templates import template_names
from bots.wikitext.markers import strip_stamp

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
START = "Advocacy case index"
END = "Advocacy case index end"
PLACEHOLDER = "The bot will fill this in."

# ---------------------------------------------------------------------------------------------
# The corpus, as data


@dataclass(frozen=True)
class CorpusCase:
    page: str  # after the corpus prefix
    text: str
    age_days: float
    expect: dict[str, Any]


@dataclass(frozen=True)
class Corpus:
    cases: tuple[CorpusCase, ...]
    other_pages: tuple[dict[str, Any], ...]
    secrets: tuple[str, ...]
    views: tuple[dict[str, Any], ...]

    def import_records(self, prefix: str) -> list[dict[str, Any]]:
        """Pages in the shape `tests.support.import_pages` takes."""
        records = [
            {"title": prefix + c.page, "text": c.text, "age_days": c.age_days, "user": "Tester1"}
            for c in self.cases
        ]
        records += [
            {"title": prefix + p["page"], "text": p["text"], "age_days": p["age_days"],
             "user": "Tester2"}
            for p in self.other_pages
        ]  # fmt: skip
        return records

    def case(self, page: str) -> CorpusCase:
        return next(c for c in self.cases if c.page == page)


def load_corpus() -> Corpus:
    cases = tomllib.loads((CORPUS_DIR / "cases.toml").read_text("utf-8"))
    views = tomllib.loads((CORPUS_DIR / "views.toml").read_text("utf-8"))
    return Corpus(
        cases=tuple(
            CorpusCase(c["page"], c["text"], float(c["age_days"]), dict(c["expect"]))
            for c in cases["case"]
        ),
        other_pages=tuple(cases["page"]),
        secrets=tuple(cases["secrets"]),
        views=tuple(views["view"]),
    )


# ---------------------------------------------------------------------------------------------
# Config and runs


def index_config(config: Config, *, case_prefix: str, edit_prefix: str) -> Config:
    """Cases read under `case_prefix` only; the bot may edit only under `edit_prefix`."""
    perms = dataclasses.replace(
        config.permissions, case_prefixes=(case_prefix,), edit_prefixes=(edit_prefix,)
    )
    return dataclasses.replace(config, permissions=perms)


def run_index(config: Config, **options: Any) -> JobResult:
    """One run of the index job in this process, as `advocacy-hub run index` does it."""
    session = WikiSession(config)
    session.login()
    out = options.pop("out", io.StringIO())
    return run_job("index", session, config, RunOptions(out=out, **options))


def collect(session: WikiSession, config: Config) -> CollectedCases:
    """The job's collect step for the cases alone: every case page, parsed."""
    case = config.templates.case
    names = template_names(session, [case])[case]
    return collect_cases(session, config, Messages.load(), JobReport("index"), names=names)


def marker(params: str = "", filler: str = PLACEHOLDER) -> str:
    """One marker pair with `filler` between (what an editor puts on a page)."""
    start = f"{{{{{START}|{params}}}}}" if params else f"{{{{{START}}}}}"
    return f"{start}\n{filler}\n{{{{{END}}}}}"


# ---------------------------------------------------------------------------------------------
# Reading what the bot wrote: wikitext

_REGION_RE = re.compile(
    r"\{\{\s*" + re.escape(START) + r"\s*(?:\|[^{}]*)?\}\}"
    r"(.*?)"
    r"\{\{\s*" + re.escape(END) + r"\s*\}\}",
    re.S,
)
_ROW_RE = re.compile(r'^\|- data-advocacy-case="([^"]*)"(?: class=[^\n]*)?$', re.M)
_HEADING_RE = re.compile(r"^=== (.*) ===$")
_STAMP_RE = re.compile(r"hash=[0-9a-f]{12}")


def region_bodies(text: str) -> list[str]:
    """The body (stamp removed) between each marker pair, in page order."""
    return [strip_stamp(m.group(1)) for m in _REGION_RE.finditer(text)]


def outside_regions(text: str) -> str:
    """The page with every region emptied: what the bot must never change."""
    return _REGION_RE.sub(lambda m: m.group(0).replace(m.group(1), ""), text)


def row_pages(body: str, prefix: str) -> list[str]:
    """Case pages of the rows of a region body, in order, without `prefix`."""
    return [html.unescape(t).removeprefix(prefix) for t in _ROW_RE.findall(body)]


def grouped_row_pages(body: str, prefix: str) -> list[tuple[str, list[str]]]:
    """(heading, case pages) for every heading followed by case rows, in order."""
    groups: list[tuple[str, list[str]]] = []
    heading = ""
    for line in body.splitlines():
        m = _HEADING_RE.match(line)
        if m:
            heading = m.group(1)
            continue
        row = _ROW_RE.match(line)
        if row:
            if not groups or groups[-1][0] != heading:
                groups.append((heading, []))
            groups[-1][1].append(html.unescape(row.group(1)).removeprefix(prefix))
    return groups


def without_hash(text: str) -> str:
    return _STAMP_RE.sub("hash=HASH", text)


# ---------------------------------------------------------------------------------------------
# Reading what the wiki shows: action=parse HTML


@dataclass
class Cell:
    text: str = ""
    links: list[str] = field(default_factory=list)  # title attributes of <a> elements
    problem: str = ""  # a broken case's problems, shown under its title (not part of `text`)


@dataclass
class Row:
    page: str  # data-advocacy-case
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Table:
    classes: list[str]
    header: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    row_elements: int = 0  # every <tr>, whether or not it is a case row


@dataclass
class RenderedRegion:
    """What the wiki renders between one pair of markers."""

    tables: list[Table] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    items: list[Cell] = field(default_factory=list)  # <li> elements (needs-attention list)
    text: str = ""  # all text content

    @property
    def case_rows(self) -> list[Row]:
        return [r for t in self.tables if "advocacyhub-index-table" in t.classes for r in t.rows]


class _IndexHTML(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.regions: list[RenderedRegion] = []
        self.current: RenderedRegion | None = None
        self.table: Table | None = None
        self.row: Row | None = None
        self.cell: Cell | None = None
        self.header_cell: list[str] | None = None
        self.heading: list[str] | None = None
        self.item: Cell | None = None
        self.skip_depth = 0  # >0 inside a heading's [edit] link
        self.problem_depth = 0  # >0 inside a row's problem note

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        classes = a.get("class", "").split()
        if tag == "div" and "advocacyhub-marker-index-start" in classes:
            self.current = RenderedRegion()
            self.regions.append(self.current)
            return
        if tag == "div" and "advocacyhub-marker-index-end" in classes:
            self.current = None
            return
        if self.current is None:
            return
        if self.skip_depth or (tag == "span" and "mw-editsection" in classes):
            self.skip_depth += tag == "span"
            return
        if self.problem_depth or (tag == "span" and "advocacyhub-index-row-problem" in classes):
            self.problem_depth += tag == "span"
            return
        if tag == "table":
            self.table = Table(classes)
            self.current.tables.append(self.table)
        elif tag == "tr" and self.table is not None:
            self.table.row_elements += 1
            if "data-advocacy-case" in a:
                self.row = Row(a["data-advocacy-case"])
                self.table.rows.append(self.row)
            else:
                self.row = None
        elif tag == "td" and self.row is not None:
            self.cell = Cell()
            self.row.cells.append(self.cell)
        elif tag == "th" and self.table is not None:
            self.header_cell = []
        elif tag in ("h2", "h3", "h4"):
            self.heading = []
        elif tag == "li":
            self.item = Cell()
            self.current.items.append(self.item)
        elif tag == "a":
            for target in (self.cell, self.item):
                if target is not None:
                    target.links.append(a.get("title", ""))

    def handle_endtag(self, tag: str) -> None:
        if self.current is None:
            return
        if self.skip_depth:
            self.skip_depth -= tag == "span"
            return
        if self.problem_depth:
            self.problem_depth -= tag == "span"
            return
        if tag == "td":
            self.cell = None
        elif tag == "th" and self.header_cell is not None and self.table is not None:
            self.table.header.append("".join(self.header_cell).strip())
            self.header_cell = None
        elif tag == "tr":
            self.row = None
        elif tag == "table":
            self.table = None
        elif tag in ("h2", "h3", "h4") and self.heading is not None:
            self.current.headings.append("".join(self.heading).strip())
            self.heading = None
        elif tag == "li":
            self.item = None

    def handle_data(self, data: str) -> None:
        if self.current is None or self.skip_depth:
            return
        if self.problem_depth:
            if self.cell is not None:
                self.cell.problem += data
            return
        self.current.text += data
        for target in (self.cell, self.item):
            if target is not None:
                target.text += data
        if self.header_cell is not None:
            self.header_cell.append(data)
        if self.heading is not None:
            self.heading.append(data)


def rendered_regions(page_html: str) -> list[RenderedRegion]:
    """The regions of a page as MediaWiki renders them (from `action=parse` HTML)."""
    parser = _IndexHTML()
    parser.feed(page_html)
    parser.close()
    for region in parser.regions:
        for table in region.tables:
            for row in table.rows:
                for cell in row.cells:
                    cell.text = " ".join(cell.text.split())
        for item in region.items:
            item.text = " ".join(item.text.split())
    return parser.regions


# ---------------------------------------------------------------------------------------------
# The helpers' own tests (no wiki needed)


def test_corpus_files_are_consistent() -> None:
    corpus = load_corpus()
    pages = [c.page for c in corpus.cases]
    assert len(pages) >= 40 and len(set(pages)) == len(pages)
    for view in corpus.views:
        listed = view.get("rows") or [p for _, group in view["groups"] for p in group]
        assert set(listed) <= set(pages), view["name"]
    for case in corpus.cases:
        for problem in case.expect.get("problems", []):
            assert isinstance(problem, list) and all(isinstance(p, str) for p in problem)


def test_region_and_row_readers() -> None:
    text = (
        "Intro\n"
        f"{{{{{START}|region=africa}}}}\n<!-- advocacy-hub: generated content, edits here are "
        "overwritten; hash=0123456789ab -->\n=== Africa ===\n"
        '|- data-advocacy-case="P/A &amp; B"\n| x\n|}\n'
        f"{{{{{END}}}}}\nOutro"
    )
    (body,) = region_bodies(text)
    assert body.startswith("=== Africa ===")
    assert row_pages(body, "P/") == ["A & B"]
    assert grouped_row_pages(body, "P/") == [("Africa", ["A & B"])]
    assert outside_regions(text) == f"Intro\n{{{{{START}|region=africa}}}}{{{{{END}}}}}\nOutro"
    regions = rendered_regions(
        '<div class="advocacyhub-marker advocacyhub-marker-index-start"></div>'
        '<table class="wikitable advocacyhub-index-table"><tr><th>Title</th></tr>'
        '<tr data-advocacy-case="P/A"><td><a title="P/A">A &amp; B</a></td></tr></table>'
        "<ul><li>one <b>item</b></li></ul>"
        '<div class="advocacyhub-marker advocacyhub-marker-index-end"></div>'
    )
    assert len(regions) == 1
    ((row,),) = [t.rows for t in regions[0].tables]
    assert (row.page, row.cells[0].text, row.cells[0].links) == ("P/A", "A & B", ["P/A"])
    assert regions[0].tables[0].header == ["Title"]
    assert [i.text for i in regions[0].items] == ["one item"]
