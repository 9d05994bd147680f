"""Translations kept on other wikis (bots.translation_status.cross_wiki) and their cells; the
prefix listing that rides along with the title resolution."""

from __future__ import annotations

import pytest

from bots.config.model import ConfigError
from bots.config.sources import split_sources
from bots.i18n.messages import Messages
from bots.translation_status.cross_wiki import (
    WikiPage,
    translation_title,
    with_wiki_pages,
)
from bots.translation_status.records import (
    KIND_NONE,
    SOURCE_OTHER_WIKI,
    PageStatus,
    UnitPage,
    status_from_subpages,
    status_from_units,
)
from bots.translation_status.selection import listing_guess
from bots.translations.table import render_status_view
from bots.translations.view import StatusView

SOURCE_TIME = "2026-11-01T00:00:00Z"


@pytest.fixture(scope="module")
def messages() -> Messages:
    return Messages.load()


def fr_page(timestamp: str, **extra: str) -> WikiPage:
    return WikiPage("frwiki", "fr", "Guide", timestamp, ":fr:Guide", **extra)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Advocacy/Guide", "Advocacy/Guide"),  # no prefix maps it: the same title
        ("Advocacy/Guides/One", "Wikipédia:Plaidoyer/Guides/One"),
        ("Advocacy/Guides/Deep/One", "Projet:Profond/One"),  # the longest prefix wins
        ("Other/Guides/One", "Other/Guides/One"),
    ],
)
def test_translation_titles(title: str, expected: str) -> None:
    prefixes = {
        "Advocacy/Guides/": "Wikipédia:Plaidoyer/Guides/",
        "Advocacy/Guides/Deep/": "Projet:Profond/",
    }
    assert translation_title(title, prefixes) == expected


def test_a_page_there_is_a_whole_translation_current_or_behind() -> None:
    status = status_from_subpages("Guide", SOURCE_TIME, {}, source_language="en")
    current = with_wiki_pages(status, [fr_page("2026-11-05T00:00:00Z")], SOURCE_TIME)
    (rec,) = current.records
    assert (rec.language, rec.total, rec.translated, rec.outdated) == ("fr", 1, 1, 0)
    assert (rec.source, rec.wiki, rec.wiki_link) == (SOURCE_OTHER_WIKI, "frwiki", ":fr:Guide")
    behind = with_wiki_pages(status, [fr_page("2026-10-20T00:00:00Z")], SOURCE_TIME)
    (rec,) = behind.records
    assert (rec.translated, rec.outdated, rec.behind_days) == (0, 1, 12)


def test_this_wikis_own_translation_and_the_source_language_win() -> None:
    local = status_from_subpages("Guide", SOURCE_TIME, {"fr": "2026-11-02T00:00:00Z"})
    assert with_wiki_pages(local, [fr_page("2026-11-05T00:00:00Z")], SOURCE_TIME) == local
    french_source = status_from_subpages("Guide", SOURCE_TIME, {}, source_language="fr")
    assert with_wiki_pages(french_source, [fr_page("2026-11-05T00:00:00Z")], SOURCE_TIME) == (
        french_source
    )
    missing = PageStatus("Guide", KIND_NONE, 0)
    assert with_wiki_pages(missing, [fr_page("2026-11-05T00:00:00Z")], SOURCE_TIME) == missing


def test_a_page_with_units_counts_them_all() -> None:
    status = status_from_units("Guide", ("1", "2", "3"), [UnitPage("1", "de", False)])
    merged = with_wiki_pages(status, [fr_page("2026-11-05T00:00:00Z")], SOURCE_TIME)
    assert [r.language for r in merged.records] == ["de", "fr"]
    fr = merged.record("fr")
    assert fr is not None and (fr.total, fr.translated, fr.percent) == (3, 3, 100)


def test_cells_say_which_wiki_and_when_it_was_not_refreshed(messages: Messages) -> None:
    status = status_from_subpages("Guide", SOURCE_TIME, {}, source_language="en")
    view = StatusView(pages=("Guide",), languages=("fr",))
    fresh = with_wiki_pages(status, [fr_page("2026-11-05T00:00:00Z")], SOURCE_TIME)
    body = render_status_view(view, [fresh], messages, "en")
    assert "[[:fr:Guide|up to date]]<br /><small>on frwiki</small>" in body
    kept = fr_page("2026-11-05T00:00:00Z", not_refreshed_since="2026-12-06T10:00:00Z")
    body = render_status_view(view, [with_wiki_pages(status, [kept], SOURCE_TIME)], messages,
                              "en")  # fmt: skip
    assert "<small>on frwiki, not refreshed: as read 2026-12-06T10:00:00Z</small>" in body
    url = WikiPage("xwiki", "fr", "A [b]", "2026-11-05T00:00:00Z", "https://x.org/wiki/A_[b]")
    body = render_status_view(view, [with_wiki_pages(status, [url], SOURCE_TIME)], messages, "en")
    assert '<span class="plainlinks">[https://x.org/wiki/A_%5Bb%5D up to date]</span>' in body


SOURCE = {"id": "frwiki", "family": "wikipedia", "code": "fr", "language": "fr",
          "case_namespaces": [4]}  # fmt: skip


def test_translation_prefixes_in_the_configuration() -> None:
    mapping = {"Advocacy/Guides/": "Wikipédia:Plaidoyer/Guides/"}
    source = {**SOURCE, "translation_prefixes": mapping}
    data = {"participation": {"page": "P"}, "sources": [source]}
    _rest, sources = split_sources("c.toml", data)
    assert sources.wikis[0].translation_prefixes == mapping
    _rest, sources = split_sources("c.toml", {"participation": {"page": "P"}, "sources": [SOURCE]})
    assert sources.wikis[0].translation_prefixes == {}


@pytest.mark.parametrize("bad", [["Advocacy/"], {"Advocacy/": ""}, {"Advocacy/": 3}, {" ": "X/"}])
def test_bad_translation_prefixes_name_the_key(bad: object) -> None:
    data = {"participation": {"page": "P"}, "sources": [{**SOURCE, "translation_prefixes": bad}]}
    with pytest.raises(ConfigError) as caught:
        split_sources("c.toml", data)
    assert caught.value.key == "sources[0].translation_prefixes"


@pytest.mark.parametrize(
    ("prefix", "guess"),
    [
        ("Advocacy/Guides/", (0, "Advocacy/Guides/")),
        ("advocacy_guides/", (0, "Advocacy guides/")),
        ("Help:Guides/", None),  # a namespace: the wiki's own reading is needed
        ("", None),
        (" Guides/", None),
    ],
)
def test_the_listing_riding_along_is_made_under_a_likely_title(
    prefix: str, guess: tuple[int, str] | None
) -> None:
    assert listing_guess(prefix) == guess
