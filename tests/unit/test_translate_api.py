"""The Translate API reader, against recorded responses (no wiki is contacted).

The files under ``tests/unit/recorded/translate_api/`` follow the shape of the public API
documentation of the Translate extension: ``action=query&meta=messagegroupstats&mgsgroup=
page-<Title>`` answers ``query.messagegroupstats`` with one item per language (``total``,
``translated``, ``fuzzy``, ``proofread``, ``code``, ``language``) and continues with
``continue.mgsoffset`` while its statistics cache is incomplete; ``meta=languagestats&lslanguage=
<code>`` answers ``query.languagestats`` with one item per message group (``group`` instead of
the language). An unknown group is an API error (``badparameter``). The figures are those of the
test scenario (a 12-unit page translated fully into French, partly into Spanish, with 3 fuzzy
units in German and none in Arabic), so the API path can be compared with the computed one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bots.i18n.messages import Messages
from bots.translation_status.records import (
    PageStatus,
    UnitPage,
    status_from_api,
    status_from_subpages,
    status_from_units,
)
from bots.translations.table import render_status_view
from bots.translations.view import StatusView
from bots.wiki import translate_api

RECORDED = Path(__file__).parent / "recorded" / "translate_api"
GUIDE = "Advocacy/Guide"


class RecordedApiError(Exception):
    """Stands in for Pywikibot's APIError: the reader only looks at ``code``."""

    def __init__(self, code: str, info: str) -> None:
        super().__init__(f"{code}: {info}")
        self.code = code
        self.info = info


class RecordedApi:
    """Answers requests from recorded files, matching on every parameter; logs the calls."""

    def __init__(self, *names: str) -> None:
        self.answers: dict[frozenset[tuple[str, str]], dict[str, Any]] = {}
        for name in names:
            data = json.loads((RECORDED / name).read_text(encoding="utf-8"))
            self.answers[_key(data["request"])] = data["response"]
        self.calls: list[dict[str, str]] = []

    def __call__(self, **params: Any) -> dict[str, Any]:
        self.calls.append({k: str(v) for k, v in params.items()})
        key = _key(params)
        if key not in self.answers:
            raise AssertionError(f"no recorded answer for {sorted(key)}")
        response = self.answers[key]
        if "error" in response:
            raise RecordedApiError(response["error"]["code"], response["error"]["info"])
        return response


def _key(params: dict[str, Any]) -> frozenset[tuple[str, str]]:
    return frozenset((k, str(v)) for k, v in params.items() if k != "formatversion")


def guide_api() -> RecordedApi:
    return RecordedApi("messagegroupstats-guide-1.json", "messagegroupstats-guide-2.json")


def api_guide() -> PageStatus:
    items = translate_api.group_stats(guide_api(), GUIDE)
    return status_from_api(GUIDE, items, source_language="en")


def test_group_stats_follows_continuation() -> None:
    api = guide_api()
    items = translate_api.group_stats(api, GUIDE)
    languages = [i.language for i in items]
    assert languages == ["ar", "de", "en", "es", "fr", "ja", "pt-br", "ru", "zh"]
    assert len(api.calls) == 2
    assert api.calls[1]["mgsoffset"] == "es"


def test_group_stats_to_records() -> None:
    status = api_guide()
    assert status.kind == "units" and status.total == 12
    figures = {r.language: (r.total, r.translated, r.outdated, r.proofread) for r in status.records}
    # languages with nothing translated and nothing outdated are dropped, as computed ones are
    assert figures == {
        "de": (12, 9, 3, 2),
        "en": (12, 12, 0, 0),
        "es": (12, 5, 0, 0),
        "fr": (12, 12, 0, 12),
    }
    assert {r.source for r in status.records} == {"translate"}


def test_cold_cache_gives_up_after_waiting() -> None:
    api = RecordedApi("messagegroupstats-cold-1.json", "messagegroupstats-cold-2.json")
    waits: list[float] = []
    with pytest.raises(translate_api.StatsUnavailable) as info:
        translate_api.group_stats(api, "Advocacy/Cold", sleep=waits.append, wait=1.5)
    assert info.value.target == "Advocacy/Cold"
    assert "still being computed" in info.value.reason
    # one request that advanced, then the same offset MAX_STALLS times
    assert len(api.calls) == 1 + translate_api.MAX_STALLS
    assert waits == [1.5] * (translate_api.MAX_STALLS - 1)


def test_figures_from_older_and_partial_answers() -> None:
    """Older Translate versions name the language ``code``; missing figures count as 0."""

    def api(**params: Any) -> dict[str, Any]:
        items = [{"code": "de", "total": "4", "fuzzy": 1}, {"language": "fr", "total": 4}]
        return {"query": {"messagegroupstats": items}}

    figures = translate_api.group_stats(api, "P")
    assert figures == [
        translate_api.GroupFigures("page-P", "de", total=4, translated=0, fuzzy=1, proofread=0),
        translate_api.GroupFigures("page-P", "fr", total=4, translated=0, fuzzy=0, proofread=0),
    ]


