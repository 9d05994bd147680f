"""The case index job over the case corpus (tests/wiki/corpus/), on the real local MediaWiki.

The corpus (45 case pages and their translation subpages, every variant of the case template
the job must understand) is imported once for this module, under its own prefix, in a single
importDump call. Each test puts its index pages under its own `prefix` and may edit only
there. What the bot must read and show is written out by hand in the corpus files.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bots.config.model import Config
from bots.wiki.session import WikiSession
from tests.support.devwiki import Devwiki, import_pages
from tests.support.mwapi import WikiClient
from tests.support.requestlog import (
    RequestLog,
    RequestRecord,
    api_requests,
    by_action,
    write_requests,
)
from tests.wiki.test_index_support import (
    PLACEHOLDER,
    Corpus,
    collect,
    grouped_row_pages,
    index_config,
    load_corpus,
    marker,
    region_bodies,
    rendered_regions,
    row_pages,
    run_index,
)

# `action=query` requests of one run over the corpus, login included. Measured: cold 12 (3 for
# Pywikibot's login, 2 shutoff/account checks, template redirects, the case listing with the
# prefix listing, ONE read of all 45 case texts, the marker page listing, the text of this
# test's marker page, a token, the check after the save that nobody's edit was merged into it)
# and one edit; warm 7 (no case text, no token, no edit).
COLD_QUERIES = 12
WARM_QUERIES = 8

CASE_REDIRECT = "Template:Advocacy Case"  # `{{Advocacy Case}}` reaches the template through it

# English labels a reader sees (config/devwiki.toml) and native language names.
REGIONS = {
    "africa": "Africa",
    "asia-pacific": "Asia and the Pacific",
    "europe": "Europe",
    "latin-america": "Latin America and the Caribbean",
    "middle-east-north-africa": "Middle East and North Africa",
    "north-america": "North America",
    "global": "Global",
}
TOPICS = {
    "copyright": "Copyright reform",
    "freedom-of-panorama": "Freedom of panorama",
    "censorship": "Censorship and access blocks",
    "privacy": "Privacy and data protection",
    "access-to-knowledge": "Access to knowledge",
    "intermediary-liability": "Intermediary liability",
    "public-domain": "Public domain",
}
STATUSES = {
    "planned": "Planned",
    "active": "Active",
    "success": "Success",
    "partial": "Partial success",
    "failure": "Failure",
    "closed": "Closed",
}
AUTONYMS = {"fr": "français", "zh": "中文", "ar": "العربية", "en": "English", "hi": "हिन्दी"}

# The needs-attention reasons as readers see them (the English messages, parameters filled in).
REASONS = {
    "unknown-region": "The region “{}” is not in the list of regions (the closest is “{}”).",
    "unknown-status": "The status “{}” is not in the list of statuses (the closest is “{}”).",
    "unknown-topic": "The topic “{}” is not in the list of topics (the closest is “{}”).",
    "bad-date": "The date “{1}” in the parameter “{0}” is not valid. Use YYYY, YYYY-MM or "
    "YYYY-MM-DD.",
    "end-before-start": "The end date {1} is before the start date {0}.",
    "multiple-case-templates": "The page contains {} case templates; only the first one is "
    "used. Please keep one case per page.",
    "missing-field": "The required parameter “{}” is missing or empty.",
    "unknown-parameter": "The parameter “{}” is unknown (the closest known parameter is “{}”).",
    "unnamed-parameter": "The value “{}” has no parameter name; write it as name = value.",
    "duplicate-field": "The parameter “{}” is given more than once (perhaps under another "
    "name); the last value is used.",
    "unclear-sensitive": "The value of the parameter “{}” is not a plain yes or no (the bot "
    "cannot read templates, markup or other words there), so the case is treated as sensitive: "
    "its contacts, summary and lessons stay out of every list. Write yes or no.",
}


@dataclass(frozen=True)
class LoadedCorpus:
    data: Corpus
    prefix: str


@pytest.fixture(scope="module")
def corpus(devwiki: Devwiki, admin: WikiClient) -> LoadedCorpus:
    data = load_corpus()
    prefix = f"Advocacy/T-index-corpus-{secrets.token_hex(3)}/"
    records = []
    if not admin.exists(CASE_REDIRECT):
        # first, so that the case pages using it are linked to the template when imported
        records.append({"title": CASE_REDIRECT, "age_days": 100,
                        "text": "#REDIRECT [[Template:Advocacy case]]"})  # fmt: skip
    records += data.import_records(prefix)
    import_pages(devwiki, records)
    return LoadedCorpus(data, prefix)


@pytest.fixture
def cconfig(config: Config, prefix: str, corpus: LoadedCorpus) -> Config:
    return index_config(config, case_prefix=corpus.prefix, edit_prefix=prefix)


@pytest.fixture
def session(cconfig: Config) -> Iterator[WikiSession]:
    s = WikiSession(cconfig)
    s.login()
    yield s


def _expected_title(corpus: LoadedCorpus, page: str) -> str:
    expect = corpus.data.case(page).expect
    return corpus.prefix + page if expect.get("title_is_page") else expect["title"]


def _problems(expect: dict[str, object]) -> list[tuple[str, ...]]:
    return [tuple(p) for p in expect.get("problems", [])]  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------


def test_every_case_page_is_read_as_written(
    session: WikiSession, cconfig: Config, corpus: LoadedCorpus
) -> None:
    collected = collect(session, cconfig)
    by_page = {r.page.removeprefix(corpus.prefix): r for r in collected.results}
    # translation subpages are languages of their case, not cases of their own; a case on the
    # `/zh` subpage of a page without a case is a case
    assert sorted(by_page) == sorted(c.page for c in corpus.data.cases)
    assert len(by_page) == 45
    for expected in corpus.data.cases:
        result = by_page[expected.page]
        case = result.case
        assert case is not None, expected.page
        e = expected.expect
        got = {
            "title": case.title,
            "region": case.region,
            "countries": list(case.countries),
            "topics": list(case.topics),
            "status": case.status,
            "start": str(case.start or ""),
            "end": str(case.end or ""),
            "sensitive": case.sensitive,
            "languages": list(case.languages),
            "problems": [(p.code, *p.params) for p in result.problems],
        }
        want = {
            "title": _expected_title(corpus, expected.page),
            "region": e.get("region", ""),
            "countries": e.get("countries", []),
            "topics": e.get("topics", []),
            "status": e.get("status", ""),
            "start": e.get("start", ""),
            "end": e.get("end", ""),
            "sensitive": e.get("sensitive", False),
            "languages": e.get("languages", []),
            "problems": _problems(e),
        }
        assert got == want, expected.page
        assert case.revid > 0 and case.last_edit.endswith("Z")


def test_views_show_exactly_the_expected_cases(
    cconfig: Config, prefix: str, corpus: LoadedCorpus, tester1: WikiClient, admin: WikiClient
) -> None:
    views = corpus.data.views
    title = f"{prefix}Views"
    text = "\n\n".join(f"== {v['name']} ==\n{marker(v['params'])}" for v in views)
    tester1.edit(title, text, "index views for the corpus")

    result = run_index(cconfig)
    assert result.exit_code == 0, result.error
    assert [e.title for e in result.report.edits] == [title]
    saved = admin.page_text(title) or ""
    bodies = region_bodies(saved)
    assert len(bodies) == len(views)
    rendered = rendered_regions(admin.parse_html(title))
    assert len(rendered) == len(views)

    for view, body, shown in zip(views, bodies, rendered, strict=True):
        name = view["name"]
        if "rows" in view:
            assert row_pages(body, corpus.prefix) == view["rows"], name
            expected_pages = view["rows"]
        else:
            groups = [(heading, rows) for heading, rows in view["groups"]]
            assert grouped_row_pages(body, corpus.prefix) == groups, name
            expected_pages = [p for _, rows in groups for p in rows]
            # the wiki shows one heading per group (and no other heading: attention is off)
            assert shown.headings == [heading for heading, _ in groups], name
        # what the wiki renders: the same rows, each linking to its case page
        assert [r.page.removeprefix(corpus.prefix) for r in shown.case_rows] == expected_pages
        for row in shown.case_rows:
            page = row.page.removeprefix(corpus.prefix)
            assert row.cells[0].links == [row.page], name
            assert row.cells[0].text == _expected_title(corpus, page), name
        distinct = len(set(expected_pages))
        if name == "limit":
            assert "Total: 45 cases." in body
            assert "Showing the first 3 of 45 cases." in body
        else:
            assert f"Total: {distinct} case{'s' if distinct > 1 else ''}." in body, name
        assert PLACEHOLDER not in body

    # a grouped view draws its chart unless told not to
    by_name = dict(zip((v["name"] for v in views), bodies, strict=True))
    assert by_name["grouped by status"].count('class="advocacyhub-index-chart"') == 1
    assert 'class="advocacyhub-index-chart"' not in by_name["grouped by region"]
    assert "|+ Cases by status" in by_name["grouped by status"]
    # filtered views leave out the needs-attention list unless asked for it
    assert not any("=== Needs attention ===" in body for body in bodies)


def test_every_cell_and_the_needs_attention_list(
    cconfig: Config, prefix: str, corpus: LoadedCorpus, tester1: WikiClient, admin: WikiClient
) -> None:
    title = f"{prefix}All cases"
    columns = "title, region, country, topic, status, start, end, languages"
    tester1.edit(title, marker(f"columns={columns}"), "all cases")
    result = run_index(cconfig)
    assert result.exit_code == 0, result.error

    (shown,) = rendered_regions(admin.parse_html(title))
    (table,) = shown.tables
    assert table.classes == ["wikitable", "sortable", "advocacyhub-index-table"]
    assert table.header == [
        "Title", "Region", "Country", "Topic", "Status", "Start", "End", "Languages",
    ]  # fmt: skip
    assert len(table.rows) == 45 and table.row_elements == 46  # and the header row
    for row in table.rows:
        page = row.page.removeprefix(corpus.prefix)
        e = corpus.data.case(page).expect
        expected = [
            _expected_title(corpus, page),
            REGIONS.get(e.get("region", ""), e.get("region", "")),
            ", ".join(e.get("countries", [])),
            ", ".join(TOPICS.get(t, t) for t in e.get("topics", [])),
            STATUSES.get(e.get("status", ""), e.get("status", "")),
            e.get("start", ""),
            e.get("end", ""),
            ", ".join(AUTONYMS[code] for code in e.get("languages", [])),
        ]
        assert [c.text for c in row.cells] == expected, page
        # a broken case's row says so under its title (issue 13)
        problems = _problems(e)
        assert row.cells[0].problem.startswith("Needs attention:") is bool(problems), page

    # the unfiltered view lists every page with a problem, with every reason in plain words
    assert shown.headings == ["Needs attention"]
    want = {}
    for case in corpus.data.cases:
        problems = _problems(case.expect)
        if problems:
            label = _expected_title(corpus, case.page)
            reasons = " ".join(REASONS[code].format(*params) for code, *params in problems)
            # each entry ends with its edit link and the link to the allowed codes
            want[corpus.prefix + case.page] = f"{label}: {reasons} (edit · allowed codes)"
    got = {item.links[0]: item.text for item in shown.items}
    assert got == want
    assert len(want) == 13


def test_sensitive_contacts_are_never_written(
    cconfig: Config, prefix: str, corpus: LoadedCorpus, tester1: WikiClient, admin: WikiClient
) -> None:
    title = f"{prefix}Contacts"
    tester1.edit(title, marker("columns=title, contact|attention=yes"), "contacts")
    result = run_index(cconfig)
    assert result.exit_code == 0, result.error
    saved = admin.page_text(title) or ""
    page_html = admin.parse_html(title)

    (shown,) = rendered_regions(page_html)
    contacts = {r.page.removeprefix(corpus.prefix): r.cells[1].text for r in shown.case_rows}
    assert contacts["EU copyright directive"] == "Tester1"
    for page in ("维基百科在中国被封锁", "Blocked access in Iran", "Surveillance bill in Pakistan"):
        assert contacts[page] == "hidden", page
    assert {p for p, c in contacts.items() if c} == {
        "EU copyright directive", "维基百科在中国被封锁", "Blocked access in Iran",
        "Surveillance bill in Pakistan",
    }  # fmt: skip

    summaries = [r["comment"] for r in admin.revisions(title, props="comment")]
    state_files = [
        p.read_text("utf-8", "replace")
        for p in Path(cconfig.runtime.state_dir).rglob("*")
        if p.is_file()
    ]
    assert state_files  # the run log and the case cache are there
    places = [saved, page_html, *summaries, *result.report.notes, *state_files]
    for secret in corpus.data.secrets:
        assert not any(secret in place for place in places), secret


def test_marker_page_outside_the_allowed_prefixes_is_left_alone(
    cconfig: Config, prefix: str, corpus: LoadedCorpus, tester1: WikiClient, admin: WikiClient
) -> None:
    # another test's area: the bot may not edit there in this test's configuration
    elsewhere = f"Advocacy/T-index-elsewhere-{secrets.token_hex(3)}/Index"
    mine = f"{prefix}Index"
    tester1.edit(elsewhere, marker("region=africa"), "a list the bot may not fill")
    tester1.edit(mine, marker("region=africa"), "a list the bot may fill")
    result = run_index(cconfig)
    assert result.exit_code == 0, result.error
    assert [e.title for e in result.report.edits] == [mine]
    assert admin.page_text(elsewhere) == marker("region=africa")
    # not reported page by page (other pages on the wiki may use the template)
    assert all(s.title != elsewhere for s in result.report.skipped)
    (body,) = region_bodies(admin.page_text(mine) or "")
    assert len(row_pages(body, corpus.prefix)) == 5


def test_cold_run_reads_cases_in_one_batch_and_warm_run_reads_no_case_content(
    cconfig: Config, prefix: str, corpus: LoadedCorpus, tester1: WikiClient,
    request_log: RequestLog,
) -> None:  # fmt: skip
    title = f"{prefix}Index"
    tester1.edit(title, marker("group=region"), "an index of the corpus")

    def case_content_reads(records: list[RequestRecord]) -> list[RequestRecord]:
        return [
            r for r in records
            if "content" in r.params.get("rvprop", "")
            and (corpus.prefix in r.params.get("titles", "")
                 or r.params.get("geititle") == "Template:Advocacy case")
        ]  # fmt: skip

    mark = request_log.mark()
    cold = run_index(cconfig)
    cold_requests = api_requests(request_log.since(mark))
    assert cold.exit_code == 0, cold.error
    assert [e.title for e in cold.report.edits] == [title]
    assert cold.report.notes[0] == (
        "45 cases on 45 pages (45 parsed, 0 from cache), 13 need attention"
    )
    # the 45 case pages (of 52 pages under the prefix) are read with their text in one request
    assert len(case_content_reads(cold_requests)) == 1
    cold_queries = by_action(cold_requests, "query")
    assert len(cold_queries) <= COLD_QUERIES, [r.params for r in cold_queries]
    assert len(by_action(cold_requests, "edit")) == 1

    mark = request_log.mark()
    warm = run_index(cconfig)
    warm_requests = api_requests(request_log.since(mark))
    assert warm.exit_code == 0, warm.error
    assert warm.report.edits == []
    assert warm.report.notes[0] == (
        "45 cases on 45 pages (0 parsed, 45 from cache), 13 need attention"
    )
    assert case_content_reads(warm_requests) == []
    warm_queries = by_action(warm_requests, "query")
    assert len(warm_queries) <= WARM_QUERIES, [r.params for r in warm_queries]
    assert write_requests(warm_requests) == []
