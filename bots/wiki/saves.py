"""Guarded saves: the only way the bot writes to a wiki.

Every save goes through the same gate, in this order: the page must be one the configuration
allows (or, for digests, a talk page); the new text must differ from the text it was computed
from (no null edits); the shutoff page, the account and its block state are checked; the edit is
sent with the base revision's timestamp, the read's start timestamp and `assertuser`, so that a
human edit in between is a conflict (re-read and re-applied, never overwritten) and a page
deleted in between is not silently re-created.
"""

from __future__ import annotations

import difflib
import logging
import sys
from collections.abc import Callable
from typing import Any, TextIO

from bots.config.permissions import delivery_refusal, edit_refusal
from bots.errors import BlockedError, WikiUnavailableError, WrongUserError
from bots.outcomes import EditConflict, EditOutcome, Failed, Saved, Skipped, Unchanged
from bots.wiki.records import PageSnapshot
from bots.wiki.session import WikiSession

log = logging.getLogger(__name__)

MAX_CONFLICT_RETRIES = 3

_SKIP_CODES = {
    "protectedpage": "the page is protected against the bot",
    "cascadeprotected": "the page is protected by cascading protection",
    "protectedtitle": "the title is protected against creation",
    "protectednamespace": "the namespace is protected",
    "protectednamespace-interface": "interface pages cannot be edited",
    "titleblacklist-forbidden": "the title is on the title blacklist",
    "abusefilter-disallowed": "an abuse filter refused the edit",
    "abusefilter-warning": "an abuse filter warned against the edit",
    "cantcreate": "the account may not create this page",
    "invalidtitle": "the title is invalid",
    "contenttoobig": "the new text is larger than the wiki allows",
}


def print_diff(title: str, old: str | None, new: str, out: TextIO | None = None) -> None:
    """Print a unified diff of one edit (operators read these in dry runs)."""
    out = out or sys.stdout
    lines = difflib.unified_diff(
        (old or "").splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"{title} (on wiki)",
        tofile=f"{title} (bot)",
    )
    text = "".join(lines)
    out.write(text if text.endswith("\n") or not text else text + "\n")


def save_page(
    session: WikiSession,
    title: str,
    build: Callable[[PageSnapshot], str | None],
    summary: str | Callable[[PageSnapshot, str], str],
    *,
    base: PageSnapshot | None = None,
    minor: bool = True,
    may_create: bool = False,
    show_diff: bool = False,
    diff_out: TextIO | None = None,
    refusal: Callable[[str, int], str | None] | None = None,
) -> EditOutcome:
    """Compute a page's new text from its current text and save it if it changed.

    ``build`` receives the snapshot the edit is based on and returns the new text (or None for
    "leave it"). On an edit conflict the page is read again and ``build`` runs again on the
    fresh text, so a human's edit is never overwritten.
    """
    name, namespace = session.normalize(title)
    refused = (
        refusal(name, namespace) if refusal else edit_refusal(name, namespace, session.config)
    )
    if refused:
        return Skipped(name, refused)
    for _attempt in range(MAX_CONFLICT_RETRIES + 1):
        if base is None:
            base = session.read_pages([name])[name]
        if not base.exists and not may_create:
            return Skipped(name, "the page does not exist (the bot does not create it)")
        if base.is_redirect:
            return Skipped(name, "the page is a redirect; the bot does not follow it to edit")
        new_text = build(base)
        # MediaWiki trims trailing whitespace on save; compare as it will store the text
        if new_text is None or new_text.rstrip() == (base.text or "").rstrip():
            return Unchanged(name)
        new_text = new_text.rstrip()
        text_summary = summary if isinstance(summary, str) else summary(base, new_text)
        if show_diff:
            print_diff(name, base.text, new_text, diff_out)
        outcome = _submit_edit(session, base, new_text, text_summary, minor=minor)
        if isinstance(outcome, EditConflict):
            log.info("edit conflict on %s; reading it again", name)
            base = None
            continue
        return outcome
    return Failed(name, f"edit conflicts persisted after {MAX_CONFLICT_RETRIES} retries")


