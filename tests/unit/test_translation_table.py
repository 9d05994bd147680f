"""Translation status tables: golden region bodies, colours, labels and the most-needed list.

Golden cases (``tests/unit/golden_files.py``): ``golden/translations/<name>.toml`` holds the
marker parameters, the page language and the page statuses; ``<name>.wiki`` the region body
that :func:`bots.translations.build.render_region` (what the job publishes) makes of them.
Add a case by adding a TOML file and running ``ADVOCACY_UPDATE_GOLDEN=1 scripts/test
tests/unit`` once, then read the new ``.wiki`` file before committing it.
"""

from __future__ import annotations

import colorsys
import dataclasses
import re
import tomllib
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from bots.i18n.messages import Messages
from bots.translation_status.records import (
    PageKind,
    PageStatus,
    RecordSource,
    TranslationRecord,
    UnitPage,
    status_from_units,
)
from bots.translation_status.selection import (
    PageSelection,
    SelectionResult,
    SelectionStatuses,
)
from bots.translations.build import render_region
from bots.translations.colours import NEUTRAL_STYLE, STATE_STYLES, CellState
from bots.translations.links import cell_link, untranslated_lines
from bots.translations.needed import most_needed
from bots.translations.table import render_status_view
from bots.translations.view import StatusView
from bots.wiki.siteinfo import SiteFacts
from tests.unit.golden_files import GOLDEN_ROOT, check_golden, golden_cases

GOLDEN = GOLDEN_ROOT / "translations"
CASES = golden_cases("translations")


@pytest.fixture(scope="module")
def messages() -> Messages:
    return Messages.load()


def _status(data: dict[str, Any]) -> PageStatus:
    records = tuple(
        TranslationRecord(
            page=data["page"],
            language=r["language"],
            total=r["total"],
            translated=r["translated"],
            outdated=r["outdated"],
            source=RecordSource(r.get("source", "computed")),
            behind_days=r.get("behind_days", 0),
            since_revision=r.get("since_revision", 0),
        )
        for r in data["records"]
    )
    kind = PageKind(data["kind"])
    return PageStatus(data["page"], kind, data["total"], records, data["source_language"])


def _render(case: dict[str, Any], statuses: list[PageStatus], messages: Messages) -> str:
    """The region body the job would publish for these statuses."""
    facts = SiteFacts(
        content_language=case.get("content_language", "en"),
        has_translate=case.get("has_translate", False),
        language_names=case.get("language_names", {}),
    )

    # whatever the marker selects, these are its pages' statuses
    results: defaultdict[PageSelection, SelectionResult] = defaultdict(
        lambda: SelectionStatuses(tuple(statuses), untranslated=tuple(case.get("untranslated", ())))
    )
    body = render_region(case["params"], case["lang"], results, messages, facts)
    assert body is not None
    return body.text


# ---------------------------------------------------------------------------------------------
# Golden cases


def test_golden_cases_exist() -> None:
    assert len(CASES) >= 6


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_golden(path: Path, messages: Messages) -> None:
    case = tomllib.loads(path.read_text(encoding="utf-8"))
    statuses = [_status(s) for s in case["statuses"]]
    got = _render(case, statuses, messages)
    check_golden(path.with_suffix(".wiki"), got + "\n")
    # same input in another order: same output (rows and columns are sorted)
    assert _render(case, list(reversed(statuses)), messages) == got


def test_golden_scenario_figures(messages: Messages) -> None:
    """The figures the issue asks for, read back from the scenario's golden output."""
    body = (GOLDEN / "prefix-two-pages-en.wiki").read_text(encoding="utf-8")
    cells = dict(re.findall(r'^\| data-cell="([^"]+)" [^|]*\| (.*)$', body, re.M))
    # each page's cell links to where the work is done (here: no Translate, so the unit
    # page's translation page; the subpage; the source's diff since an outdated translation)
    guide = "[[:Advocacy/Guide/{0}|{1}]]<br /><small>{2} outdated</small>"
    assert cells["Advocacy/Guide/fr"] == "✓ " + guide.format("fr", "100%", 0)
    assert cells["Advocacy/Guide/es"] == "◐ " + guide.format("es", "41%", 0)
    assert cells["Advocacy/Guide/de"] == "↻ " + guide.format("de", "75%", 3)
    assert cells["Advocacy/Guide/ar"] == "○ " + guide.format("ar", "0%", 0)
    assert cells["Advocacy/Handbook/fr"] == (
        "↻ [[:Special:Diff/1234/cur|outdated: 15 days behind the source]]"
    )
    assert cells["Advocacy/Handbook/zh"] == "✓ [[:Advocacy/Handbook/zh|up to date]]"
    assert cells["Advocacy/Handbook/ar"] == "○ [[:Advocacy/Handbook/ar|missing]]"
    # totals carry no link, and print every figure
    assert cells["Advocacy/Guide/*"] == "↻ 43%<br /><small>3 outdated</small>"
    assert cells["*/fr"] == "↻ 92%<br /><small>1 outdated</small>"
    assert cells["*/*"] == "↻ 41%<br /><small>4 outdated</small>"
    assert "[[:Advocacy/Guide|Guide]]" in body  # rows labelled without the prefix


