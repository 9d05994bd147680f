"""Index views: parameters, golden renderings, escaping, rows read back, messages.

A golden case is ``golden/index_view/<name>.toml`` with ``description``, ``lang`` (the page
language), ``[params]`` (the start marker's parameters) and either ``[pages]`` (title ->
wikitext, optional ``[metadata."<title>"]`` with revid/last_edit/languages) or
``pages = "shared"`` for the pages of ``_pages.toml``. The expected output ``<name>.wiki`` is
the marker page as the job renders it for saving (``render_marker_page``): the start marker
with those parameters, the stamped view, the end marker. Run with ``ADVOCACY_UPDATE_GOLDEN=1``
to (re)write the expected files after a deliberate change, then review the diff
(``tests/unit/golden_files.py``).
"""

from __future__ import annotations

import dataclasses
import json
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import mwparserfromhell
import pytest
from mwparserfromhell.nodes import Comment, ExternalLink, Heading, Tag, Template, Wikilink

import bots.cases.parser
import bots.index.view_params
from bots.cases.parser import parse_case_page
from bots.cases.record import Case, CaseParseResult
from bots.config.load import load_config
from bots.config.model import Config
from bots.i18n.messages import Messages
from bots.index.pages import MarkerNames, render_marker_page, rows_by_title
from bots.index.view_params import COLUMNS, DEFAULT_COLUMNS, IndexView, parse_view_params
from bots.index.view_render import CASE_ROW_RE, render_index_view, render_view_errors
from bots.wikitext.dates import PartialDate
from bots.wikitext.markers import strip_stamp
from bots.wikitext.problems import Problem, problem_text
from tests.unit.golden_files import GOLDEN_ROOT, check_golden, golden_cases

HERE = Path(__file__).parent
GOLDEN = GOLDEN_ROOT / "index_view"
GOLDEN_CASES = golden_cases("index_view")
INDEX_LANGS = ("en", "fr", "es", "zh", "ar")
NAMES = MarkerNames("Advocacy case index", "Advocacy case index end")


def documented_codes(module: ModuleType) -> frozenset[str]:
    """The problem codes in the table of a module's docstring (the on-wiki contract)."""
    doc = (module.__doc__ or "").split("Problem codes")[1]
    return frozenset(re.findall(r"^([a-z-]+) {2,}", doc, re.MULTILINE))


CASE_PROBLEM_CODES = documented_codes(bots.cases.parser)
VIEW_PROBLEM_CODES = documented_codes(bots.index.view_params)


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(GOLDEN_ROOT / "cases" / "config.toml")


@pytest.fixture(scope="module")
def messages() -> Messages:
    return Messages.load()


def parse_pages(spec: Mapping[str, Any], config: Config) -> list[CaseParseResult]:
    if spec.get("pages") == "shared":
        spec = tomllib.loads((GOLDEN / "_pages.toml").read_text(encoding="utf-8"))
    results = []
    for title, text in spec["pages"].items():
        result = parse_case_page(title, text, config)
        meta = spec.get("metadata", {}).get(title, {})
        if meta and result.case is not None:
            case = dataclasses.replace(
                result.case,
                revid=meta.get("revid", 0),
                last_edit=meta.get("last_edit", ""),
                languages=tuple(meta.get("languages", ())),
            )
            result = dataclasses.replace(result, case=case)
        results.append(result)
    return results


def marker_page(params: Mapping[str, str]) -> str:
    """A page with one index region and these start marker parameters, as an editor makes it."""
    given = "".join(f"|{name}={value}" for name, value in params.items())
    return f"{{{{{NAMES.start}{given}}}}}\n{{{{{NAMES.end}}}}}"


def render_golden(path: Path, config: Config, messages: Messages) -> str:
    """The marker page of the case rendered as the job renders it for saving."""
    spec = tomllib.loads(path.read_text(encoding="utf-8"))
    results = parse_pages(spec, config)
    cases = [r.case for r in results if r.case]
    text = marker_page(spec.get("params", {}))
    render = render_marker_page(text, NAMES, cases, results, messages, spec["lang"], config)
    assert render.text is not None
    return render.text + "\n"


def view_body(page: str) -> str:
    """The view in a rendered marker page: without markers, stamp and view signature."""
    (region,) = NAMES.scan(page).regions
    signature, _, body = strip_stamp(region.inner).partition("\n")
    assert signature.startswith("<!-- advocacy-hub view: ")
    return body


