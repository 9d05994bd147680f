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
        ({"prefix": "A/", "lang": "Français"}, "translations-bad-lang"),
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
