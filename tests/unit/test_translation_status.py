"""Pure parts of the translation status job: records, marker parameters, rendering, summaries.

Golden cases live in ``tests/unit/golden/translations/<name>.json`` (marker parameters, page
statuses) with the expected region body in ``<name>.wikitext``; add a case by adding a JSON
file and running ``UPDATE_GOLDEN=1 pytest tests/unit/test_translation_status.py`` once, then
read the new ``.wikitext`` file before committing it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from bots.cases import Problem
from bots.i18n import Messages
from bots.translation_status import (
    COLOUR_BANDS,
    KIND_NONE,
    PageStatus,
    StatusView,
    TranslationRecord,
    UnitPage,
    describe_changes,
    edit_summary,
    languages_cell,
    most_needed,
    page_translations,
    parse_status_view,
    render_status,
    render_status_view,
    split_unit_title,
    status_from_api,
    status_from_subpages,
    status_from_units,
    translation_subpage,
    unit_ids,
)

GOLDEN = Path(__file__).parent / "golden" / "translations"
CASES = sorted(p.stem for p in GOLDEN.glob("*.json"))


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
            source=r.get("source", "computed"),
            behind_days=r.get("behind_days", 0),
        )
        for r in data["records"]
    )
    return PageStatus(data["page"], data["kind"], data["total"], records, data["source_language"])


# ---------------------------------------------------------------------------------------------
# Golden cases


@pytest.mark.parametrize("name", CASES)
def test_golden(name: str, messages: Messages) -> None:
    case = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    statuses = [_status(s) for s in case["statuses"]]
    got = render_status(
        case["params"],
        statuses,
        messages,
        case["lang"],
        content_language=case.get("content_language", "en"),
        language_names=case.get("language_names", {}),
    )
    expected_file = GOLDEN / f"{name}.wikitext"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        expected_file.write_text(got + "\n", encoding="utf-8")
    assert got + "\n" == expected_file.read_text(encoding="utf-8")
    # same input in another order: same output (rows and columns are sorted)
    shuffled = render_status(
        case["params"],
        list(reversed(statuses)),
        messages,
        case["lang"],
        content_language=case.get("content_language", "en"),
        language_names=case.get("language_names", {}),
    )
    assert shuffled == got


def test_golden_scenario_figures(messages: Messages) -> None:
    """The figures the issue asks for, read back from the scenario's golden output."""
    body = (GOLDEN / "prefix-two-pages-en.wikitext").read_text(encoding="utf-8")
    cells = dict(re.findall(r'^\| data-cell="([^"]+)" [^|]*\| (.*)$', body, re.M))
    assert cells["Advocacy/Guide/fr"] == "100%<br /><small>0 outdated</small>"
    assert cells["Advocacy/Guide/es"] == "41%<br /><small>0 outdated</small>"
    assert cells["Advocacy/Guide/de"] == "75%<br /><small>3 outdated</small>"
    assert cells["Advocacy/Guide/ar"] == "0%<br /><small>0 outdated</small>"
    assert cells["Advocacy/Handbook/fr"] == "outdated: 15 days behind the source"
    assert cells["Advocacy/Handbook/zh"] == "up to date"
    assert cells["Advocacy/Handbook/ar"] == "missing"
    assert cells["Advocacy/Guide/*"] == "43%<br /><small>3 outdated</small>"
    assert cells["*/fr"] == "92%<br /><small>1 outdated</small>"
    assert cells["*/*"] == "41%<br /><small>4 outdated</small>"
    assert "[[:Advocacy/Guide|Guide]]" in body  # rows labelled without the prefix


# ---------------------------------------------------------------------------------------------
# Records from each source


def test_unit_ids_only_inside_translate_blocks() -> None:
    text = (
        "<!--T:99--> outside\n<languages/>\n<translate>\n<!--T:1-->\nOne\n\n<!--T:2-->\nTwo\n"
        "</translate>\n{{Box}}\n<translate nowrap><!--T:3--> Three <!--T:1--></translate>\n"
        "<translate>not yet marked</translate>"
    )
    assert unit_ids(text) == ("1", "2", "3")
    assert unit_ids("no units") == ()


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Translations:Advocacy/Guide/3/fr", ("Advocacy/Guide", "3", "fr")),
        (
            "Translations:Advocacy Hub:Start/Page display title/zh-hant",
            ("Advocacy Hub:Start", "Page display title", "zh-hant"),
        ),
        ("Translations:Advocacy/Guide/3/Français", None),
        ("Translations:Guide/fr", None),
        ("Advocacy/Guide/3/fr", None),
    ],
)
def test_split_unit_title(title: str, expected: tuple[str, str, str] | None) -> None:
    assert split_unit_title(title) == expected