def row_count(wikitext: str) -> int:
    """Case rows in rendered view wikitext (a case grouped under two topics: 2)."""
    return len(CASE_ROW_RE.findall(wikitext))


@pytest.mark.parametrize("path", GOLDEN_CASES, ids=lambda p: p.stem)
def test_golden(path: Path, config: Config, messages: Messages) -> None:
    check_golden(path.with_suffix(".wiki"), render_golden(path, config, messages))


def test_golden_cases_exist() -> None:
    assert len(GOLDEN_CASES) >= 12


@pytest.mark.parametrize("path", GOLDEN_CASES, ids=lambda p: p.stem)
def test_golden_output_structure(path: Path, config: Config, messages: Messages) -> None:
    """Parsed back, the view holds only the bot's own constructs."""
    out = view_body(render_golden(path, config, messages))
    code = mwparserfromhell.parse(out)
    assert not code.filter(forcetype=Template)
    assert not code.filter(forcetype=Comment)
    assert not code.filter(forcetype=ExternalLink)
    for link in code.filter(forcetype=Wikilink):
        assert str(link.title).startswith(":"), link
    allowed = {"div", "span", "bdi", "table", "tr", "td", "th", "caption", "code", "li"}
    for tag in code.filter(forcetype=Tag):
        assert str(tag.tag).lower() in allowed or tag.wiki_markup in ("''", "'''"), tag
    for marker in ("~~~", "__", "{{", "<!--", "<nowiki", "[[Category", "://"):
        assert marker not in out


def test_rendering_is_deterministic(config: Config, messages: Messages) -> None:
    spec = tomllib.loads((GOLDEN / "_pages.toml").read_text(encoding="utf-8"))
    results = parse_pages(spec, config)
    cases = [r.case for r in results if r.case]
    view = parse_view_params({"group": "topic"}, config)
    assert isinstance(view, IndexView)
    first = render_index_view(view, cases, results, messages, "en")
    again = render_index_view(view, list(reversed(cases)), list(reversed(results)), messages, "en")
    assert first == again


# -- parameters ----------------------------------------------------------------------------------


def view_of(params: Mapping[str, str], config: Config) -> IndexView:
    view = parse_view_params(params, config)
    assert isinstance(view, IndexView), view
    return view


def test_defaults(config: Config) -> None:
    view = view_of({}, config)
    assert (view.group, view.sort, view.descending, view.limit, view.lang) == (
        "none",
        "title",
        False,
        None,
        None,
    )
    assert view.columns == DEFAULT_COLUMNS
    assert view.attention is True and view.chart is False and not view.filtered


def test_attention_default_depends_on_filters(config: Config) -> None:
    assert view_of({"region": "africa"}, config).attention is False
    assert view_of({"year": "2020"}, config).attention is False
    assert view_of({"region": "africa", "attention": "yes"}, config).attention is True
    assert view_of({"attention": "non"}, config).attention is False


def test_chart_default_depends_on_grouping(config: Config) -> None:
    assert view_of({"group": "region"}, config).chart is True
    assert view_of({"group": "region", "chart": "no"}, config).chart is False
    assert view_of({"chart": "yes"}, config).chart is False  # nothing to chart without groups


def test_filters_accept_codes_labels_and_lists(config: Config) -> None:
    view = view_of(
        {
            "Region": "Europe, asia pacific",
            " TOPIC ": "Copyright reform；privacy",
            "status": "active, ACTIVE",
            "country": "France, BRAZIL",
            "year": "2019, 2020–2022",
        },
        config,
    )
    assert view.regions == ("europe", "asia-pacific")
    assert view.topics == ("copyright", "privacy")
    assert view.statuses == ("active",)
    assert view.countries == ("france", "brazil")
    assert view.years == ((2019, 2019), (2020, 2022))


@pytest.mark.parametrize(
    ("value", "sort", "descending"),
    [
        ("start", "start", False),
        ("-start", "start", True),
        ("start desc", "start", True),
        ("END ASC", "end", False),
        ("updated", "updated", False),
    ],
)
def test_sort_values(config: Config, value: str, sort: str, descending: bool) -> None:
    view = view_of({"sort": value}, config)
    assert (view.sort, view.descending) == (sort, descending)


