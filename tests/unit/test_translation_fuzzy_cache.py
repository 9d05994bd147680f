"""The local cache of outdated unit translations (bots.translation_status.fuzzy_cache)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bots.translation_status.fuzzy_cache import FuzzyCache, cache_key

UNIT = "Translations:Guide/1/fr"
KEY = cache_key("advocacydev", "en", 1198)


def fresh(path: Path) -> FuzzyCache:
    cache = FuzzyCache(path, KEY)
    cache.load()
    return cache


def test_a_recorded_revision_is_known_after_a_save(tmp_path: Path) -> None:
    path = tmp_path / "units.json"
    cache = fresh(path)
    assert cache.empty
    assert cache.record(UNIT, 10, "!!FUZZY!!Bonjour") is True
    assert cache.record("Translations:Guide/2/fr", 11, "Salut") is False
    cache.save()
    again = fresh(path)
    assert not again.empty
    assert again.fuzzy(UNIT, 10) is True
    assert again.fuzzy("Translations:Guide/2/fr", 11) is False
    assert again.hits == 2


def test_another_revision_is_unknown(tmp_path: Path) -> None:
    path = tmp_path / "units.json"
    cache = fresh(path)
    cache.record(UNIT, 10, "Bonjour")
    cache.save()
    assert fresh(path).fuzzy(UNIT, 11) is None  # edited since: read again
    assert fresh(path).fuzzy("Translations:Guide/9/fr", 10) is None


def test_only_what_a_run_used_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "units.json"
    cache = fresh(path)
    cache.record(UNIT, 10, "Bonjour")
    cache.record("Translations:Gone/1/fr", 12, "Parti")
    cache.save()
    second = fresh(path)
    assert second.fuzzy(UNIT, 10) is False
    second.save()
    assert set(json.loads(path.read_text())["entries"]) == {UNIT}


def test_a_revision_without_id_is_not_remembered(tmp_path: Path) -> None:
    path = tmp_path / "units.json"
    cache = fresh(path)
    assert cache.record(UNIT, 0, "!!FUZZY!!x") is True
    assert cache.fuzzy(UNIT, 0) is None


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        "[]",
        json.dumps({"key": KEY}),
        json.dumps({"key": KEY, "entries": {UNIT: [10]}}),
        json.dumps({"key": KEY, "entries": {UNIT: ["10", True]}}),
        json.dumps({"key": KEY, "entries": {UNIT: [True, True]}}),
        json.dumps({"key": KEY, "entries": {UNIT: [-3, True]}}),
        json.dumps({"key": KEY, "entries": {UNIT: [10, "yes"]}}),
        json.dumps({"key": KEY, "entries": {UNIT: [10, True], "x": [1, 2]}}),
        json.dumps({"key": cache_key("advocacydevfr", "fr", 1198), "entries": {UNIT: [10, 1]}}),
        json.dumps({"key": cache_key("advocacydev", "en", 1200), "entries": {UNIT: [10, True]}}),
    ],
)
def test_a_file_not_as_written_is_ignored_as_a_whole(tmp_path: Path, content: str) -> None:
    path = tmp_path / "units.json"
    path.write_text(content, encoding="utf-8")
    cache = fresh(path)
    assert cache.empty
    assert cache.fuzzy(UNIT, 10) is None


def test_the_file_is_replaced_whole(tmp_path: Path) -> None:
    path = tmp_path / "deeper" / "units.json"
    cache = fresh(path)
    cache.record(UNIT, 10, "Bonjour")
    cache.save()
    assert json.loads(path.read_text()) == {"key": KEY, "entries": {UNIT: [10, False]}}
    assert [p.name for p in path.parent.iterdir()] == ["units.json"]  # no temporary left
