"""The hub as a reader and an editor meet it (issue 13, "The hub itself"; issue 14, links in the
reader's language): status early and no column repeating the group heading, rows of broken
cases marked in place, the needs-attention list first with its links, the note of when a view
last changed (it moves only when the content does), edit summaries naming cases."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from bots.cases.record import Case, CaseParseResult
from bots.config.load import load_config
from bots.config.model import Config
from bots.i18n.messages import Messages
from bots.index.build import named_changes
from bots.index.pages import MarkerNames, render_marker_page
from bots.index.view_params import IndexView, parse_view_params
from bots.index.view_render import render_index_view
from bots.wikitext.problems import Problem

CONFIG = Path(__file__).resolve().parents[2] / "config" / "devwiki.toml"
NAMES = MarkerNames("Advocacy case index", "Advocacy case index end")
PAGE = "{{Advocacy case index|group=region}}\nplaceholder\n{{Advocacy case index end}}"


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(CONFIG)


@pytest.fixture(scope="module")
def messages() -> Messages:
    return Messages.load()


def case(n: int, **fields: object) -> Case:
    base: dict[str, object] = {"region": "europe", "status": "active", "topics": ("copyright",)}
    base.update(fields)
    return Case(page=f"Advocacy/Case {n:02d}", title=f"Case {n:02d}", **base)  # type: ignore[arg-type]


def view(params: dict[str, str], config: Config) -> IndexView:
    parsed = parse_view_params(params, config)
    assert isinstance(parsed, IndexView)
    return parsed


def header(out: str) -> list[str]:
    line = next(x for x in out.splitlines() if x.startswith("! "))
    return line[2:].split(" !! ")


@pytest.mark.parametrize("group", ["region", "topic", "status"])
def test_status_comes_second_and_the_group_is_not_a_column(
    group: str, config: Config, messages: Messages
) -> None:
    out = render_index_view(view({"group": group}, config), [case(1)], [], messages, "en")
    columns = header(out)
    assert columns[0] == "Title"
    labels = {"region": "Region", "topic": "Topic", "status": "Status"}
    assert labels[group] not in columns
    if group != "status":
        assert columns[1] == "Status"


def test_an_explicit_column_list_keeps_its_order(config: Config, messages: Messages) -> None:
    out = render_index_view(
        view({"columns": "country, title, region"}, config), [case(1)], [], messages, "en"
    )
    assert header(out) == ["Country", "Title", "Region"]


def test_a_broken_case_is_marked_in_its_row_and_listed_first(
    config: Config, messages: Messages
) -> None:
    broken = case(2, status="actve")
    problem = Problem("unknown-status", ("actve", "active"))
    items = [CaseParseResult(broken.page, broken, (problem,))]
    out = render_index_view(view({}, config), [case(1), broken], items, messages, "en")
    lines = out.splitlines()
    attention = lines.index("=== Needs attention ===")
    first_row = next(i for i, x in enumerate(lines) if x.startswith("|- data-advocacy-case"))
    assert attention < first_row  # the list comes before the cases
    entry = next(x for x in lines if x.startswith("* "))
    assert "[[:Special:EditPage/Advocacy/Case 02|edit]]" in entry
    assert "[[:Template:Advocacy case#Codes|allowed codes]]" in entry
    row = next(x for x in lines if 'data-advocacy-case="Advocacy/Case 02"' in x)
    assert "advocacyhub-index-invalid" in row
    title_cell = lines[lines.index(row) + 1]
    assert "Needs attention:" in title_cell and "actve" in title_cell
    healthy = next(x for x in lines if 'data-advocacy-case="Advocacy/Case 01"' in x)
    assert "invalid" not in healthy


def test_a_marker_page_problem_links_the_index_template(config: Config, messages: Messages) -> None:
    item = CaseParseResult("Advocacy/Hub", None, (Problem("marker-start-without-end", ("3",)),))
    out = render_index_view(view({}, config), [case(1)], [item], messages, "en")
    assert "[[:Template:Advocacy case index#Parameters|allowed codes]]" in out


def test_a_localised_view_links_the_translation_where_one_exists(
    config: Config, messages: Messages
) -> None:
    translated, plain = case(1, languages=("ar", "zh")), case(2, languages=("fr",))
    out = render_index_view(view({"lang": "zh"}, config), [translated, plain], [], messages, "en")
    assert "[[:Advocacy/Case 01/zh|Case 01]]" in out
    assert "[[:Advocacy/Case 02|Case 02]]" in out
    english = render_index_view(view({}, config), [translated], [], messages, "en")
    assert "[[:Advocacy/Case 01|Case 01]]" in english


def changed_day(text: str) -> str | None:
    m = re.search(r'data-changed="([0-9-]+)"', text)
    return m.group(1) if m else None


def test_the_changed_note_moves_only_when_the_content_does(
    config: Config, messages: Messages
) -> None:
    first = render_marker_page(PAGE, NAMES, [case(1)], [], messages, "en", config,
                               own_text="", today="2026-01-01")  # fmt: skip
    assert first.text is not None and changed_day(first.text) == "2026-01-01"
    assert "This list last changed on 2026-01-01." in first.text
    # a later run, nothing changed: the same text, the old date
    again = render_marker_page(first.text, NAMES, [case(1)], [], messages, "en", config,
                               own_text=first.text, today="2026-02-02")  # fmt: skip
    assert again.text == first.text
    # a case changed: the date moves
    moved = render_marker_page(first.text, NAMES, [case(1), case(3)], [], messages, "en",
                               config, own_text=first.text, today="2026-03-03")  # fmt: skip
    assert moved.text is not None and changed_day(moved.text) == "2026-03-03"
    # a person's edit of the page outside the region does not move it either
    edited = "Intro.\n" + first.text
    kept = render_marker_page(edited, NAMES, [case(1)], [], messages, "en", config,
                              own_text=first.text, today="2026-04-04")  # fmt: skip
    assert kept.text == edited


def test_the_summary_names_the_first_cases_and_links_the_documentation(
    config: Config, messages: Messages
) -> None:
    old = render_marker_page(PAGE, NAMES, [case(n) for n in (1, 2)], [], messages, "en",
                             config, own_text="")  # fmt: skip
    assert old.text is not None
    cases = [case(1, status="success"), *(case(n) for n in range(3, 9))]
    new = render_marker_page(old.text, NAMES, cases, [], messages, "en", config,
                             own_text=old.text)  # fmt: skip
    named = named_changes(new, {c.page: c.title for c in cases}, messages, "en")
    assert named == (
        "; added: Case 03, Case 04, Case 05, 3 more; updated: Case 01; removed: Case 02"
    )


def test_the_create_box_is_an_inputbox_where_the_wiki_has_one(
    config: Config, messages: Messages
) -> None:
    page = "{{Advocacy case index|create=yes|lang=zh}}\n{{Advocacy case index end}}"
    with_box = render_marker_page(page, NAMES, [case(1)], [], messages, "en", config,
                                  extensions=frozenset({"InputBox"}))  # fmt: skip
    assert with_box.text is not None
    assert "<inputbox>\ntype=create\nbreak=no\nprefix=Advocacy/\n" in with_box.text
    assert "preload=Template:Advocacy case/preload/zh\n" in with_box.text
    assert "buttonlabel=创建案例页面" in with_box.text
    # first in the view, before the cases
    assert with_box.text.index("<inputbox>") < with_box.text.index("data-advocacy-case")
    without = render_marker_page(page, NAMES, [case(1)], [], messages, "en", config)
    assert without.text is not None and "<inputbox>" not in without.text
    assert (
        "[{{fullurl:Advocacy/New case|action=edit&preload=Template:Advocacy_case/preload/zh}} "
        "创建新的案例页面]"
    ) in without.text


def test_the_create_box_falls_back_to_english_preload_and_is_off_by_default(
    config: Config, messages: Messages
) -> None:
    page = "{{Advocacy case index|create=yes|lang=it}}\n{{Advocacy case index end}}"
    out = render_marker_page(page, NAMES, [], [], messages, "en", config)
    assert out.text is not None and "preload=Template:Advocacy_case/preload/en" in out.text
    plain = render_index_view(view({}, config), [case(1)], [], messages, "en")
    assert "advocacyhub-index-create" not in plain


def test_case_titles_in_summaries_carry_no_markup_and_no_url(
    config: Config, messages: Messages
) -> None:
    hostile = dataclasses.replace(
        case(1), title="[[Category:X]] {{T}} see http://spam.example/x ~~~~ <b>|"
    )
    new = render_marker_page(PAGE, NAMES, [hostile], [], messages, "en", config, own_text="")
    named = named_changes(new, {hostile.page: hostile.title}, messages, "en")
    assert named.startswith("; added: ")
    for marker in ("[[", "]]", "{{", "}}", "//", "~~~", "<b>", "|"):
        assert marker not in named, marker
    assert "http:/\u2060/spam.example/x" in named  # looks the same, is no URL
