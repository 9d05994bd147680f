"""The last rows of each source wiki, kept on disk between runs.

A wiki that is not refreshed in a run (down, lagged, refused) shows what it showed when it
was last read, marked as not refreshed: never nothing, so no consumer (and no circuit breaker)
mistakes an unreachable wiki for removed cases. A wiki the community took off the
participation list is forgotten: its rows go.

Files: ``<state_dir>/sources/last-<wiki id>.json``, written atomically, holding the parse
results as the service returned them: a sensitive case only with what every list shows and
its contacts as placeholders (they are hidden again on loading, whatever the file says).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bots.cases.record import CaseParseResult
from bots.config.model import Config
from bots.sources.collect import without_sensitive_contacts
from bots.sources.records import (
    NotRefreshed,
    Refreshed,
    Skipped,
    SourceCase,
    SourcesReading,
    WikiTag,
)

log = logging.getLogger(__name__)

MEMORY_FORMAT = 1


@dataclass(frozen=True)
class KeptRows:
    """A not-refreshed wiki's cases as last read (none when it was never read)."""

    wiki: WikiTag
    cases: tuple[SourceCase, ...]
    refreshed_at: str  # when the wiki was last read ("": never)
    reason: str  # why it is not refreshed now


class LastRows:
    """Per wiki: the cases of its last reading. Remember a run's reading, recall a wiki's."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def for_config(cls, config: Config) -> LastRows:
        return cls(config.state_path / "sources")

    def _path(self, wiki_id: str) -> Path:
        return self.folder / f"last-{wiki_id}.json"  # ids are checked: a-z, 0-9, -

    def remember(self, reading: SourcesReading, read_at: str) -> None:
        """Store every refreshed wiki's cases; forget every skipped wiki's."""
        for state in reading.states:
            if isinstance(state, Refreshed):
                self._write(state, read_at)
            elif isinstance(state, Skipped):
                self._path(state.wiki.id).unlink(missing_ok=True)

    def _write(self, state: Refreshed, read_at: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        data = {"format": MEMORY_FORMAT, "wiki": state.wiki.id, "read_at": read_at,
                "results": [c.result.to_json() for c in state.cases]}  # fmt: skip
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".last-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, sort_keys=True)
        os.replace(tmp, self._path(state.wiki.id))

    def kept(self, state: NotRefreshed) -> KeptRows:
        """The wiki's last rows; none (and a logged warning) when the file is missing, of
        another format or unreadable."""
        try:
            data = json.loads(self._path(state.wiki.id).read_text(encoding="utf-8"))
            if data.get("format") != MEMORY_FORMAT or data.get("wiki") != state.wiki.id:
                raise ValueError("another format or another wiki")
            results = [without_sensitive_contacts(CaseParseResult.from_json(r))
                       for r in data["results"]]  # fmt: skip
        except FileNotFoundError:
            return KeptRows(state.wiki, (), "", state.reason)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("%s: the last rows cannot be read (%s); none kept", state.wiki.id, exc)
            return KeptRows(state.wiki, (), "", state.reason)
        cases = tuple(SourceCase(state.wiki, r) for r in results)
        return KeptRows(state.wiki, cases, str(data.get("read_at", "")), state.reason)