def test_unknown_group_is_reported_as_such() -> None:
    api = RecordedApi("messagegroupstats-unknown-group.json")
    with pytest.raises(translate_api.GroupNotFound):
        translate_api.group_stats(api, "Advocacy/Not translatable")


def test_language_stats_by_page() -> None:
    api = RecordedApi("languagestats-fr.json", "languagestats-de.json", "languagestats-es.json")
    pages = [GUIDE, "Advocacy/Other"]
    by_page = translate_api.page_stats_by_language(api, pages, ["de", "es", "fr"])
    assert len(api.calls) == 3  # one per language, whatever the number of pages
    assert sorted(by_page) == [GUIDE, "Advocacy/Other"]
    status = status_from_api(GUIDE, by_page[GUIDE])
    figures = {r.language: (r.translated, r.outdated) for r in status.records}
    assert figures == {"de": (9, 3), "es": (5, 0), "fr": (12, 0)}
    other = status_from_api("Advocacy/Other", by_page["Advocacy/Other"])
    assert {r.language: (r.translated, r.outdated) for r in other.records} == {
        "es": (30, 0),
        "fr": (4, 1),
    }


def test_prefer_language_stats() -> None:
    assert translate_api.prefer_language_stats(10, ["fr", "de"])
    assert not translate_api.prefer_language_stats(2, ["fr", "de", "es"])
    assert not translate_api.prefer_language_stats(100, None)  # all languages: per page


def test_extension_detection_from_siteinfo() -> None:
    data = json.loads((RECORDED / "siteinfo-translate.json").read_text(encoding="utf-8"))
    assert translate_api.has_translate(data["response"]["query"]["extensions"])
    assert not translate_api.has_translate([{"name": "ParserFunctions"}, {"name": "Cite"}])
    assert translate_api.page_group("Advocacy/Guide") == "page-Advocacy/Guide"


# ---------------------------------------------------------------------------------------------
# The same data computed from unit pages gives the same table.


def computed_guide() -> PageStatus:
    units = tuple(str(n) for n in range(1, 13))
    pages = [UnitPage(u, "fr", False, "2024-03-01T10:00:00Z") for u in units]
    pages += [UnitPage(u, "es", False, "2024-03-02T10:00:00Z") for u in units[:5]]
    pages += [UnitPage(u, "de", int(u) <= 3, "2024-03-03T10:00:00Z") for u in units]
    pages += [UnitPage(u, "en", False, "2024-01-01T10:00:00Z") for u in units]
    return status_from_units(GUIDE, units, pages, source_language="en")


def handbook() -> PageStatus:
    return status_from_subpages(
        "Advocacy/Handbook",
        "2024-03-10T00:00:00Z",
        {"fr": "2024-02-23T12:00:00Z", "zh": "2024-03-12T00:00:00Z"},
        source_language="en",
    )


@pytest.mark.parametrize(
    "view",
    [
        StatusView(prefix="Advocacy/", languages=("fr", "es", "de", "ar", "zh")),
        StatusView(prefix="Advocacy/"),  # every language seen
        StatusView(pages=(GUIDE,), languages=("fr", "es", "de", "ar"), sort="complete", lang="ar"),
        StatusView(pages=(GUIDE, "Advocacy/Handbook"), sort="outdated", lang="fr"),
    ],
    ids=["prefix-explicit", "prefix-all-seen", "single-page-ar", "pages-fr"],
)
def test_recorded_api_and_computed_path_render_the_same_table(view: StatusView) -> None:
    messages = Messages.load()
    from_api = api_guide()
    guide = computed_guide()
    statuses_api = [from_api] if view.pages == (GUIDE,) else [from_api, handbook()]
    statuses_computed = [guide] if view.pages == (GUIDE,) else [guide, handbook()]
    rendered_api = render_status_view(view, statuses_api, messages, "en")
    rendered_computed = render_status_view(view, statuses_computed, messages, "en")
    assert rendered_api == rendered_computed
    assert 'data-cell="Advocacy/Guide/de" data-sort-value="75"' in rendered_api


def test_records_agree_apart_from_what_only_one_source_knows() -> None:
    api = api_guide()
    computed = computed_guide()

    def figures(status: PageStatus) -> dict[str, tuple[int, int, int]]:
        return {r.language: (r.total, r.translated, r.outdated) for r in status.records}

    assert figures(api) == figures(computed)
    assert (api.kind, api.total) == (computed.kind, computed.total)
