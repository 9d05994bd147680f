"""The local record of who added each subscription (``bots.digest.consent``): one JSON file in
the state folder, written atomically. Losing it costs one longer run (the whole history of the
list is read again), never a wrong delivery.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

from bots.config.model import Config
from bots.digest.consent import ConsentState

log = logging.getLogger(__name__)


def store_path(config: Config) -> Path:
    name = f"digest-consent-{config.wiki.family}-{config.wiki.code}.json"
    return config.state_path / "cache" / name


def load_state(config: Config, list_page: str) -> ConsentState:
    try:
        data = json.loads(store_path(config).read_text(encoding="utf-8"))
        entry = data.get(list_page) or {}
        adders = {str(k): str(v) for k, v in (entry.get("adders") or {}).items()}
        lines = {str(k): str(v) for k, v in (entry.get("lines") or {}).items()}
        return ConsentState(int(entry.get("pageid", 0)), int(entry.get("revid", 0)), adders,
                            lines)
    except FileNotFoundError:
        return ConsentState()
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        log.warning("ignoring unreadable digest consent record: %s", exc)
        return ConsentState()


def save_state(config: Config, list_page: str, state: ConsentState) -> None:
    path = store_path(config)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            data = {}
    except (OSError, ValueError):
        data = {}
    data[list_page] = {"pageid": state.pageid, "revid": state.revid,
                       "adders": dict(sorted(state.adders.items())),
                       "lines": dict(sorted(state.lines.items()))}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".digest-consent-")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1)
        os.replace(tmp, path)
    except OSError as exc:  # the next run reads the history again
        log.warning("cannot save the digest consent record %s: %s", path, exc)
