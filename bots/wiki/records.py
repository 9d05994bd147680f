"""Plain records of what the wiki answered: page snapshots, account information, request counts.

Built from API answers by :mod:`bots.wiki.session`; everything above the wiki layer works on
these, never on Pywikibot objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bots.wikitext.truncate import truncate

RELEVANT_RIGHTS = ("bot", "apihighlimits", "noratelimit", "editprotected", "highvolume")


@dataclass(frozen=True)
class PageSnapshot:
    """One page as read at one moment: the base of any later save."""

    title: str
    namespace: int
    exists: bool
    text: str | None = None
    revid: int = 0
    timestamp: str = ""  # of the latest revision (ISO 8601, UTC)
    read_at: str = ""  # server time of the read; MediaWiki's starttimestamp for saves
    pageid: int = 0
    is_redirect: bool = False
    user: str = ""
    content_model: str = "wikitext"
    language: str = ""  # the page's content language (prop=info pagelanguage)


@dataclass(frozen=True)
class AccountInfo:
    name: str
    groups: tuple[str, ...]
    rights: tuple[str, ...]
    blocked: bool
    block_reason: str = ""
    has_new_message: bool = False


# MediaWiki's default $wgMaxArticleSize (2048 KiB), for a wiki that does not say its own
DEFAULT_MAX_PAGE_BYTES = 2048 * 1024


@dataclass(frozen=True)
class SiteLimits:
    """The wiki's facts every save needs: its maximum page size (siteinfo ``maxarticlesize``,
    in bytes) and its content language (for edit summaries)."""

    max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES
    content_language: str = "en"


def limits_from(general: Mapping[str, Any]) -> SiteLimits:
    """:class:`SiteLimits` from siteinfo's ``general`` part (defaults for what is missing)."""
    size = general.get("maxarticlesize")
    valid = isinstance(size, int) and not isinstance(size, bool) and size > 0
    return SiteLimits(
        max_page_bytes=size if valid and isinstance(size, int) else DEFAULT_MAX_PAGE_BYTES,
        content_language=str(general.get("lang") or "en"),
    )


@dataclass
class RequestCounter:
    """Counts HTTP responses and bytes seen by this process (the server log is the referee)."""

    requests: int = 0
    bytes: int = 0
    by_action: dict[str, int] = field(default_factory=dict)


def block_message(blockinfo: Mapping[str, Any] | None, fallback: str = "") -> str:
    """Why the bot stops: who blocked the account and the reason they gave."""
    info = blockinfo or {}
    if info.get("blockedby") or info.get("blockreason"):
        return (
            f"the bot account is blocked by {info.get('blockedby')}: "
            f"{info.get('blockreason', '')}"
        )
    return f"the bot account is blocked: {fallback}"


@dataclass(frozen=True)
class ShutoffReading:
    """What the shutoff page says: run (no ``stop_reason``), or why the bot must stop."""

    page: str
    stop_reason: str | None = None

    @property
    def says_run(self) -> bool:
        return self.stop_reason is None

    def describe(self) -> str:
        """``run`` or ``stop (<reason>)``, as `check` and `status` show it."""
        return "run" if self.stop_reason is None else f"stop ({self.stop_reason})"


def shutoff_state(text: str | None, run_value: str) -> str | None:
    """None when the shutoff page says run; otherwise a short reason. Pure."""
    if text is None:
        return "the shutoff page does not exist"
    value = text.strip()
    if value.casefold() == run_value.casefold():
        return None
    shown = truncate(value, 41)
    return f"it says {shown!r}, not {run_value!r}"


def content_of(page: Mapping[str, Any]) -> str | None:
    """The main slot's text of a page record's first revision; None for a missing page."""
    revs = page.get("revisions") or []
    if page.get("missing") or not revs:
        return None
    rev = revs[0]
    slots = rev.get("slots", {})
    content = slots["main"].get("content") if "main" in slots else rev.get("content")
    return None if content is None else str(content)


def snapshot_from(page: Mapping[str, Any], read_at: str) -> PageSnapshot:
    revs = page.get("revisions") or []
    rev = revs[-1] if revs else {}
    missing = bool(page.get("missing")) or bool(page.get("invalid"))
    return PageSnapshot(
        title=page.get("title", ""),
        namespace=int(page.get("ns", 0)),
        exists=not missing,
        text=content_of(page),
        revid=int(rev.get("revid", page.get("lastrevid", 0)) or 0),
        timestamp=rev.get("timestamp", ""),
        read_at=read_at,
        pageid=int(page.get("pageid", 0) or 0),
        is_redirect=bool(page.get("redirect")),
        user=rev.get("user", ""),
        content_model=page.get("contentmodel", "wikitext"),
        language=page.get("pagelanguage", ""),
    )


def account_from(user: Mapping[str, Any]) -> AccountInfo:
    return AccountInfo(
        name=user.get("name", ""),
        groups=tuple(user.get("groups", ())),
        rights=tuple(r for r in user.get("rights", ()) if r in RELEVANT_RIGHTS),
        blocked="blockid" in user,
        block_reason=user.get("blockreason", ""),
        has_new_message=bool(user.get("messages")),
    )


def merge_page(merged: dict[str, Any], page: Mapping[str, Any]) -> None:
    """Add one response's record of a page to what earlier responses said about it.

    A response too large for the API's result size limit is cut short, and continued: later
    responses list the page again with the rest of its lists (revisions, links ...)."""
    for key, value in page.items():
        if isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = merged[key] + value
        else:
            merged.setdefault(key, value)