def test_columns_keep_order_and_always_show_title(config: Config) -> None:
    assert view_of({"columns": "status, region"}, config).columns == ("title", "status", "region")
    assert view_of({"columns": "region, Title, region"}, config).columns == ("region", "title")
    assert view_of({"columns": ", ".join(COLUMNS)}, config).columns == COLUMNS


def test_empty_values_and_stray_pipes_are_ignored(config: Config) -> None:
    assert view_of({"region": " ", "1": "", "limit": ""}, config) == view_of({}, config)


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ({"regoin": "x"}, Problem("unknown-view-param", ("regoin", "region"))),
        ({"1": "africa"}, Problem("unnamed-parameter", ("africa",))),
        ({"region": "Afrika"}, Problem("unknown-region", ("Afrika", "africa"))),
        ({"topic": "privcy"}, Problem("unknown-topic", ("privcy", "privacy"))),
        ({"status": "actve"}, Problem("unknown-status", ("actve", "active"))),
        ({"year": "19"}, Problem("bad-year", ("19",))),
        ({"year": "2022-2020"}, Problem("bad-year", ("2022-2020",))),
        ({"limit": "0"}, Problem("bad-limit", ("0",))),
        ({"limit": "ten"}, Problem("bad-limit", ("ten",))),
        ({"limit": "５"}, Problem("bad-limit", ("５",))),
        ({"lang": "french language"}, Problem("bad-lang", ("french language",))),
        ({"columns": "title, stauts"}, Problem("unknown-column", ("stauts", "status"))),
        (
            {"group": "country"},
            Problem("bad-view-value", ("group", "country", "none, region, topic, status, year")),
        ),
        (
            {"sort": "size"},
            Problem(
                "bad-view-value", ("sort", "size", "title, start, end, status, region, updated")
            ),
        ),
        ({"chart": "maybe"}, Problem("bad-view-value", ("chart", "maybe", "yes, no"))),
        ({"attention": "2"}, Problem("bad-view-value", ("attention", "2", "yes, no"))),
    ],
)
def test_invalid_params(config: Config, params: dict[str, str], problem: Problem) -> None:
    result = parse_view_params(params, config)
    assert result == [problem]
    assert problem.code in VIEW_PROBLEM_CODES


def test_all_problems_are_reported_together(config: Config) -> None:
    result = parse_view_params({"regoin": "x", "limit": "0", "group": "x"}, config)
    assert isinstance(result, list)
    assert sorted(p.code for p in result) == ["bad-limit", "bad-view-value", "unknown-view-param"]


def test_lang_is_normalized(config: Config) -> None:
    assert view_of({"lang": "zh_Hant"}, config).lang == "zh-hant"


# -- rendering details ---------------------------------------------------------------------------


def make_case(page: str, **fields: Any) -> Case:
    fields.setdefault("title", page)
    fields.setdefault("region", "africa")
    fields.setdefault("status", "active")
    return Case(page=page, **fields)


def test_sort_ties_break_by_page_and_missing_values_go_last(
    config: Config, messages: Messages
) -> None:
    cases = [
        make_case("C", start=PartialDate(2020)),
        make_case("A", start=PartialDate(2020)),
        make_case("B"),
        make_case("D", start=PartialDate(2021)),
    ]
    for sort, expected in (("start", "ACDB"), ("-start", "DACB")):
        out = render_index_view(view_of({"sort": sort}, config), cases, [], messages, "en")
        order = "".join(
            line.split('"')[1] for line in out.splitlines() if "data-advocacy-case" in line
        )
        assert order == expected, sort


def test_limit_note(config: Config, messages: Messages) -> None:
    cases = [make_case(str(i)) for i in range(5)]
    out = render_index_view(view_of({"limit": "3"}, config), cases, [], messages, "en")
    assert row_count(out) == 3
    assert "Showing the first 3 of 5 cases." in out


def test_sensitive_contacts_are_hidden(config: Config, messages: Messages) -> None:
    cases = [
        make_case("Secret", contacts=("Hidden person",), sensitive=True),
        make_case("Open", contacts=("Visible person",)),
    ]
    out = render_index_view(
        view_of({"columns": "title, contact"}, config), cases, [], messages, "en"
    )
    assert "Hidden person" not in out
    assert "Visible person" in out
    assert "| ''hidden''" in out


