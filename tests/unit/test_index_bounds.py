"""Bounded index pages, without a wiki: hostile marker parameters (numbers, lists, lengths), a
page too big for the wiki (shortened lists, error boxes, left alone), one page's failure never
stopping the others, and a generated test that throws random and adversarial parameter values
at the marker parser and the renderer."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bots.index.build
from bots.cases.record import Case, CaseParseResult
from bots.config.load import load_config
from bots.config.model import Config
from bots.i18n.messages import Messages
from bots.index.build import IndexContent, build_pages
from bots.index.marker_pages import MarkerPage
from bots.index.page_size import ROW_CAPS, size_of
from bots.index.pages import MarkerNames, render_marker_page, rows_by_title
from bots.index.view_params import (
    COLUMNS,
    MAX_COLUMNS,
    MAX_VALUE_CHARS,
    MAX_VALUES,
    VIEW_PARAMS,
    IndexView,
    parse_view_params,
)
from bots.wiki.records import PageSnapshot
from bots.wikitext.problems import Problem

CONFIG = Path(__file__).resolve().parents[2] / "config" / "devwiki.toml"
NAMES = MarkerNames("Advocacy case index", "Advocacy case index end")
ALL_COLUMNS = ", ".join(COLUMNS)


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(CONFIG)


@pytest.fixture(scope="module")
def messages() -> Messages:
    return Messages.load()


def wide_case(n: int) -> Case:
    """A case as big as the parser lets one be: 50 countries of 100 characters."""
    return Case(
        page=f"Advocacy/Case {n:03d}", title=f"Case {n:03d}", region="europe", status="active",
        countries=tuple(f"{n:03d}-{i:02d}-" + "x" * 93 for i in range(50)),
        summary="s" * 1000, topics=("copyright",),
    )  # fmt: skip


def regions(count: int, params: str = f"columns={ALL_COLUMNS}") -> str:
    return "Intro\n" + "\n".join(
        f"{{{{Advocacy case index|{params}}}}}\n{{{{Advocacy case index end}}}}"
        for _ in range(count)
    )


def marker_page(title: str, text: str) -> MarkerPage:
    snap = PageSnapshot(title=title, namespace=0, exists=True, text=text, revid=1)
    return MarkerPage(snapshot=snap, lang="en", scan=NAMES.scan(text))


def content(config: Config, messages: Messages, cases: list[Case], budget: int) -> IndexContent:
    return IndexContent(names=NAMES, cases=tuple(cases), attention=(), messages=messages,
                        config=config, force=False, budget=budget)  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Marker parameters


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"limit": "99999999999999999999"}, "bad-limit"),
        ({"limit": "10001"}, "bad-limit"),
        ({"limit": "١٢"}, "bad-limit"),  # Arabic-Indic digits
        ({"limit": "²"}, "bad-limit"),  # a superscript passes str.isdigit
        ({"limit": " 7 x"}, "bad-limit"),
        ({"year": "２０１９"}, "bad-year"),
        ({"year": "2019-99999"}, "bad-year"),
        ({"lang": "qqq"}, "bad-lang"),
        ({"lang": "xx-fake"}, "bad-lang"),
        ({"region": ", ".join(["europe"] * (MAX_VALUES + 1))}, "too-many-view-values"),
        ({"country": ";".join(f"C{i}" for i in range(MAX_VALUES + 1))}, "too-many-view-values"),
        ({"columns": ", ".join(["title"] * (MAX_COLUMNS + 1))}, "too-many-view-values"),
        ({"year": ", ".join(["2019"] * (MAX_VALUES + 1))}, "too-many-view-values"),
        ({"country": "x" * (MAX_VALUE_CHARS + 1)}, "view-value-too-long"),
    ],
)
def test_hostile_parameters_are_that_views_problems(
    config: Config, params: dict[str, str], code: str
) -> None:
    result = parse_view_params(params, config)
    assert isinstance(result, list)
    assert code in [p.code for p in result]


def test_bounded_values_within_the_limits_are_accepted(config: Config) -> None:
    view = parse_view_params(
        {"limit": "10000", "year": "2019-2021", "lang": "zh-hant",
         "country": ", ".join(f"C{i}" for i in range(MAX_VALUES))},
        config,
    )  # fmt: skip
    assert isinstance(view, IndexView)
    assert (view.limit, view.years, view.lang, len(view.countries)) == (
        10000, ((2019, 2021),), "zh-hant", MAX_VALUES
    )


def test_the_error_box_shows_a_bounded_number_of_problems(
    config: Config, messages: Messages
) -> None:
    params = "|".join(f"unknown{i}=x" for i in range(500))
    render = render_marker_page(regions(1, params), NAMES, [], [], messages, "en", config)
    assert render.text is not None
    assert render.text.count("\n* ") == 20
    assert "… and 480 more problems." in render.text


def test_the_needs_attention_list_is_bounded(config: Config, messages: Messages) -> None:
    attention = [
        CaseParseResult(f"Advocacy/P{i:04d}", None, (Problem("empty-page"),)) for i in range(450)
    ]
    render = render_marker_page(regions(1, "columns=title"), NAMES, [], attention, messages,
                                "en", config)  # fmt: skip
    assert render.text is not None
    assert render.text.count("\n* ") == 200
    assert "… and 250 more pages." in render.text


# ---------------------------------------------------------------------------------------------
# Pages too big for the wiki


def test_a_page_over_the_budget_gets_shortened_lists(config: Config, messages: Messages) -> None:
    cases = [wide_case(n) for n in range(120)]
    page = marker_page("Advocacy/Big", regions(3))
    full = render_marker_page(page.snapshot.text or "", NAMES, cases, [], messages, "en", config)
    assert full.text is not None and size_of(full.text) > 1_500_000
    budget = 400_000
    (built,) = build_pages(content(config, messages, cases, budget), [page])[1]
    assert built.render.shortened in ROW_CAPS
    assert built.text is not None and size_of(built.text) <= budget
    rows = rows_by_title(built.text.split("{{Advocacy case index end}}")[0])
    assert len(rows) == built.render.shortened
    assert "so this list shows only its first" in built.text
    assert built.fault() is not None and "larger than the wiki allows" in (built.fault() or "")
    problem = built.problem()
    assert problem is not None and problem.code == "page-shortened"


def test_a_page_too_big_even_shortened_gets_error_boxes_or_is_left_alone(
    config: Config, messages: Messages
) -> None:
    cases = [wide_case(n) for n in range(12)]
    page = marker_page("Advocacy/Many lists", regions(40))
    (boxed,) = build_pages(content(config, messages, cases, 120_000), [page])[1]
    assert boxed.render.too_big and boxed.text is not None
    assert size_of(boxed.text) <= 120_000
    assert boxed.text.count("the page would be larger than the wiki allows") == 40
    assert rows_by_title(boxed.text) == {}
    assert (boxed.problem() or Problem("")).code == "page-too-big"
    # even the boxes do not fit: the page is not touched, and the run fails for it
    (alone,) = build_pages(content(config, messages, cases, 2_000), [page])[1]
    assert alone.text is None and alone.render.too_big
    assert "page left untouched" in (alone.fault() or "")


def test_a_page_within_the_budget_is_untouched_by_the_bound(
    config: Config, messages: Messages
) -> None:
    cases = [wide_case(n) for n in range(3)]
    page = marker_page("Advocacy/Small", regions(1))
    (built,) = build_pages(content(config, messages, cases, 1_000_000), [page])[1]
    assert built.render.shortened is None and not built.render.too_big
    assert built.fault() is None and built.problem() is None
    assert len(rows_by_title(built.text or "")) == 3


# ---------------------------------------------------------------------------------------------
# One page never stops the others


def test_a_page_that_cannot_be_rendered_fails_alone_and_is_named_on_the_others(
    config: Config, messages: Messages, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = bots.index.build.render_marker_page

    def render(text: str, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if "HOSTILE" in text:  # stand-in for any error while rendering one page
            raise RecursionError("maximum recursion depth exceeded")
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(bots.index.build, "render_marker_page", render)
    pages = [
        marker_page("Advocacy/A", regions(1, "columns=title")),
        marker_page("Advocacy/B", "HOSTILE\n" + regions(1)),
        marker_page("Advocacy/C", regions(1, "columns=title")),
    ]
    used, builds = build_pages(content(config, messages, [wide_case(1)], 1_000_000), pages)
    a, b, c = builds
    assert b.text is None and (b.fault() or "").startswith("RecursionError")
    assert (b.problem() or Problem("")).code == "page-failed"
    for other in (a, c):
        assert other.text is not None and other.fault() is None
        assert "Advocacy/B" in other.text  # in its needs-attention list
        assert "The bot could not update this page (<bdi>RecursionError</bdi>)" in other.text
    assert [r.page for r in used.attention] == ["Advocacy/B"]


# ---------------------------------------------------------------------------------------------
# Generated: random and adversarial parameter values

ADVERSARIAL = st.sampled_from([
    "", " ", "0", "-1", "99999999999999999999", "1e9", "٣", "²", "１０", "NaN", "inf",
    "2019-", "-2019", "2019–2020", "9999-0000", "0000", "qqq", "zh-hant", "en-x-pig-latin",
    "x" * (MAX_VALUE_CHARS + 5), ",".join(["a"] * 200), "{{subst:x}}", "<!--", "]]", "|", "=",
    "\u202e", "\x00", "title,title,title", ALL_COLUMNS, "desc", "-start", "start desc asc",
    "region, topic", "yes", "no", "maybe", "ＹＥＳ",
])  # fmt: skip
VALUES = st.one_of(ADVERSARIAL, st.text(max_size=80))
NAMES_OF_PARAMS = st.one_of(st.sampled_from(VIEW_PARAMS), st.sampled_from(["1", "2", " Limit "]),
                            st.text(max_size=12))  # fmt: skip


@given(params=st.dictionaries(NAMES_OF_PARAMS, VALUES, max_size=8))
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_no_parameter_value_makes_the_parser_or_renderer_fail_or_grow(
    params: dict[str, str],
) -> None:
    config = load_config(CONFIG)
    messages = Messages.load()
    cases = [wide_case(n) for n in range(4)]
    result = parse_view_params(params, config)
    assert isinstance(result, IndexView | list)
    call = "|".join(f"{k.replace('|', '')}={v.replace('|', '')}" for k, v in params.items())
    text = f"{{{{Advocacy case index|{call}}}}}\n{{{{Advocacy case index end}}}}"
    render = render_marker_page(text, NAMES, cases, [], messages, "en", config)
    if render.text is not None:
        # four wide cases at most, or an error box of at most 20 bounded problems
        assert size_of(render.text) <= size_of(text) + 150_000
    page = marker_page("Advocacy/Generated", text)
    (built,) = build_pages(
        dataclasses.replace(content(config, messages, cases, 30_000)), [page]
    )[1]
    assert built.text is None or size_of(built.text) <= 30_000
