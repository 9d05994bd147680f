"""Case pages -> Case + Problems: golden pages, dates, JSON round trip, vocabulary matching.

A golden case is ``golden/cases/<name>.wiki`` (the page text) with ``<name>.json``:
``{"page": title, "template_names": [...] (optional), "case": {...} | null,
"problems": [[code, [params...]], ...]}``. ``case`` lists only the fields to check, in the
form of ``Case.to_json()``; ``problems`` must match exactly, in order. The configuration is
``golden/cases/config.toml``.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path

import pytest

from bots.cases.parser import (
    PartialDate,
    match_vocabulary,
    parse_case_page,
    parse_partial_date,
    parser_fingerprint,
)
from bots.cases.record import CASE_PROBLEM_CODES, PARSER_VERSION, Case, CaseParseResult
from bots.config.load import load_config
from bots.config.model import Config
from bots.wikitext.problems import Problem

GOLDEN = Path(__file__).parent / "golden" / "cases"
GOLDEN_CASES = sorted(GOLDEN.glob("*.json"))


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(GOLDEN / "config.toml")


def read(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as f:
        return f.read()


@pytest.mark.parametrize("path", GOLDEN_CASES, ids=lambda p: p.stem)
def test_golden(path: Path, config: Config) -> None:
    expected = json.loads(path.read_text(encoding="utf-8"))
    result = parse_case_page(
        expected["page"],
        read(path.with_suffix(".wiki")),
        config,
        template_names=frozenset(expected.get("template_names", ())),
    )
    assert result.page == expected["page"]
    assert [[p.code, list(p.params)] for p in result.problems] == expected["problems"]
    if expected["case"] is None:
        assert result.case is None
    else:
        assert result.case is not None
        got = result.case.to_json()
        assert {k: got[k] for k in expected["case"]} == expected["case"]


def test_golden_cases_exist() -> None:
    assert len(GOLDEN_CASES) >= 20


def test_every_golden_problem_code_is_documented() -> None:
    for path in GOLDEN_CASES:
        for code, _ in json.loads(path.read_text(encoding="utf-8"))["problems"]:
            assert code in CASE_PROBLEM_CODES


def test_metadata_is_attached(config: Config) -> None:
    result = parse_case_page(
        "Advocacy/X",
        "{{Advocacy case|title=X|region=africa|status=active}}",
        config,
        revid=42,
        last_edit="2024-05-01T10:00:00Z",
        languages=("fr", "en"),
    )
    assert result.case is not None
    assert (result.case.revid, result.case.last_edit, result.case.languages) == (
        42,
        "2024-05-01T10:00:00Z",
        ("fr", "en"),
    )


@pytest.mark.parametrize(
    ("value", "sensitive", "problem"),
    [
        ("yes", True, False),
        ("Yes", True, False),
        ("TRUE", True, False),
        ("1", True, False),
        ("oui", True, False),
        ("sí", True, False),
        ("是", True, False),
        ("نعم", True, False),
        ("no", False, False),
        ("false", False, False),
        ("0", False, False),
        ("non", False, False),
        ("否", False, False),
        ("", False, False),
        ("perhaps", True, True),
        ("yes!", True, True),
    ],
)
def test_sensitive_values(config: Config, value: str, sensitive: bool, problem: bool) -> None:
    text = f"{{{{Advocacy case|title=T|region=africa|status=active|sensitive={value}}}}}"
    result = parse_case_page("P", text, config)
    assert result.case is not None
    assert result.case.sensitive is sensitive
    assert (Problem("bad-sensitive", (value,)) in result.problems) is problem


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
    expected = json.loads(path.read_text(encoding="utf-8"))
    result = parse_case_page(expected["page"], read(path.with_suffix(".wiki")), config)
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