def test_unknown_vocabulary_values_are_shown_escaped(config: Config, messages: Messages) -> None:
    cases = [make_case("P", region="{{x}}", status="~~~~", topics=("[[a]]",))]
    out = render_index_view(
        view_of({"columns": "title, region, status, topic"}, config), cases, [], messages, "en"
    )
    assert "| &#123;&#123;x&#125;&#125;" in out
    assert "| &#126;&#126;&#126;&#126;" in out
    assert "| &#91;&#91;a&#93;&#93;" in out


def test_configured_english_label_wins_for_english(config: Config, messages: Messages) -> None:
    relabelled = {**config.vocabulary.regions, "africa": "Sub-Saharan Africa"}
    vocab = type(config.vocabulary)(
        regions=relabelled, topics=config.vocabulary.topics, statuses=config.vocabulary.statuses
    )
    view = IndexView(columns=("title", "region"), vocabulary=vocab)
    out = render_index_view(view, [make_case("P")], [], messages, "en")
    assert "| Sub-Saharan Africa" in out
    out_fr = render_index_view(view, [make_case("P")], [], messages, "fr")
    assert "| Afrique" in out_fr


def test_view_without_vocabulary_shows_codes(messages: Messages) -> None:
    out = render_index_view(
        IndexView(columns=("title", "region")), [make_case("P")], [], messages, "en"
    )
    assert "| africa" in out


def test_chart_bars_scale_and_print_numbers(config: Config, messages: Messages) -> None:
    cases = [make_case(f"A{i}") for i in range(4)] + [make_case("E", region="europe")]
    out = render_index_view(view_of({"group": "region"}, config), cases, [], messages, "en")
    assert "width:200px" in out and "width:50px" in out
    assert "</span> 4" in out and "</span> 1" in out
    assert row_count(out) == 5


def test_attention_items_show_every_reason(config: Config, messages: Messages) -> None:
    result = CaseParseResult(
        "Advocacy/Bad",
        make_case("Advocacy/Bad", title="Bad case"),
        (Problem("missing-field", ("region",)), Problem("bad-date", ("start", "2019-02-30"))),
    )
    out = render_index_view(view_of({}, config), [result.case], [result], messages, "en")
    items = [line for line in out.splitlines() if line.startswith("* ")]
    assert items == [
        "* <bdi>[[:Advocacy/Bad|Bad case]]</bdi>: The required parameter “<bdi>region</bdi>” is "
        "missing or empty. The date “<bdi>2019-02-30</bdi>” in the parameter “<bdi>start</bdi>” "
        "is not valid. Use YYYY, YYYY-MM or YYYY-MM-DD. "
        "([[:Special:EditPage/Advocacy/Bad|edit]] · "
        "[[:Template:Advocacy case#Codes|allowed codes]])"
    ]


def test_number_params_stay_plural_friendly(config: Config, messages: Messages) -> None:
    result = CaseParseResult("P", None, (Problem("multiple-case-templates", ("3",)),))
    out = render_index_view(view_of({}, config), [], [result], messages, "en")
    assert "contains 3 case templates" in out


def test_problems_use_the_one_problem_rendering(config: Config, messages: Messages) -> None:
    value = "x" * 115  # shown whole: problem parameters are cut at 120 characters
    problem = Problem("unknown-region", (value, "africa"))
    result = CaseParseResult("P", make_case("P"), (problem,))
    out = render_index_view(view_of({}, config), [make_case("P")], [result], messages, "en")
    assert problem_text(problem, messages, "en") in out
    assert f"<bdi>{value}</bdi>" in out
    errors = render_view_errors([problem], messages, "en")
    assert f"* {problem_text(problem, messages, 'en')}" in errors


def test_error_box_lists_every_problem(messages: Messages) -> None:
    problems = [Problem("bad-limit", ("0",)), Problem("unknown-view-param", ("{{x}}", "lang"))]
    out = render_view_errors(problems, messages, "en")
    assert out.startswith('<div class="error')
    assert out.count("\n* ") == 2
    assert "&#123;&#123;x&#125;&#125;" in out


