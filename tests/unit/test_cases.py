"""Case pages -> Case + Problems: golden pages, dates, JSON round trip, vocabulary matching.

A golden case is ``golden/cases/<name>.toml`` (the input: ``page``, its ``text`` and the
redirects to the case template as ``template_names``, if any) beside ``<name>.json``, the
expected ``{"case": Case.to_json() | null, "problems": [[code, [params...]], ...]}``
(``tests/unit/golden_files.py``). The configuration is ``golden/cases/config.toml``.
"""

from __future__ import annotations

import json
import re
import time
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

import bots.cases.parser
from bots.cases.parser import match_vocabulary, parse_case_page, parser_fingerprint
from bots.cases.record import PARSER_VERSION, Case, CaseParseResult
from bots.config.load import load_config
from bots.config.model import Config
from bots.wikitext.dates import PartialDate, parse_partial_date
from bots.wikitext.problems import Problem
from tests.unit.golden_files import GOLDEN_ROOT, check_golden, golden_cases

GOLDEN = GOLDEN_ROOT / "cases"
# config.toml is the suite's configuration (the index view and digest suites read it too)
GOLDEN_CASES = [p for p in golden_cases("cases") if p.name != "config.toml"]
# the problem codes of the on-wiki contract: the table in the parser's docstring
CASE_PROBLEM_CODES = frozenset(
    re.findall(r"^([a-z-]+) {2,}", (bots.cases.parser.__doc__ or "").split("Problem codes")[1],
               re.MULTILINE)
)  # fmt: skip


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(GOLDEN / "config.toml")


def parse_golden(path: Path, config: Config) -> CaseParseResult:
    spec = tomllib.loads(path.read_text(encoding="utf-8"))
    names = frozenset(spec.get("template_names", ()))
    return parse_case_page(spec["page"], spec["text"], config, template_names=names)


@pytest.mark.parametrize("path", GOLDEN_CASES, ids=lambda p: p.stem)
def test_golden(path: Path, config: Config) -> None:
    result = parse_golden(path, config)
    got = {
        "case": result.case.to_json() if result.case else None,
        "problems": [p.to_json() for p in result.problems],
    }
    check_golden(path.with_suffix(".json"), json.dumps(got, ensure_ascii=False, indent=1) + "\n")


def test_golden_cases_exist() -> None:
    assert len(GOLDEN_CASES) >= 20


def test_problem_codes_are_documented() -> None:
    assert len(CASE_PROBLEM_CODES) == 22
    for path in GOLDEN_CASES:
        for code, _ in json.loads(path.with_suffix(".json").read_text("utf-8"))["problems"]:
            assert code in CASE_PROBLEM_CODES


@pytest.mark.parametrize("separator", [",", ";", "，", "；", "、", "،", "\n"])
def test_list_separators(config: Config, separator: str) -> None:
    values = f"A{separator}B{separator}"
    text = f"{{{{Advocacy case|title=T|region=africa|status=active|country={values}}}}}"
    result = parse_case_page("P", text, config)
    assert result.case is not None
    assert result.case.countries == ("A", "B")


def test_required_fields_follow_the_configuration(config: Config) -> None:
    strict = replace(config, index=replace(config.index, required_fields=("title", "start")))
    result = parse_case_page("P", "{{Advocacy case|title=T}}", strict)
    assert result.problems == (Problem("missing-field", ("start",)),)


def test_template_name_follows_the_configuration(config: Config) -> None:
    renamed = replace(config, templates=replace(config.templates, case="Fallstudie"))
    text = "{{Fallstudie|title=T|region=africa|status=active}}"
    assert parse_case_page("P", text, renamed).problems == ()
    assert parse_case_page("P", text, config).case is None


def test_page_title_is_the_fallback_title(config: Config) -> None:
    result = parse_case_page("Advocacy/Untitled", "{{Advocacy case|region=africa}}", config)
    assert result.case is not None
    assert result.case.title == "Advocacy/Untitled"


# -- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019", PartialDate(2019)),
        ("2019-05", PartialDate(2019, 5)),
        ("2019-05-31", PartialDate(2019, 5, 31)),
        (" 2020-02-29 ", PartialDate(2020, 2, 29)),
        ("2019-5-1", PartialDate(2019, 5, 1)),
        ("٢٠١٩", PartialDate(2019)),
        ("2019-02-29", None),
        ("2019-02-30", None),
        ("2019-13", None),
        ("2019-00", None),
        ("2019-04-31", None),
        ("0000", None),
        ("19", None),
        ("2019/05", None),
        ("May 2019", None),
        ("2019-05-01T00:00", None),
        ("", None),
    ],
)
def test_parse_partial_date(text: str, expected: PartialDate | None) -> None:
    assert parse_partial_date(text) == expected


