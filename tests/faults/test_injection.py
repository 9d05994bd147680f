"""Bad input from the wiki itself, in every case field (issue 8, item 13, index side; the
subscriber lines are in test_digest_faults.py).

Each entry of the shared injection corpus (tests/unit/golden/injection_corpus.json, plus a
10 kB value) goes into every free-text field of a case page of its own. It reaches the case
template as the exact value: its syntax characters are written as character references on the
case page, which the case parser decodes, as MediaWiki would show them. A second set of pages
carries some of the entries raw, so the case parser itself meets them. Then one index run, and
the wiki's own parser (`action=parse`) and link tables judge the saved page: its structure, its
categories, templates, links, switches and sections, and the text each cell shows.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from bots.config.model import Config
from tests.faults.helpers import BOT, case, index_page, link_tables, row_pages, run
from tests.support import Devwiki, WikiClient, import_pages

CORPUS_FILE = Path(__file__).resolve().parents[1] / "unit" / "golden" / "injection_corpus.json"
BIG = ("{{subst:Foo}} ~~~~ [[Category:Big]] __NOTOC__ " * 300)[:10240]
COLUMNS = "title, summary, country, partners, lessons, contact, methods"
_SYNTAX = set("<>|{}[]=&~'\"!:;*#-_/\n")
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")


def corpus() -> list[str]:
    return [*json.loads(CORPUS_FILE.read_text("utf-8")), BIG]


def vehicle(value: str) -> str:
    """The value written so that the template parameter carries exactly it."""
    return "".join(f"&#{ord(c)};" if c in _SYNTAX else c for c in value)


def storable(value: str) -> bool:
    # MediaWiki cannot store C0 controls (XML import and the API drop them): structure only
    return not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", value)


def shown(value: str, limit: int) -> str:
    """What a reader must see for a value: invisible controls gone, whitespace collapsed, and
    cut to `limit` characters with a visible ellipsis, between words (docs:
    bots/wikitext/escape.py, bots/wikitext/truncate.py; the values here are written with
    spaces, and no word is longer than half the room)."""
    text = " ".join(_INVISIBLE.sub("", value).split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if text[limit - 1] != " ":
        head = head.rsplit(" ", 1)[0]  # the word the cut would split goes whole
    return head.rstrip() + "…"


class _Rows(HTMLParser):
    """Cell texts of the rendered index table, by the row's data-advocacy-case."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: dict[str, list[str]] = {}
        self.headings: list[str] = []
        self._row: str | None = None
        self._cell: list[str] | None = None
        self._heading: list[str] | None = None
        self._problem = 0  # >0 inside a broken case's problem note (under its title)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._problem or (tag == "span" and "advocacyhub-index-row-problem"
                             in (dict(attrs).get("class") or "")):  # fmt: skip
            self._problem += tag == "span"
            return
        if tag == "tr":
            self._row = dict(attrs).get("data-advocacy-case")
            if self._row is not None:
                self.rows[self._row] = []
        elif tag == "td" and self._row is not None:
            self._cell = []
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if self._problem:
            self._problem -= tag == "span"
            return
        if tag == "td" and self._cell is not None and self._row is not None:
            # MediaWiki turns a space before ":;!?" into a no-break space when it renders
            self.rows[self._row].append("".join(self._cell).replace("\xa0", " ").strip())
            self._cell = None
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._problem:
            return
        if self._cell is not None:
            self._cell.append(data)
        if self._heading is not None:
            self._heading.append(data)




def test_injection_corpus_in_every_case_field_keeps_the_index_intact(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient,
) -> None:
    entries = corpus()
    pages: list[dict[str, Any]] = []
    encoded: dict[str, str] = {}  # page -> the exact value its fields carry
    for i, entry in enumerate(entries):
        if not storable(entry):
            continue
        title = f"{prefix}Inj{i:02d}"
        v = vehicle(entry)
        encoded[title] = entry
        pages.append({"title": title, "text": case(
            f"Inj{i:02d} {v}", "europe", "copyright", "active", summary=v, country=v,
            partners=v, lessons=v, contact=v, methods=v)})
    raw_entries = [e for e in entries[:20] + entries[40:52] if storable(e)]
    for i, entry in enumerate(raw_entries):
        pages.append({"title": f"{prefix}Raw{i:02d}", "text": case(
            f"Raw{i:02d} {entry}", "africa", "privacy", "planned", summary=entry,
            partners=entry)})
    for i, entry in enumerate(entries[:8]):  # vocabulary fields: the needs-attention list
        pages.append({"title": f"{prefix}Vocab{i:02d}", "text": case(
            f"Vocab{i:02d}", vehicle(entry), vehicle(entry), vehicle(entry))})
    index = f"{prefix}Index"
    pages.append({"title": index, "text": index_page(f"columns={COLUMNS}|attention=yes")})
    import_pages(devwiki, pages)
    before = link_tables(admin, index)
    before_props = admin.parse(index, prop="properties")["properties"]

    result = run("index", fcfg)
    assert result.exit_code == 0, result.error
    assert [s.title for s in result.report.edits] == [index]
    text = admin.page_text(index) or ""

    # structure: text outside the markers as it was, one row per case, nothing else
    assert text.startswith(f"Intro.\n{{{{Advocacy case index|columns={COLUMNS}|attention=yes}}}}\n")
    assert text.endswith("\n{{Advocacy case index end}}\nOutro.")
    assert text.count("{{Advocacy case index end}}") == 1
    cases = sorted(p["title"] for p in pages if p["title"] != index)
    assert row_pages(text) == cases
    parsed = admin.parse(index, prop="text|properties|sections", disableeditsection="1")
    rows = _Rows()
    rows.feed(parsed["text"])
    assert sorted(rows.rows) == cases
    assert all(len(cells) == 7 for cells in rows.rows.values())
    # no category, template, link to a user (a ping), interlanguage or external link, switch
    after = link_tables(admin, index)
    assert after == before
    assert parsed["properties"] == before_props
    assert [s["line"] for s in parsed["sections"]] == ["Needs attention"]
    assert rows.headings == ["Needs attention"]
    # no signature: the save-time transform expanded nothing
    assert f"[[User:{BOT}" not in text and "~~~" not in text
    # no template call but the two markers, every link a leading-colon link to a page
    visible = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    assert visible.count("{{") == 2 and visible.count("}}") == 2
    assert re.findall(r"\[\[(?!:)", visible) == []

    # every value is represented: what a reader sees is the value, or its start and an ellipsis
    for page, entry in encoded.items():
        title_cell, summary, country, partners, lessons, contact, _methods = rows.rows[page]
        number = page.rsplit("Inj", 1)[1]
        assert title_cell == shown(f"Inj{number} {entry}", 200), page
        assert summary == shown(entry, 300), page
        assert lessons == shown(entry, 300), page
        has_text = bool(shown(re.sub(r"[,;，；、،\n*#]", "", entry), 10**6))
        for cell in (country, partners, contact):
            assert bool(cell) == has_text, page
    big = next(p for p, e in encoded.items() if e == BIG)
    summary = rows.rows[big][1]
    assert summary.endswith("…") and 250 < len(summary) <= 300
    assert BIG.startswith(summary[:-1]) and BIG[len(summary) - 1] == " "  # cut between words