def test_translation_subpage() -> None:
    assert translation_subpage("Advocacy/Guide/fr") == ("Advocacy/Guide", "fr")
    assert translation_subpage("Advocacy/Guide/pt-br", {"pt-br"}) == ("Advocacy/Guide", "pt-br")
    assert translation_subpage("Advocacy/Guide/faq", {"fr"}) == ("Advocacy/Guide/faq", "")
    assert translation_subpage("Advocacy/Guide/Background") == ("Advocacy/Guide/Background", "")
    assert translation_subpage("fr") == ("fr", "")


def test_status_from_units_counts_current_units_only() -> None:
    pages = [
        UnitPage("1", "fr", False, "2024-01-01T00:00:00Z"),
        UnitPage("2", "fr", True, "2024-02-01T00:00:00Z"),
        UnitPage("9", "fr", False, "2024-03-01T00:00:00Z"),  # a unit no longer in the source
        UnitPage("1", "qqq", False, "2024-01-01T00:00:00Z"),  # documentation, not a language
        UnitPage("2", "es", True, "2024-01-05T00:00:00Z"),
    ]
    status = status_from_units("P", ("1", "2", "3"), pages, source_language="en")
    assert status.kind == "units" and status.total == 3
    fr = status.record("fr")
    assert fr == TranslationRecord("P", "fr", 3, 1, 1, 0, "2024-02-01T00:00:00Z", "computed")
    assert status.record("es") == TranslationRecord("P", "es", 3, 0, 1, 0, "2024-01-05T00:00:00Z")
    assert status.record("de") == TranslationRecord("P", "de", 3, 0, 0)  # nothing yet
    assert status.languages() == ("es", "fr")
    assert status_from_units("P", (), pages).kind == KIND_NONE


def test_status_from_subpages_age() -> None:
    status = status_from_subpages(
        "P",
        "2024-03-10T08:00:00Z",
        {"fr": "2024-02-23T12:00:00Z", "zh": "2024-03-10T08:00:00Z", "de": "2024-03-10T07:00:00Z"},
    )
    fr, de, zh = status.record("fr"), status.record("de"), status.record("zh")
    assert fr and (fr.translated, fr.outdated, fr.behind_days) == (0, 1, 15)
    assert de and (de.translated, de.outdated, de.behind_days) == (0, 1, 0)  # an hour behind
    assert zh and (zh.translated, zh.outdated) == (1, 0)  # same second: not older
    missing = status.record("ar")
    assert missing and not missing.present and missing.source == "subpage"


def test_status_from_api_drops_empty_languages() -> None:
    items = [
        {"language": "fr", "total": 4, "translated": 4, "fuzzy": 0, "proofread": 1},
        {"code": "de", "total": 4, "translated": 0, "fuzzy": 1, "proofread": 0},
        {"language": "ar", "total": 4, "translated": 0, "fuzzy": 0, "proofread": 0},
        {"language": "qqq", "total": 4, "translated": 4, "fuzzy": 0, "proofread": 0},
    ]
    status = status_from_api("P", items)
    assert status.total == 4 and status.languages() == ("de", "fr")
    assert status.record("de") == TranslationRecord("P", "de", 4, 0, 1, 0, "", "translate")
    assert status_from_api("P", []).kind == KIND_NONE


def test_percent_rounds_down() -> None:
    assert TranslationRecord("P", "fr", 12, 11, 1).percent == 91
    assert TranslationRecord("P", "fr", 3, 2, 0).percent == 66
    assert TranslationRecord("P", "fr", 0, 0, 0).percent == 0


# ---------------------------------------------------------------------------------------------
# Marker parameters


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
    from bots import translation_status

    source = Path(translation_status.__file__).read_text(encoding="utf-8")
    codes = set(re.findall(r'Problem\(\s*"(translations-[a-z-]+)"', source))
    source_job = (Path(translation_status.__file__).parent / "translations_job.py").read_text()
    codes |= set(re.findall(r'Problem\(\s*"(translations-[a-z-]+)"', source_job))
    assert codes
    for code in codes:
        for lang in ("en", "fr", "es", "zh", "ar"):
            assert messages.has(f"advocacyhub-problem-{code}", lang), (code, lang)