def post_section(
    session: WikiSession,
    base: PageSnapshot,
    heading: str,
    text: str,
    summary: str,
    *,
    may_create: bool,
    show_diff: bool = False,
    diff_out: TextIO | None = None,
) -> EditOutcome | EditConflict:
    """Add a new section to a talk page (digest delivery): never minor, so the user is notified.

    An :class:`EditConflict` means the page was created since ``base`` was read, or the same
    section was posted already (a resent request): the caller reads it again and decides."""
    refusal = delivery_refusal(base.title, base.namespace)
    if refusal:
        return Skipped(base.title, refusal)
    if not base.exists and not may_create:
        return Skipped(base.title, "the page does not exist")
    if show_diff:
        print_diff(base.title, "", f"== {heading} ==\n{text}\n", diff_out)
    return _submit_edit(session, base, text, summary, minor=False, section_heading=heading)


def _submit_edit(
    session: WikiSession,
    base: PageSnapshot,
    text: str,
    summary: str,
    *,
    minor: bool,
    section_heading: str | None = None,
) -> EditOutcome | EditConflict:
    """Send the edit after the preflight checks; a refusal becomes its outcome or a BotStop."""
    from pywikibot.exceptions import APIError  # lazily, as everywhere (bots.wiki.runtime)

    session.preflight()
    params: dict[str, Any] = {
        "action": "edit",
        "title": base.title,
        "text": text,
        "summary": summary,
        "bot": True,
        "assert": "user",
        "assertuser": session.config.wiki.user,
        "watchlist": "nochange",
        "token": session.site.tokens["csrf"],
    }
    if minor:
        params["minor"] = True
    else:
        params["notminor"] = True
    if section_heading is not None:
        params["section"] = "new"
        params["sectiontitle"] = section_heading
    if base.exists:
        params["nocreate"] = True
        # The base revision, for new sections too: MediaWiki then refuses a repeated post of
        # the same section (same account, same summary) as a conflict, so a post whose answer
        # was lost and that is sent again is not saved twice. Other people's edits in between
        # never conflict with a new section.
        if base.timestamp:
            params["basetimestamp"] = base.timestamp
        if base.revid:
            # Timestamps have one-second resolution: a human edit in the same second as
            # the base revision would not be a conflict by timestamp alone.
            params["baserevid"] = base.revid
    else:
        params["createonly"] = True
    if base.read_at:
        # a deletion after this moment makes MediaWiki refuse instead of re-creating
        params["starttimestamp"] = base.read_at
    try:
        result = session.api(**params)
    except APIError as exc:
        code = exc.code
        if code in ("editconflict", "articleexists"):
            return EditConflict(base.title)
        if code in ("pagedeleted", "missingtitle"):
            return Skipped(base.title, "the page was deleted after the bot read it; not re-created")
        if code in ("assertuserfailed", "assertnameduserfailed", "notloggedin"):
            raise WrongUserError(f"refusing to edit: {exc.info}") from exc
        if code in ("blocked", "autoblocked"):
            raise BlockedError(f"the bot account is blocked: {exc.info}") from exc
        if code == "readonly":
            raise WikiUnavailableError(f"the wiki is read-only: {exc.info}") from exc
        if code == "spamblacklist":
            matches = ", ".join(exc.other.get("spamblacklist", {}).get("matches", []))
            return Failed(base.title, f"the spam blacklist refused these URLs: {matches}")
        if code in _SKIP_CODES:
            return Skipped(base.title, f"{_SKIP_CODES[code]} ({code})")
        return Failed(base.title, f"the wiki refused the edit: {code}: {exc.info}")
    edit = result.get("edit", {})
    if edit.get("result") != "Success":
        if "spamblacklist" in edit:
            return Failed(base.title, f"the spam blacklist refused: {edit['spamblacklist']}")
        return Failed(base.title, f"the wiki did not save the edit: {edit}")
    if session.simulate:
        return Saved(base.title, 0, summary, simulated=True)
    if "nochange" in edit:
        return Unchanged(base.title)
    session.saved_count += 1
    return Saved(base.title, int(edit.get("newrevid", 0)), summary)
