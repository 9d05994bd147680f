"""Translation status records: unit ids and titles, records from each source, and what other
jobs read from them. Marker parameters, tables and edit summaries have their own test files
(``test_translation_view.py``, ``test_translation_table.py``, ``test_translation_summary.py``).
"""

from __future__ import annotations

import pytest

from bots.translation_status.records import (
    KIND_NONE,
    KIND_SUBPAGES,
    KIND_UNITS,
    PageStatus,
    TranslationRecord,
    UnitPage,
    expected_only,
    page_translations,
    split_unit_title,
    status_from_api,
    status_from_subpages,
    status_from_units,
    translation_subpage,
    unit_ids,
)
from bots.translation_status.selection import (
    PageSelection,
    expected_languages,
    shared_folder,
    shown_under_prefix,
    split_prefix_listing,
    subpages_in,
)
from bots.wiki.translate_api import GroupFigures

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
        GroupFigures("page-P", "fr", total=4, translated=4, fuzzy=0, proofread=1),
        GroupFigures("page-P", "de", total=4, translated=0, fuzzy=1, proofread=0),
        GroupFigures("page-P", "ar", total=4, translated=0, fuzzy=0, proofread=0),
        GroupFigures("page-P", "qqq", total=4, translated=4, fuzzy=0, proofread=0),
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
# For other jobs


def test_languages_for_the_case_index() -> None:
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
    nothing = page_translations(PageStatus("Q", KIND_NONE, 0))
    assert (nothing.existing, nothing.outdated, nothing.complete) == ((), (), ())


def test_shared_folder_for_one_listing_instead_of_many() -> None:
    assert shared_folder(["Advocacy/A", "Advocacy/B", "Advocacy/C/D"]) == "Advocacy/"
    assert shared_folder(["X/A/b", "X/A/c", "X/A"]) == "X/"
    assert shared_folder(["A", "B", "C"]) == ""  # nothing shared: list each page
    assert shared_folder(["Advocacy/A", "Advocacy/B"]) == ""  # two listings cost no more


def test_prefix_listing_sources_and_subpages() -> None:
    listed = [
        "Advocacy/Guide",
        "Advocacy/Guide/fr",
        "Advocacy/Guide/faq",  # not a language: a page of its own
        "Advocacy/Lone/de",  # its parent is not listed: a page of its own
        "Advocacy/Status",  # the bot's status page: never a source
        "Advocacy/Status/fr",
    ]
    listing = split_prefix_listing(listed, {"fr", "de"}, frozenset({"Advocacy/Status"}))
    assert listing.sources == ("Advocacy/Guide", "Advocacy/Guide/faq", "Advocacy/Lone/de")
    assert listing.subpages == {
        "Advocacy/Guide": {"fr": "Advocacy/Guide/fr"},
        "Advocacy/Status": {"fr": "Advocacy/Status/fr"},
    }
    assert subpages_in(listed, "Advocacy/Guide", {"fr", "de"}) == {"fr": "Advocacy/Guide/fr"}
    # without the wiki's language list any code-shaped segment counts
    assert subpages_in(listed, "Advocacy/Guide", None)["faq"] == "Advocacy/Guide/faq"


def test_the_bots_own_pages_under_a_prefix_are_no_sources() -> None:
    listed = ["A/Digest/Archive/2024-05-06", "A/Digest/Archive/2024-05-13", "A/Guide", "A/Status"]
    listing = split_prefix_listing(listed, {"fr"}, frozenset({"A/Status"}), ("A/Digest/Archive/",))
    assert listing.sources == ("A/Guide",)


# ---------------------------------------------------------------------------------------------
# Which subpages are translations: the languages a table expects (issue #17 point 7)


def _hand(*codes: str) -> PageStatus:
    return status_from_subpages("A/Guide", "2024-05-01T00:00:00Z",
                                dict.fromkeys(codes, "2024-05-02T00:00:00Z"))  # fmt: skip


@pytest.mark.parametrize("code", ["new", "arc", "ext", "no", "it", "id", "la", "min", "nov"])
def test_a_code_shaped_subpage_is_a_translation_only_when_expected(code: str) -> None:
    status = _hand("fr", code)
    assert expected_only(status, frozenset({"fr", "de"})).languages() == ("fr",)
    assert expected_only(status, frozenset({"fr", code})).languages() == tuple(sorted(("fr", code)))


def test_without_expected_languages_only_languages_the_wiki_knows_count() -> None:
    # the language data is the wiki's (meta=languageinfo): Newar, Aramaic and Extremaduran are
    # languages it knows, so only a table's or the configuration's languages tell /new from
    # a Newar translation (both shipped configurations list their languages)
    status = _hand("fr", "new", "arc", "ext", "zh-hant", "doc", "xyz", "qqx")
    assert expected_only(status, None).languages() == ("arc", "ext", "fr", "new", "zh-hant")
    assert expected_only(status, frozenset({"fr", "zh-hant"})).languages() == ("fr", "zh-hant")


def test_unit_languages_are_the_pages_own_and_stay() -> None:
    units = status_from_units("A/Guide", ("1",), [UnitPage("1", "new", False)])
    assert expected_only(units, frozenset({"fr"})) == units


def test_expected_languages_of_a_table() -> None:
    configured = ("fr", "es")
    assert expected_languages(PageSelection("A/", languages=("de",)), configured) == {"de"}
    assert expected_languages(PageSelection("A/"), configured) == {"fr", "es"}
    assert expected_languages(PageSelection("A/"), ()) is None


def test_rows_under_a_prefix_are_translation_targets_only() -> None:
    assert shown_under_prefix(status_from_units("A/G", ("1",), []))  # marked for translation
    assert shown_under_prefix(_hand("fr"))
    assert not shown_under_prefix(_hand())  # untranslated, e.g. an archive page
    assert not shown_under_prefix(PageStatus("A/G", KIND_NONE, 0))
    assert _hand().kind == KIND_SUBPAGES and status_from_units("A/G", ("1",), []).kind == KIND_UNITS