# ---------------------------------------------------------------------------------------------
# Rendering details


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_colour_bands_are_readable_and_ordered_by_lightness() -> None:
    lightness = []
    for band in COLOUR_BANDS:
        a, b = sorted((_luminance(band.background), _luminance(band.text)), reverse=True)
        assert (a + 0.05) / (b + 0.05) >= 4.5, band  # WCAG AA for normal text
        lightness.append(_luminance(band.background))
    # lighter means more complete: the order survives colour blindness and greyscale
    assert lightness == sorted(lightness, reverse=True)
    assert [b.minimum for b in COLOUR_BANDS] == [100, 75, 50, 25, 1, 0]


def test_rtl_language_names_are_isolated(messages: Messages) -> None:
    status = status_from_units("P", ("1",), [UnitPage("1", "fa", False)], source_language="en")
    body = render_status_view(StatusView(prefix="P"), [status], messages, "en")
    assert '! scope="col" | <bdi dir="rtl" lang="fa">فارسی</bdi> (fa)' in body
    assert '<div class="advocacyhub-translations" lang="en" dir="ltr">' in body


def test_source_language_column_says_source(messages: Messages) -> None:
    status = status_from_units("P", ("1",), [UnitPage("1", "en", False)], source_language="en")
    view = StatusView(pages=("P", "Q"), languages=("en",))
    body = render_status_view(view, [status], messages, "en")
    style = "background-color:#eaecf0;color:#000000"
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


# ---------------------------------------------------------------------------------------------
# What changed, and the edit summary


def _body(fr_translated: int, messages: Messages, extra_page: bool = False) -> str:
    units = tuple(str(n) for n in range(1, 13))
    pages = [UnitPage(u, "fr", int(u) > fr_translated) for u in units]
    statuses = [status_from_units("Advocacy/Guide", units, pages, source_language="en")]
    if extra_page:
        statuses.append(status_from_units("Advocacy/New", ("1",), [], source_language="en"))
    view = StatusView(prefix="Advocacy/", languages=("fr", "de"))
    return render_status_view(view, statuses, messages, "en")


def test_describe_changes_names_the_changed_cell(messages: Messages) -> None:
    old, new = _body(12, messages), _body(11, messages)
    changes = describe_changes(old, new)
    assert [(c.key, c.old, c.new) for c in changes.changed] == [("Advocacy/Guide/fr", 100, 91)]
    assert (changes.added, changes.removed, changes.other) == (0, 0, False)
    assert describe_changes(old, old).anything is False
    grown = describe_changes(old, _body(12, messages, extra_page=True))
    assert (grown.added, grown.removed) == (2, 0)
    assert describe_changes(_body(12, messages, extra_page=True), old).removed == 2


def test_edit_summaries(messages: Messages) -> None:
    old, new = _body(12, messages), _body(11, messages)
    change = describe_changes(old, new)
    assert (
        edit_summary([change], messages, "en")
        == "Translation status: one cell changed: Advocacy/Guide (fr) 100% → 91%"
    )
    assert (
        edit_summary([change], messages, "fr")
        == "État des traductions : 1 case modifiée : Advocacy/Guide (fr) 100\u00a0% → 91\u00a0%"
    )
    created = describe_changes("", old)
    assert (
        edit_summary([created], messages, "en", created=True)
        == "Translation status: table created (2 cells)"
    )
    assert edit_summary([change], messages, "en", human_revid=42).endswith(
        "; replaced a manual edit inside the bot's table ([[Special:Diff/42]])"
    )
    assert edit_summary([], messages, "zh", errors=True) == "翻译状态：标记的参数需要修正（见页面）"


def test_languages_for_the_case_index(messages: Messages) -> None:
    status = status_from_subpages(
        "P",
        "2024-03-10T00:00:00Z",
        {"fr": "2024-02-01T00:00:00Z", "zh": "2024-03-11T00:00:00Z"},
        source_language="en",
    )
    translations = page_translations(status)
    assert (translations.existing, translations.outdated, translations.complete) == (
        ("fr", "zh"),
        ("fr",),
        ("zh",),
    )
    assert languages_cell(translations, messages, "en") == "fr (outdated), zh"
    assert languages_cell(page_translations(PageStatus("Q", KIND_NONE, 0)), messages, "en") == ""


def test_shared_folder_for_one_listing_instead_of_many() -> None:
    from bots.translations_job import _shared_folder

    assert _shared_folder(["Advocacy/A", "Advocacy/B", "Advocacy/C/D"]) == "Advocacy/"
    assert _shared_folder(["X/A/b", "X/A/c", "X/A"]) == "X/"
    assert _shared_folder(["A", "B", "C"]) == ""  # nothing shared: list each page
    assert _shared_folder(["Advocacy/A", "Advocacy/B"]) == ""  # two listings cost no more