# ---------------------------------------------------------------------------------------------
# Rendering details


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _hue(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hls(r, g, b)[0] * 360


def test_cell_states_follow_convention_and_are_readable_without_colour() -> None:
    styles = {**STATE_STYLES, None: NEUTRAL_STYLE}
    for style in styles.values():
        a, b = sorted((_luminance(style.background), _luminance(style.text)), reverse=True)
        assert (a + 0.05) / (b + 0.05) >= 4.5, style  # WCAG AA for normal text
    # complete green, outdated amber, missing grey
    assert 90 <= _hue(STATE_STYLES[CellState.COMPLETE].background) <= 150
    assert 30 <= _hue(STATE_STYLES[CellState.OUTDATED].background) <= 50
    missing = STATE_STYLES[CellState.MISSING].background
    channels = [int(missing[i : i + 2], 16) for i in (1, 3, 5)]
    assert max(channels) - min(channels) <= 12  # grey
    # colour is never the only cue: each state has its own symbol
    symbols = [s.symbol for s in STATE_STYLES.values()]
    assert all(symbols) and len(set(symbols)) == len(symbols)


def test_rtl_language_names_are_isolated(messages: Messages) -> None:
    status = status_from_units("P", ("1",), [UnitPage("1", "fa", False)], source_language="en")
    body = render_status_view(StatusView(prefix="P"), [status], messages, "en")
    assert '! scope="col" | <bdi dir="rtl" lang="fa">فارسی</bdi> (fa)' in body
    assert '<div class="advocacyhub-translations" lang="en" dir="ltr" data-view=' in body


def test_source_language_column_says_source(messages: Messages) -> None:
    status = status_from_units("P", ("1",), [UnitPage("1", "en", False)], source_language="en")
    view = StatusView(pages=("P", "Q"), languages=("en",))
    body = render_status_view(view, [status], messages, "en")
    style = f"background-color:{NEUTRAL_STYLE.background};color:{NEUTRAL_STYLE.text}"
    assert f'| data-cell="P/en" data-sort-value="-1" style="{style}" | source' in body


def test_most_needed_orders(messages: Messages) -> None:
    a = status_from_units("A", ("1", "2", "3", "4"), [UnitPage(u, "fr", u == "4") for u in "1234"])
    b = status_from_units("B", ("1", "2"), [UnitPage("1", "de", False)])
    closest, languages, pages = most_needed([a, b], ["fr", "de"], 5)
    assert [(i.page, i.language, i.record.remaining) for i in closest] == [
        ("A", "fr", 1),
        ("B", "de", 1),
    ]
    assert [i.language for i in languages] == ["de", "fr"]  # 1/6 before 3/6
    assert [i.page for i in pages] == ["B", "A"]  # 1/4 before 3/8
    assert most_needed([a, b], ["fr", "de"], 1)[0][0].page == "A"


def test_work_links_of_each_kind_of_cell() -> None:
    units = TranslationRecord("A/B~c&d=e", "pt-br", 4, 1, 1, source=RecordSource.TRANSLATE)
    tool = cell_link(PageKind.UNITS, units, "25%", translate_tool=True)
    # nothing of the title is wikitext inside the URL: percent-encoded, ~ too
    assert tool == (
        '<span class="plainlinks">[{{fullurl:Special:Translate|group=page-A%2FB%7Ec%26d%3De'
        "&language=pt-br&action=page&filter=}} 25%]</span>"
    )
    assert cell_link(PageKind.UNITS, units, "25%", translate_tool=False) == (
        "[[:A/B&#126;c&#38;d=e/pt-br|25%]]"
    )
    behind = TranslationRecord("A/B", "fr", 1, 0, 1, source=RecordSource.SUBPAGE)
    assert cell_link(PageKind.SUBPAGES, behind, "x", translate_tool=True) == (
        "[[:Special:History/A/B|x]]"
    )
    since = dataclasses.replace(behind, since_revision=77)
    assert cell_link(PageKind.SUBPAGES, since, "x", translate_tool=False) == (
        "[[:Special:Diff/77/cur|x]]"
    )
    # a label with markup is shown as text, never as markup
    assert cell_link(PageKind.SUBPAGES, behind, "]] [[x", translate_tool=False) == (
        "[[:Special:History/A/B|&#93;&#93; &#91;&#91;x]]"
    )


def test_untranslated_list_is_bounded() -> None:
    def msg(key: str, *params: object) -> str:
        return f"{key}:{params}"

    pages = [f"P{n:03d}" for n in range(60)]
    lines = untranslated_lines(pages, ["fr"], msg, lambda p: p, limit=50)
    assert lines[1] == "'''advocacyhub-translations-untranslated-heading:(60,)'''"
    assert lines[2] == "* P000: [[:P000/fr|fr]]" and len(lines) == 2 + 50 + 1
    assert lines[-1] == "* advocacyhub-translations-untranslated-more:(10,)"
    assert untranslated_lines([], ["fr"], msg, lambda p: p) == []
