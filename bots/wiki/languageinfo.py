"""The wiki's own language data: autonyms, directions and fallback chains (``meta=languageinfo``).

MediaWiki (1.34 and later) describes every language it knows through
``action=query&meta=languageinfo&liprop=autonym|dir|fallbacks&licode=*``. The answer is
computed within a time budget, so it comes in several parts joined by ``licontinue``; the
whole is a few hundred languages that change only with the wiki's version, so it is kept in
the state folder (``<state_dir>/languageinfo.json``, with the wiki's family and code and the time it
was read) and asked again after :data:`MAX_AGE_SECONDS`. When the wiki cannot answer, an older copy
is used, else the data shipped with the bot (``bots.i18n.languages.bundled_language_data``):
language data never stops a run.

The pure code takes the result as an argument (``Messages.load(languages=...)``).
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

from bots.errors import BotStop
from bots.i18n.languages import LanguageData, LanguageInfoAnswer, bundled_language_data
from bots.wiki.session import WikiSession

__all__ = ["CACHE_FILE", "MAX_AGE_SECONDS", "fetch_languageinfo", "language_data"]

CACHE_FILE = "languageinfo.json"
MAX_AGE_SECONDS = 7 * 24 * 3600  # a wiki's languages change with its version, not by the hour
LIPROP = "autonym|dir|fallbacks"

log = logging.getLogger(__name__)


def fetch_languageinfo(session: WikiSession) -> dict[str, LanguageInfoAnswer]:
    """Every language the wiki knows (all parts of the answer, following ``licontinue``)."""
    found: dict[str, LanguageInfoAnswer] = {}
    for query in session.query_results(meta="languageinfo", liprop=LIPROP, licode="*"):
        for code, info in query.get("languageinfo", {}).items():
            if isinstance(info, dict):
                found[str(code)] = {
                    "autonym": str(info.get("autonym", "")),
                    "dir": str(info.get("dir", "ltr")),
                    "fallbacks": [str(f) for f in info.get("fallbacks", [])],
                }
    return found


def _site_key(session: WikiSession) -> str:
    wiki = session.config.wiki
    return f"{wiki.family}:{wiki.code}"


def _read_cache(path: Path, site: str) -> tuple[float, dict[str, LanguageInfoAnswer]] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("site") != site or not isinstance(data.get("languageinfo"), dict):
            return None
        return float(data["fetched"]), data["languageinfo"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _write_cache(path: Path, site: str, answer: dict[str, LanguageInfoAnswer], now: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    record = {"site": site, "fetched": now, "languageinfo": answer}
    temporary.write_text(json.dumps(record, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    os.replace(temporary, path)  # a reader never sees half a file


def language_data(
    session: WikiSession,
    state_dir: Path,
    *,
    max_age_seconds: float = MAX_AGE_SECONDS,
    now: float | None = None,
) -> LanguageData:
    """The wiki's language data: from the state folder while fresh, else asked (and kept)."""
    now = time.time() if now is None else now
    site = _site_key(session)
    path = state_dir / CACHE_FILE
    cached = _read_cache(path, site)
    if cached is not None and 0 <= now - cached[0] <= max_age_seconds:
        return LanguageData.from_languageinfo(cached[1], f"{site} (kept)")
    try:
        answer = fetch_languageinfo(session)
    except BotStop:
        raise
    except Exception as exc:  # the wiki could not say: an older copy, else the shipped data
        log.warning("language data: the wiki did not answer (%s); using %s", exc,
                    "an older copy" if cached else "the data shipped with the bot")  # fmt: skip
        if cached is not None:
            return LanguageData.from_languageinfo(cached[1], f"{site} (kept, old)")
        return bundled_language_data()
    if not answer:
        return bundled_language_data()
    try:
        _write_cache(path, site, answer, now)
    except OSError as exc:  # a read-only state folder costs a request next time, nothing more
        log.warning("language data: cannot keep it in %s (%s)", path, exc)
    return LanguageData.from_languageinfo(answer, site)
