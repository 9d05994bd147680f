"""Rendering all index regions of a page, what changed, and the circuit breaker. No wiki."""

from __future__ import annotations

from pathlib import Path

import pytest

from bots.cases.record import Case, CaseParseResult
from bots.config.load import load_config
from bots.config.model import Config
from bots.i18n.messages import Messages
from bots.index.breaker import breaker_trips
from bots.index.pages import MarkerNames, render_marker_page, rows_by_title, view_signature

CONFIG = Path(__file__).resolve().parents[2] / "config" / "devwiki.toml"
NAMES = MarkerNames("Advocacy case index", "Advocacy case index end")


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(CONFIG)


@pytest.fixture(scope="module")
def messages() -> Messages:
    return Messages.load()


def case(n: int, region: str = "europe", status: str = "active") -> Case:
    return Case(page=f"Advocacy/Case {n:02d}", title=f"Case {n:02d}", region=region,
                status=status, topics=("copyright",))


def render(text: str, cases: list[Case], config: Config, messages: Messages,
           attention: tuple[CaseParseResult, ...] = ()):  # type: ignore[no-untyped-def]
    return render_marker_page(text, NAMES, cases, attention, messages, "en", config)


PAGE = (
    "Intro text stays.\n{{Advocacy case index|region=europe}}\nplaceholder\n"
    "{{Advocacy case index end}}\nMiddle text.\n"
    "{{Advocacy case index|status=success|attention=no}}\n{{Advocacy case index end}}\nOutro."
)


def test_each_region_gets_its_view_and_outside_text_is_kept(
    config: Config, messages: Messages
) -> None:
    cases = [case(1), case(2, "africa", "success"), case(3, "europe", "success")]
    result = render(PAGE, cases, config, messages)
    assert result.error is None and result.text is not None
    assert result.text.startswith("Intro text stays.\n{{Advocacy case index|region=europe}}\n")
    assert "\n{{Advocacy case index end}}\nMiddle text.\n" in result.text
    assert result.text.endswith("{{Advocacy case index end}}\nOutro.")
    first, second = result.text.split("Middle text.")
    assert set(rows_by_title(first)) == {"Advocacy/Case 01", "Advocacy/Case 03"}
    assert set(rows_by_title(second)) == {"Advocacy/Case 02", "Advocacy/Case 03"}
    assert [r.fresh for r in result.regions] == [True, True]
    assert not result.human_edited
    assert result.added == 3  # distinct cases added over the page's regions


def test_rerender_is_stable_and_reports_no_change(config: Config, messages: Messages) -> None:
    cases = [case(1), case(2)]
    once = render(PAGE, cases, config, messages).text
    assert once is not None
    twice = render(once, cases, config, messages)
    assert twice.text == once
    assert (twice.added, twice.removed, twice.updated) == (0, 0, 0)
    assert all(r.same_view and not r.fresh and not r.human_edited for r in twice.regions)


def test_updated_rows_are_told_apart_from_added_and_removed(
    config: Config, messages: Messages
) -> None:
    page = "{{Advocacy case index}}\n{{Advocacy case index end}}"
    before = render(page, [case(1), case(2), case(3)], config, messages).text
    assert before is not None
    after = render(before, [case(1), case(2, status="success"), case(4)], config, messages)
    [region] = after.regions
    assert region.added == {"Advocacy/Case 04"}
    assert region.removed == {"Advocacy/Case 03"}
    assert region.updated == {"Advocacy/Case 02"}


def test_broken_markers_leave_the_page_untouched(config: Config, messages: Messages) -> None:
    result = render("{{Advocacy case index}}\nno end marker", [case(1)], config, messages)
    assert result.text is None
    assert result.error is not None and result.error.code == "start-without-end"


def test_human_edit_inside_a_region_is_detected(config: Config, messages: Messages) -> None:
    page = "{{Advocacy case index}}\n{{Advocacy case index end}}"
    done = render(page, [case(1)], config, messages).text
    assert done is not None
    edited = done.replace("Case 01]]", "Case 01 (edited by hand)]]")
    assert render(edited, [case(1)], config, messages).human_edited


def test_view_signature_is_order_and_case_insensitive_and_comment_safe() -> None:
    assert view_signature({"Region": "europe", "group": "status"}) == view_signature(
        {"group": "status", "region": " europe "}
    )
    assert "--" not in view_signature({"region": "a--b"})


def _page_with(cases: list[Case], params: str, config: Config, messages: Messages) -> str:
    text = render(f"{{{{Advocacy case index{params}}}}}\n{{{{Advocacy case index end}}}}",
                  cases, config, messages).text
    assert text is not None
    return text


def test_breaker_trips_when_many_rows_vanish_for_the_same_view(
    config: Config, messages: Messages
) -> None:
    ten = [case(n) for n in range(10)]
    page = _page_with(ten, "", config, messages)
    blanked = render(page, ten[:5], config, messages)  # 5 of 10 cases gone: 50% > 30%
    [tripped] = breaker_trips(blanked, 0.3, 3)
    assert len(tripped.gone) == 5 and tripped.old_rows == 10
    assert not breaker_trips(blanked, 0.6, 3)  # within a looser share
    assert not breaker_trips(render(page, ten[:8], config, messages), 0.3, 3)  # 2 < 3 rows


def test_breaker_ignores_a_view_whose_filters_an_editor_changed(
    config: Config, messages: Messages
) -> None:
    cases = [case(n) for n in range(6)] + [case(n, "africa") for n in range(6, 8)]
    page = _page_with(cases, "|region=europe", config, messages)
    refiltered = page.replace("{{Advocacy case index|region=europe}}",
                              "{{Advocacy case index|region=africa}}")
    assert not breaker_trips(render(refiltered, cases, config, messages), 0.3, 3)


def test_breaker_ignores_rows_pushed_out_by_a_limit(config: Config, messages: Messages) -> None:
    cases = [case(n) for n in range(5)]
    page = _page_with(cases, "|limit=5", config, messages)
    more = [case(n) for n in range(-5, 5)]  # five new cases sort first and push five out
    result = render(page, more, config, messages)
    [region] = result.regions
    assert len(region.removed) == 5 and not region.gone
    assert not breaker_trips(result, 0.3, 3)


def test_breaker_still_holds_when_someone_edited_inside_the_region(
    config: Config, messages: Messages
) -> None:
    ten = [case(n) for n in range(10)]
    page = _page_with(ten, "", config, messages).replace("Case 00]]", "Case 00!]]")
    assert breaker_trips(render(page, ten[:2], config, messages), 0.3, 3)
