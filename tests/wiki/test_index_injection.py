"""Hostile values on case pages cannot change the structure of the index page.

Every string of the injection corpus (tests/unit/golden/injection_corpus.json: table syntax,
braces, subst:, signatures, categories, magic words, unbalanced tags, bidi controls...) is put
into every field of one case page each, written as character references so that the bot reads
the string itself; a few more pages carry such values raw, and a few have odd titles. The index
page must then have exactly one table row per case and one cell per column, no category, no
signature, no transclusion but the markers, no external, interlanguage or file link, and it
must render; what the wiki shows in a cell is the value as the bot read it, as plain text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bots.config.model import Config
from bots.wiki.session import WikiSession
from bots.wikitext.escape import plain_inline
from tests.support.devwiki import Devwiki, import_pages
from tests.support.mwapi import WikiClient
from tests.support.requestlog import RequestLog, write_requests
from tests.wiki.test_index_support import (
    END,
    START,
    collect,
    index_config,
    marker,
    region_bodies,
    rendered_regions,
    row_pages,
    run_index,
)

CORPUS = Path(__file__).resolve().parents[1] / "unit" / "golden" / "injection_corpus.json"
ALL_COLUMNS = (
    "title, region, country, topic, status, start, end, methods, partners, contact, lessons, "
    "summary, languages, updated"
)

# Values as an editor would type them (no character references), and titles with the
# characters a page title may have that mean something in wikitext.
RAW_VALUES = [
    "~~~~", "~~~~~", "__NOTOC__ __NOINDEX__", "ISBN 9780306406157", "RFC 1234",
    "https://blacklisted.example.com/path", "mailto:someone@example.org",
    "'''bold''' ''italic''", "[[Category:Spam]]", "{{subst:PAGENAME}}", "<nowiki>|}</nowiki>",
    "[[File:Example.jpg|thumb]]", "a !! b", "-{zh-hans:简;zh-hant:繁}-", "* list", "----",
]  # fmt: skip
ODD_TITLES = [
    "Inj ~ tilde", "Inj !! header", "Inj a = b; c", "Inj ''italic''", "Inj ----",
    "Inj RFC 1234", "Inj mailto:x@example.org", "Inj & ampersand", "Inj ;semi:colon",
]  # fmt: skip


def _references(value: str) -> str:
    """`value` with every character but letters, digits and spaces as a character reference."""
    return "".join(c if c.isalnum() or c == " " else f"&#{ord(c)};" for c in value)


def _case(value: str, *, raw: bool = False) -> str:
    v = value if raw else _references(value)
    fields = ["title", "summary", "region", "country", "topic", "methods", "partners",
              "contact", "lessons"]  # fmt: skip
    lines = [f"|{name} = {v}" for name in fields]
    return "{{Advocacy case\n|status = active\n|start = 2020\n" + "\n".join(lines) + "\n}}"


@pytest.fixture
def scenario(config: Config, prefix: str, devwiki: Devwiki) -> tuple[Config, list[str]]:
    strings: list[str] = json.loads(CORPUS.read_text("utf-8"))
    pages: list[dict[str, Any]] = [
        {"title": f"{prefix}Inj {n:02d}", "text": _case(s), "age_days": 3}
        for n, s in enumerate(strings)
    ]
    pages += [
        {"title": f"{prefix}Raw {n:02d}", "text": _case(s, raw=True), "age_days": 3}
        for n, s in enumerate(RAW_VALUES)
    ]
    pages += [
        {"title": f"{prefix}{t}", "text": _case("Odd title", raw=True), "age_days": 3}
        for t in ODD_TITLES
    ]
    index = f"{prefix}Index"
    text = marker(f"columns={ALL_COLUMNS}") + "\n" + marker("group=topic|columns=title")
    pages.append({"title": index, "text": text, "age_days": 1})
    import_pages(devwiki, pages)
    return index_config(config, case_prefix=prefix, edit_prefix=prefix), [
        p["title"] for p in pages[:-1]
    ]


def test_injection_corpus_cannot_change_the_index_page(
    scenario: tuple[Config, list[str]], prefix: str, admin: WikiClient, request_log: RequestLog
) -> None:
    cfg, case_pages = scenario
    title = f"{prefix}Index"
    result = run_index(cfg)
    assert result.exit_code == 0, result.error
    assert [e.title for e in result.report.edits] == [title]
    saved = admin.page_text(title) or ""

    # wikitext: one row per case in the full view; braces only in the markers; no signature
    full, by_topic = region_bodies(saved)
    assert sorted(row_pages(full, "")) == sorted(case_pages)
    assert len(case_pages) == len(json.loads(CORPUS.read_text("utf-8"))) + len(RAW_VALUES) + len(
        ODD_TITLES
    )
    assert saved.count("{{") == saved.count("}}") == 4
    assert saved.count(f"{{{{{START}|") == 2 and saved.count(f"{{{{{END}}}}}") == 2
    assert "~~~" not in saved and "[[User:" not in saved and "__" not in saved

    # the wiki's own view of the page
    parsed = admin.parse(
        title,
        prop="text|categories|templates|links|externallinks|langlinks|images|iwlinks|"
        "properties|parsewarnings",
    )
    assert parsed["categories"] == [] and admin.categories(title) == []
    assert sorted(t["title"] for t in parsed["templates"]) == [
        f"Template:{START}", f"Template:{END}",
    ]  # fmt: skip
    assert sorted(admin.templates(title)) == [f"Template:{START}", f"Template:{END}"]
    assert parsed["externallinks"] == [] and parsed["langlinks"] == []
    assert parsed["images"] == [] and parsed["iwlinks"] == []
    assert not parsed["properties"] and parsed.get("parsewarnings", []) == []
    linked = {link["title"] for link in parsed["links"]}
    # no user page (signature), no category, no file; the needs-attention list links the
    # allowed codes (and edit pages, which are special pages: not in the links table)
    assert linked == set(case_pages) | {"Template:Advocacy case"}
    page_html = parsed["text"]
    assert 'class="error' not in page_html and "<script" not in page_html

    # every case is one row with one cell per column, showing what the bot read as text
    full_view, topic_view = rendered_regions(page_html)
    (table,) = full_view.tables
    assert table.row_elements == len(case_pages) + 1  # and the header row
    assert len(table.header) == 14
    assert all(len(row.cells) == 14 for row in table.rows)
    session = WikiSession(cfg)
    session.login()
    collected = collect(session, cfg)
    cases = {c.page: c for c in collected.cases}
    assert set(cases) == set(case_pages)
    columns = [c.strip() for c in ALL_COLUMNS.split(",")]
    for row in table.rows:
        case = cases[row.page]
        shown = dict(zip(columns, (cell.text for cell in row.cells), strict=True))
        assert shown["title"] == plain_inline(case.title, 200), row.page
        assert row.cells[0].links == [row.page]
        assert shown["region"] == plain_inline(case.region), row.page
        assert shown["summary"] == plain_inline(case.summary), row.page
        assert shown["lessons"] == plain_inline(case.lessons), row.page
        assert shown["status"] == "Active" and shown["start"] == "2020"
    # the values came through as written (the corpus strings, on one line)
    strings = json.loads(CORPUS.read_text("utf-8"))
    assert cases[f"{prefix}Inj 07"].title == strings[7] == "{{subst:PAGENAME}}"
    assert cases[f"{prefix}Inj 13"].summary == "~~~~"

    # the needs-attention list: every page with its unknown region or topic, one item each
    problem_pages = {r.page for r in collected.results if r.problems}
    assert {item.links[0] for item in full_view.items} == problem_pages
    assert len(full_view.items) == len(problem_pages)
    # the grouped view: no injected topic is a known one, so every case is once under "Other"
    assert full_view.headings == ["Needs attention"]
    assert topic_view.headings == ["Needs attention", "Other or not specified"]
    assert sorted(r.page for t in topic_view.tables for r in t.rows) == sorted(case_pages)
    assert all(len(row.cells) == 1 for t in topic_view.tables for row in t.rows)

    # and it is stable: the second run writes nothing
    mark = request_log.mark()
    again = run_index(cfg)
    assert again.exit_code == 0 and again.report.edits == []
    assert write_requests(request_log.since(mark)) == []
    assert row_pages(by_topic, "") == row_pages(full, "")  # both sorted by title