def test_partial_date_str_and_bounds() -> None:
    assert str(PartialDate(2019)) == "2019"
    assert str(PartialDate(2019, 5)) == "2019-05"
    assert str(PartialDate(2019, 5, 1)) == "2019-05-01"
    assert PartialDate(2020, 2).latest == (2020, 2, 29)
    assert PartialDate(2019).earliest == (2019, 1, 1)
    assert PartialDate(2019).sort_key < PartialDate(2019, 1).sort_key
    with pytest.raises(ValueError):
        PartialDate(2019, None, 5)


# -- JSON ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", GOLDEN_CASES, ids=lambda p: p.stem)
def test_parse_result_json_round_trip(path: Path, config: Config) -> None:
    result = parse_golden(path, config)
    result = replace(
        result,
        case=replace(result.case, revid=7, last_edit="2024-01-01T00:00:00Z", languages=("ar",))
        if result.case
        else None,
    )
    data = json.loads(json.dumps(result.to_json(), ensure_ascii=False))
    assert CaseParseResult.from_json(data) == result


def test_case_json_round_trip() -> None:
    case = Case(
        page="P",
        title="T",
        countries=("A",),
        start=PartialDate(2019, 5),
        sensitive=True,
        revid=3,
        languages=("fr",),
    )
    assert Case.from_json(case.to_json()) == case


@pytest.mark.parametrize(
    "corrupt",
    [
        {"parser": PARSER_VERSION + 1},
        {"case": {"page": "P"}},
        {"problems": [["code", [1]]]},
        {"page": 3},
    ],
)
def test_from_json_rejects_bad_records(corrupt: dict) -> None:
    good = CaseParseResult("P", Case(page="P", title="T"), (Problem("x", ("a",)),)).to_json()
    with pytest.raises(ValueError):
        CaseParseResult.from_json({**good, **corrupt})


@pytest.mark.parametrize(
    ("field", "value"),
    [("start", "2019-02-30"), ("revid", "1"), ("revid", True), ("topics", "a"), ("sensitive", 1)],
)
def test_case_from_json_checks_types(field: str, value: object) -> None:
    data = Case(page="P", title="T").to_json()
    data[field] = value
    with pytest.raises(ValueError):
        Case.from_json(data)


def test_parser_fingerprint_changes_with_vocabulary(config: Config) -> None:
    other_vocab = replace(config.vocabulary, regions={**config.vocabulary.regions, "x": "X"})
    other = replace(config, vocabulary=other_vocab)
    assert parser_fingerprint(config) == parser_fingerprint(config)
    assert parser_fingerprint(config) != parser_fingerprint(other)
    assert parser_fingerprint(config) != parser_fingerprint(config, ["Case"])


def test_match_vocabulary(config: Config) -> None:
    regions = config.vocabulary.regions
    assert match_vocabulary("ASIA-PACIFIC", regions) == "asia-pacific"
    assert match_vocabulary("asia pacific", regions) == "asia-pacific"
    assert match_vocabulary("Asia and the Pacific", regions) == "asia-pacific"
    assert match_vocabulary("Latin America and the Caribbean", regions) == "latin-america"
    assert match_vocabulary("Atlantis", regions) is None


# -- robustness and speed ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "{{Advocacy case",
        "{{Advocacy case|title={{unclosed}}",
        "}}{{Advocacy case|}}}}",
        "{{Advocacy case|title=<nowiki>|region=x</nowiki>|region=africa|status=active}}",
        "{{Advocacy case|title=a<!--",
        "{{{{Advocacy case}}}}",
        "\u202e{{Advocacy case|title=\u202etext}}",
    ],
)
def test_odd_pages_do_not_crash(config: Config, text: str) -> None:
    result = parse_case_page("P", text, config)
    assert all(p.code in CASE_PROBLEM_CODES for p in result.problems)


def test_nowiki_pipe_inside_value_is_not_a_separator(config: Config) -> None:
    text = "{{Advocacy case|title=<nowiki>a|b</nowiki>|region=africa|status=active}}"
    result = parse_case_page("P", text, config)
    assert result.case is not None
    assert result.case.title == "a|b"
    assert result.problems == ()


def test_large_pages_parse_fast(config: Config) -> None:
    # Only the template is handed to mwparserfromhell, so long prose costs little.
    prose = ("Lorem ipsum [[dolor]] sit amet, ''consectetur'' {{cite|x}}.\n" * 400)[:20_000]
    page = prose + "{{Advocacy case|title=T|region=africa|status=active}}\n" + prose
    started = time.perf_counter()
    for i in range(200):
        assert parse_case_page(f"P{i}", page, config).problems == ()
    assert time.perf_counter() - started < 10  # generous: ~0.1 s on a laptop
