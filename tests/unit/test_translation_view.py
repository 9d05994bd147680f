"""Marker parameters of a translation status region: the view they ask for, or problems."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bots.i18n.messages import Messages
from bots.translations.view import StatusView, parse_status_view
from bots.wikitext.problems import Problem


@pytest.fixture(scope="module")
def messages() -> Messages:
    return Messages.load()


def test_view_defaults_and_lists() -> None:
    view = parse_status_view({"prefix": " advocacy_hub/x ", "languages": "FR, zh-hant;es  ar"})
    assert view == StatusView(prefix="advocacy hub/x", languages=("fr", "zh-hant", "es", "ar"))
    pages = "Advocacy/A, [[Advocacy/Copyright, EU|label]]\nAdvocacy/B; Advocacy/A"
    view = parse_status_view({"PAGES": pages, "sort": ""})
    assert isinstance(view, StatusView)
    assert view.pages == ("Advocacy/A", "Advocacy/Copyright, EU", "Advocacy/B")
    assert view.sort == "page" and view.needed == 3


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "translations-no-pages"),
        ({"prefix": "A/", "pages": "B"}, "translations-prefix-and-pages"),
        ({"prefix": "A/", "languages": "fr, french!"}, "translations-bad-language"),
        ({"prefix": "A/", "sort": "newest"}, "translations-bad-sort"),
        ({"prefix": "A/", "lang": "Français"}, "translations-bad-language"),
        ({"prefix": "A/", "needed": "-1"}, "translations-bad-needed"),
        ({"prefix": "A/", "needed": "21"}, "translations-bad-needed"),
        ({"prefix": "A/", "langauges": "fr"}, "translations-unknown-param"),
        ({"pages": "A{{B}}"}, "translations-bad-title"),
    ],
)
def test_view_problems(params: dict[str, str], code: str) -> None:
    problems = parse_status_view(params)
    assert isinstance(problems, list)
    assert [p.code for p in problems] == [code]


def test_unknown_parameter_suggests_the_closest(messages: Messages) -> None:
    problems = parse_status_view({"prefix": "A/", "langauges": "fr"})
    assert problems == [Problem("translations-unknown-param", ("langauges", "languages"))]


def test_every_problem_has_a_message(messages: Messages) -> None:
    from bots.translations import view as translation_view

    # the view's problems, the job's and the shared status service's
    bots_dir = Path(translation_view.__file__).parent.parent
    codes: set[str] = set()
    paths = [*(bots_dir / "translations").glob("*.py"),
             *(bots_dir / "translation_status").glob("*.py")]
    for path in sorted(paths):
        source = path.read_text(encoding="utf-8")
        codes |= set(re.findall(r'Problem\(\s*"(translations-[a-z-]+)"', source))
    assert codes
    for code in codes:
        for lang in ("en", "fr", "es", "zh", "ar"):
            assert messages.has(f"advocacyhub-problem-{code}", lang), (code, lang)


# -- hostile and careless values: every number with parse_count, every list bounded, only real
# language codes (issue #11 points 2 and 6)


@pytest.mark.parametrize(
    "written",
    ["qqq", "qqx", "und", "mul", "zxx", "frr-x", "fra", "english", "fr_FR_x", "zh-hans-cn-x",
     "doc", "xx", "f", "123"],
)
@pytest.mark.parametrize("param", ["languages", "lang"])
def test_pseudo_codes_typos_and_unknown_codes_get_the_same_error(written: str, param: str) -> None:
    problems = parse_status_view({"prefix": "A/", param: written})
    assert problems == [Problem("translations-bad-language", (written, param))]


# "new" is Newar: a language of the wiki's own data (meta=languageinfo), so a real code
@pytest.mark.parametrize("written", ["fr", "FR", " zh_Hant ", "pt-BR", "be-tarask", "yue", "new"])
def test_real_codes_in_any_spelling_are_accepted(written: str) -> None:
    view = parse_status_view({"prefix": "A/", "languages": written, "lang": written})
    assert isinstance(view, StatusView)
    code = written.strip().replace("_", "-").lower()
    assert view.languages == (code,) and view.lang == code


@pytest.mark.parametrize(
    "written",
    ["²", "١٢", "３", "1.5", "1e1", "+3", "0x10", "99999999999999999999", "21", "-0", "3 4"],
)
def test_needed_is_plain_ascii_digits_within_bounds(written: str) -> None:
    problems = parse_status_view({"prefix": "A/", "needed": written})
    assert problems == [Problem("translations-bad-needed", (written, "20"))]


def test_needed_bounds_are_inclusive() -> None:
    for written, expected in (("0", 0), ("20", 20), (" 07 ", 7)):
        view = parse_status_view({"prefix": "A/", "needed": written})
        assert isinstance(view, StatusView) and view.needed == expected


def test_list_parameters_have_a_maximum() -> None:
    from bots.translations.view import MAX_LANGUAGES, MAX_PAGES

    many_pages = ", ".join(f"A/P{n}" for n in range(MAX_PAGES + 1))
    assert parse_status_view({"pages": many_pages}) == [
        Problem("translations-too-many-pages", (str(MAX_PAGES),))
    ]
    just_enough = ", ".join(f"A/P{n}" for n in range(MAX_PAGES))
    view = parse_status_view({"pages": just_enough})
    assert isinstance(view, StatusView) and len(view.pages) == MAX_PAGES
    # a million entries stop being read after the first one too many
    huge = parse_status_view({"pages": "A/P, " * 1_000_000 + "A/Q"})
    assert isinstance(huge, StatusView) and huge.pages == ("A/P", "A/Q")
    codes = " ".join(["fr"] * (MAX_LANGUAGES + 1))
    assert parse_status_view({"prefix": "A/", "languages": codes}) == [
        Problem("translations-too-many-languages", (str(MAX_LANGUAGES + 1), str(MAX_LANGUAGES)))
    ]


@pytest.mark.parametrize(
    "title", ["A/" + "x" * 254, "A/" + "é" * 127, "A/B\x00C", "A/B\x1bC", "A/B\ufffdC", "A/{{B}}"]
)
def test_titles_longer_than_the_wiki_allows_or_with_control_characters(title: str) -> None:
    assert parse_status_view({"prefix": title}) == [Problem("translations-bad-title", (title,))]
    assert parse_status_view({"pages": f"A/Fine, [[{title}]]"}) == [
        Problem("translations-bad-title", (title,))
    ]
    assert parse_status_view({"prefix": "A/B|C"}) == [Problem("translations-bad-title", ("A/B|C",))]


def test_error_box_lists_ten_problems_and_counts_the_rest(messages: Messages) -> None:
    from bots.translations.table import render_view_errors

    params = {f"unknown{n}": "x" for n in range(25)}
    problems = parse_status_view({"prefix": "A/", **params})
    assert isinstance(problems, list) and len(problems) == 25
    box = render_view_errors(problems, messages, "en").splitlines()
    assert len(box) == 2 + 10 + 1 + 1
    assert box[-2] == "* …and 15 more problems."
