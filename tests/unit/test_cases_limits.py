"""Every value of a case is bounded, per field and per case, and each cut is reported: one case
page with an absurd field (thousands of countries, a summary of megabytes) cannot make the lists
that show it too big (``bots.cases.limits``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bots.cases.limits import CASE_LIMIT, ITEM_LIMIT, LIST_LIMITS, TEXT_LIMITS, bounded, cut
from bots.cases.parser import parse_case_page
from bots.cases.record import Case
from bots.config.load import load_config
from bots.config.model import Config
from bots.wikitext.problems import Problem

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(ROOT / "config" / "devwiki.toml")


def size(case: Case) -> int:
    texts = (case.title, case.summary, case.region, case.status, case.lessons)
    lists = (case.countries, case.topics, case.methods, case.partners, case.contacts)
    return sum(map(len, texts)) + sum(len(v) for values in lists for v in values)


def test_cut_marks_what_it_cut() -> None:
    assert cut("short", 10) == "short"
    assert cut("x" * 11, 10) == "x" * 9 + "…"
    assert len(cut("y" * 10_000, 100)) == 100


def test_thousands_of_countries_are_cut_and_reported(config: Config) -> None:
    countries = ", ".join(f"Country number {i}" for i in range(5000))
    text = f"{{{{Advocacy case|title=T|region=europe|status=active|country={countries}}}}}"
    result = parse_case_page("Advocacy/Absurd", text, config)
    assert result.case is not None
    assert len(result.case.countries) == LIST_LIMITS["countries"][1]
    assert result.case.countries[0] == "Country number 0"
    assert Problem("too-many-values", ("country", "50")) in result.problems


@pytest.mark.parametrize("field", sorted(TEXT_LIMITS))
def test_each_text_field_is_bounded(field: str) -> None:
    limit = TEXT_LIMITS[field]
    problems: list[Problem] = []
    fields = {"title": "T", field: "z" * (limit * 50)}
    case = bounded(Case(page="P", **fields), problems)  # type: ignore[arg-type]
    value = getattr(case, field)
    assert len(value) == limit and value.endswith("…")
    assert Problem("value-truncated", (field, str(limit))) in problems


@pytest.mark.parametrize("attribute", sorted(LIST_LIMITS))
def test_each_list_is_bounded_in_count_and_item_length(attribute: str) -> None:
    field, most = LIST_LIMITS[attribute]
    problems: list[Problem] = []
    values = tuple(f"{i:05d}" + "v" * 300 for i in range(most * 3))
    case = bounded(Case(page="P", title="T", **{attribute: values}), problems)  # type: ignore[arg-type]
    kept = getattr(case, attribute)
    assert len(kept) == most and all(len(v) == ITEM_LIMIT for v in kept)
    assert Problem("too-many-values", (field, str(most))) in problems
    assert Problem("value-truncated", (field, str(ITEM_LIMIT))) in problems


def test_the_whole_case_is_bounded_and_free_text_gives_way_first() -> None:
    problems: list[Problem] = []
    big = Case(
        page="P", title="t" * 150, summary="s" * 5000, lessons="l" * 5000,
        countries=tuple("c" * 100 for _ in range(50)), partners=tuple("p" * 100 for _ in range(30)),
    )  # fmt: skip
    case = bounded(big, problems)
    assert size(case) <= CASE_LIMIT
    assert Problem("case-too-long", (str(CASE_LIMIT),)) in problems
    assert case.lessons == ""  # lessons go first, then the summary, then the longest lists
    assert case.title == "t" * 150 and len(case.countries) == 50


def test_an_ordinary_case_is_untouched() -> None:
    problems: list[Problem] = []
    case = Case(page="P", title="T", summary="A summary.", countries=("Kenya",))
    assert bounded(case, problems) is case
    assert problems == []
