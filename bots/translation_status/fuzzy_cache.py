"""A local cache of which unit translations are outdated (``!!FUZZY!!``), by revision id.

Whether a unit translation is outdated is in its text, and a revision's text never changes: a
unit page whose latest revision id is the one seen before is not read again. The unit listing
gives every unit's revision id (``bots.wiki.translate_api.unit_revisions``), so a run reads the
text of changed units only. The file lives in the state folder beside the index's case cache
(``<state_dir>/cache/translation-units-<family>-<code>.json``, the model being
``bots.index.case_cache``).

Fail closed: a file that cannot be read, was made for another wiki, another unit namespace or
another format, or holds a single malformed entry is ignored as a whole, and the run reads
every unit it needs (and writes a new cache). Deleting the file only makes the next run slower.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bots.config.model import Config
from bots.translation_status.records import FUZZY_MARK

log = logging.getLogger(__name__)

# Bump when the meaning or the shape of an entry changes.
CACHE_FORMAT = 1


def cache_key(family: str, code: str, namespace: int) -> str:
    """What the entries are valid for: the wiki, its unit namespace, the marker and format."""
    return f"{CACHE_FORMAT}|{family}:{code}|{namespace}|{FUZZY_MARK}"


def _entries(data: Mapping[str, Any]) -> dict[str, tuple[int, bool]] | None:
    """The entries of a loaded file, or None when anything in it is not as written."""
    if not isinstance(data.get("entries"), dict):
        return None
    out: dict[str, tuple[int, bool]] = {}
    for title, entry in data["entries"].items():
        if not (isinstance(entry, list) and len(entry) == 2):
            return None
        revid, fuzzy = entry
        valid_id = isinstance(revid, int) and not isinstance(revid, bool) and revid > 0
        if not (isinstance(title, str) and valid_id and isinstance(fuzzy, bool)):
            return None
        out[title] = (revid, fuzzy)
    return out


class FuzzyCache:
    """Unit page title -> (revision id, outdated). Load, look up, record, save atomically.

    Only what a run looked up or recorded is saved again, so units that left the tables (or
    the wiki) drop out of the file by themselves."""

    def __init__(self, path: Path, key: str) -> None:
        self.path = path
        self.key = key
        self._known: dict[str, tuple[int, bool]] = {}
        self._used: dict[str, tuple[int, bool]] = {}
        self.hits = 0

    @classmethod
    def for_wiki(cls, config: Config, family: str = "", code: str = "") -> FuzzyCache:
        """The cache of one wiki (default: ``config.wiki``), loaded."""
        family, code = family or config.wiki.family, code or config.wiki.code
        name = f"translation-units-{family}-{code}.json"
        key = cache_key(family, code, config.translations.unit_namespace)
        cache = cls(config.state_path / "cache" / name, key)
        cache.load()
        return cache

    @property
    def empty(self) -> bool:
        """Nothing known (no file, or one ignored): every unit's text has to be read."""
        return not self._known

    def load(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable translation unit cache %s: %s", self.path, exc)
            return
        if not isinstance(data, dict) or data.get("key") != self.key:
            log.info("translation unit cache %s is for other settings; starting afresh", self.path)
            return
        entries = _entries(data)
        if entries is None:
            log.warning("ignoring malformed translation unit cache %s", self.path)
            return
        self._known = entries

    def fuzzy(self, title: str, revid: int) -> bool | None:
        """Whether that revision of the unit page is outdated; None when it is not known."""
        entry = self._known.get(title)
        if entry is None or entry[0] != revid or revid <= 0:
            return None
        self._used[title] = entry
        self.hits += 1
        return entry[1]

    def record(self, title: str, revid: int, text: str) -> bool:
        """Remember a revision read now; whether it is outdated."""
        fuzzy = text.startswith(FUZZY_MARK)
        if revid > 0:
            self._known[title] = self._used[title] = (revid, fuzzy)
        return fuzzy

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".units-", suffix=".json")
        entries = {title: list(entry) for title, entry in sorted(self._used.items())}
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"key": self.key, "entries": entries}, fh, ensure_ascii=False)
            os.replace(tmp, self.path)  # atomic: a crash never leaves a half-written cache
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