def test_injection_values_render_safely(config: Config, messages: Messages) -> None:
    corpus = json.loads((HERE / "golden" / "injection_corpus.json").read_text("utf-8"))
    corpus.append("x" * 10_000)
    cases = []
    for i, value in enumerate(corpus):
        cases.append(
            make_case(
                f"Advocacy/Case {i}",
                title=value,
                summary=value,
                lessons=value,
                region=value if i % 3 == 0 else "africa",
                status=value if i % 4 == 0 else "active",
                countries=(value, "x"),
                topics=(value,),
                methods=(value,),
                partners=(value,),
                contacts=(value,),
                languages=("fr",),
                last_edit=value,
            )
        )
    results = [
        CaseParseResult(c.page, c, (Problem("unknown-region", (c.title, "x")),)) for c in cases
    ]
    for group in ("none", "region", "topic"):
        params = {"columns": ", ".join(COLUMNS), "group": group, "attention": "yes"}
        out = render_index_view(view_of(params, config), cases, results, messages, "en")
        assert row_count(out) == len(cases)
        assert set(rows_by_title(out)) == {c.page for c in cases}
        code = mwparserfromhell.parse(out)
        assert not code.filter(forcetype=Template)
        assert not code.filter(forcetype=Comment)
        assert not code.filter(forcetype=ExternalLink)
        links = code.filter(forcetype=Wikilink)
        targets = (":Advocacy/Case ", ":Special:EditPage/Advocacy/Case ")
        codes = ":Template:Advocacy case#Codes"
        assert all(str(lk.title).startswith(targets) or str(lk.title) == codes for lk in links)
        # one per row; per needs-attention item the page, its edit link and the allowed codes
        assert len(links) == 4 * len(cases)
        headings = code.filter(forcetype=Heading)
        assert all("Case" not in str(h.title) for h in headings)
        for marker in ("~~~", "__", "{{", "<!--", "<nowiki", "://", "\u202e"):
            assert marker not in out
        # every row has exactly one cell per column
        for row in code.filter_tags(matches=lambda n: n.tag == "tr"):
            cells = [n for n in row.contents.nodes if isinstance(n, Tag) and n.tag == "td"]
            # header, case row (a grouped view leaves out its group's column), chart row
            assert len(cells) in (0, len(COLUMNS) - (group != "none"), 2)


# -- rows read back --------------------------------------------------------------------------------


def test_rows_are_read_back_by_page_title(config: Config, messages: Messages) -> None:
    cases = [
        make_case('Advocacy/A & "B"', topics=("copyright", "privacy")),
        make_case("Advocacy/C", topics=("copyright",)),
    ]
    out = render_index_view(view_of({"group": "topic"}, config), cases, [], messages, "en")
    assert row_count(out) == 3  # A is under both of its topics
    rows = rows_by_title(out)
    assert set(rows) == {'Advocacy/A & "B"', "Advocacy/C"}
    assert rows['Advocacy/A & "B"'].count("data-advocacy-case") == 2  # its rows, concatenated
    assert rows_by_title("") == {}
    assert rows_by_title('| data-advocacy-case="x"') == {}


# -- messages -----------------------------------------------------------------------------------


def test_every_problem_code_has_a_message_in_every_language(messages: Messages) -> None:
    assert len(CASE_PROBLEM_CODES) == 22 and len(VIEW_PROBLEM_CODES) == 13
    for code in {*CASE_PROBLEM_CODES, *VIEW_PROBLEM_CODES}:
        key = f"advocacyhub-problem-{code}"
        for lang in (*INDEX_LANGS, "qqq"):
            assert messages.has(key, lang), (key, lang)


def test_index_domain_is_complete_and_documented(messages: Messages) -> None:
    keys = messages.keys("index")
    assert keys, "bots/i18n/index/en.json is missing"
    for key in keys:
        for lang in (*INDEX_LANGS, "qqq"):
            assert messages.has(key, lang), (key, lang)
    # no message left without a use, no used message left undefined
    bots_dir = HERE.parent.parent / "bots"
    source = "".join(
        path.read_text(encoding="utf-8") for path in sorted((bots_dir / "index").glob("*.py"))
    )
    for key in keys:
        if not key.startswith("advocacyhub-problem-"):
            stem = key.removeprefix("advocacyhub-index-")
            assert stem in source or stem.rsplit("-", 1)[0] in source, key


def test_rendered_output_has_no_missing_messages(config: Config, messages: Messages) -> None:
    for path in GOLDEN_CASES:
        assert "⧼" not in render_golden(path, config, messages), path.stem
