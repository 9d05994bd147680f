"""A local cache of parsed case pages, keyed by wiki (one file each), page title and revision id.

Parsing is the main CPU cost at scale, so a page whose latest revision id is unchanged is not
read or parsed again. The cache only makes runs faster: deleting it (or changing the settings
that affect parsing, which changes its key) makes the next run read and parse everything from
the wiki, with the same result.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from bots.cases.parser import parser_fingerprint
from bots.config.model import Config

log = logging.getLogger(__name__)

# Bump when the shape of cached parse results changes.
# 2: entries say whether the page has translation units ("units"), for the languages column.
CACHE_FORMAT = 2


def parse_settings_key(config: Config, template_names: frozenset[str]) -> str:
    """A digest of everything that changes how a page is parsed: settings and parser version."""
    return f"{CACHE_FORMAT}-{parser_fingerprint(config, sorted(template_names))}"


class CaseCache:
    """Title -> (revision id, JSON-ready parse result). Load, look up, update, save atomically."""

    def __init__(self, path: Path, key: str) -> None:
        self.path = path
        self.key = key
        self.entries: dict[str, dict[str, Any]] = {}

    @classmethod
    def for_config(
        cls, config: Config, template_names: frozenset[str], wiki: str = ""
    ) -> CaseCache:
        """The cache of one wiki: the central wiki's (``wiki`` "") or a source wiki's (its
        id): titles are unique only within one wiki, so each wiki has its own file."""
        name = (f"cases-source-{wiki}.json" if wiki
                else f"cases-{config.wiki.family}-{config.wiki.code}.json")  # fmt: skip
        cache = cls(config.state_path / "cache" / name, parse_settings_key(config, template_names))
        cache.load()
        return cache

    def load(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable case cache %s: %s", self.path, exc)
            return
        if data.get("key") != self.key:
            log.info("case cache %s was made with other settings; starting afresh", self.path)
            return
        self.entries = data.get("entries", {})

    def get(self, title: str, revid: int) -> dict[str, Any] | None:
        entry = self.entries.get(title)
        if entry and entry.get("revid") == revid:
            return entry["result"]  # type: ignore[no-any-return]
        return None

    def put(self, title: str, revid: int, result: dict[str, Any], *, units: bool = False) -> None:
        """``units``: the page holds translation units (Translate's ``<!--T:n-->`` markers)."""
        self.entries[title] = {"revid": revid, "result": result}
        if units:
            self.entries[title]["units"] = True

    def has_units(self, title: str) -> bool:
        """Whether the cached revision of the page holds translation units."""
        return bool(self.entries.get(title, {}).get("units"))

    def retain(self, titles: set[str]) -> None:
        """Forget pages that no longer carry a case (deleted, moved, template removed)."""
        for title in list(self.entries):
            if title not in titles:
                del self.entries[title]

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".cases-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"key": self.key, "entries": self.entries}, fh, ensure_ascii=False)
            os.replace(tmp, self.path)  # atomic: a crash never leaves a half-written cache
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
