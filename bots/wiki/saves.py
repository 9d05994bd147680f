"""Guarded saves: the only way the bot writes to a wiki.

Every save goes through the same gate, in this order: the page must be one the configuration
allows (or, for digests, a talk page); the new text must differ from the text it was computed
from (no null edits); the shutoff page, the account and its block state are checked; the edit is
sent with the base revision's id (never its timestamp: see :func:`_submit_edit`), the read's
start timestamp and `assertuser`, so that a human edit in between is a conflict (re-read and
re-applied, never overwritten) and a page deleted in between is not silently re-created.

MediaWiki's conflict check is not trusted alone (issue 11.8). The answer to every save names the
revision the edit was applied on (`oldrevid`; none for a creation). When that is not the
revision the bot read, someone edited in between and the wiki merged the edits or let the save
go over theirs: the bot reads their revision at once, builds its change again on their text and
saves that on top (or puts their text back when the bot would have left their version alone),
and the outcome says so (:class:`bots.outcomes.Saved` ``applied_on``, ``note``). A new section
is appended to the page as it is, so it only reports such an edit.
"""

from __future__ import annotations

import difflib
import logging
import sys
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TextIO

from bots.config.permissions import delivery_refusal, edit_refusal
from bots.errors import BlockedError, BotStop, WikiUnavailableError, WrongUserError
from bots.i18n.messages import Messages
from bots.outcomes import EditConflict, EditOutcome, Failed, Saved, Skipped, Unchanged
from bots.wiki.landing import LandingUnreadable, read_landing
from bots.wiki.limits import too_big
from bots.wiki.records import PageSnapshot
from bots.wiki.session import WikiSession

log = logging.getLogger(__name__)

MAX_CONFLICT_RETRIES = 3
_REDIRECT = "the page is a redirect; the bot does not follow it to edit"

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
    fresh text, so a human's edit is never overwritten. When the wiki applied the save on top
    of a revision the bot had not read, ``build`` runs again on that revision's text and the
    result is saved on top at once (:func:`_landed_elsewhere`).

    Any failure while saving this page, other than a stop of the whole run (:class:`BotStop`:
    shutoff, block, wrong account, wiki down, stop requested), is this page's :class:`Failed`
    outcome: the caller goes on with its next page.
    """
    try:
        name, namespace = session.normalize(title)
    except Exception as exc:
        return _failure(title, exc)
    refused = (
        refusal(name, namespace) if refusal else edit_refusal(name, namespace, session.config)
    )
    if refused:
        return Skipped(name, refused)
    job = _Save(session, name, build, summary, minor=minor, may_create=may_create,
                show_diff=show_diff, diff_out=diff_out)  # fmt: skip
    try:
        return job.run(base)
    except BotStop:
        raise
    except Exception as exc:
        return _failure(name, exc)


def _failure(title: str, exc: Exception) -> Failed:
    """A failure while saving one page, as that page's outcome (the traceback goes to the log)."""
    log.error("saving %s failed", title, exc_info=exc)
    detail = str(exc).splitlines()[0][:200] if str(exc) else ""
    return Failed(title, f"the save failed: {type(exc).__name__}"
                         + (f": {detail}" if detail else ""))  # fmt: skip


class _Save:
    """One guarded save of a page: conflicts re-read, a save landed elsewhere redone on top."""

    def __init__(
        self, session: WikiSession, name: str, build: Callable[[PageSnapshot], str | None],
        summary: str | Callable[[PageSnapshot, str], str], *, minor: bool, may_create: bool,
        show_diff: bool, diff_out: TextIO | None,
    ) -> None:  # fmt: skip
        self.session = session
        self.name = name
        self.build = build
        self.summary = summary
        self.minor = minor
        self.may_create = may_create
        self.show_diff = show_diff
        self.diff_out = diff_out
        self.landed: Saved | None = None  # the save that went on top of an unread revision
        self.person = ""  # who made that revision

    def run(self, base: PageSnapshot | None) -> EditOutcome:
        # ``source``: the text the change is built on; ``target``: the revision the save must
        # land on. The same, except after a save landed on someone's edit: then the change is
        # built on their revision and saved on top of the bot's own.
        source = target = base
        for _attempt in range(MAX_CONFLICT_RETRIES + 1):
            if source is None or target is None:
                source = target = self.session.read_pages([self.name])[self.name]
            if not target.exists and not self.may_create:
                return Skipped(self.name, "the page does not exist (the bot does not create it)")
            if target.is_redirect:
                return Skipped(self.name, _REDIRECT)
            new_text = self.build(source)
            restore = new_text is None and self.landed is not None
            if restore:
                new_text = source.text or ""  # the bot would have left the person's text alone
            # MediaWiki trims trailing whitespace on save; compare as it will store the text
            if new_text is None or new_text.rstrip() == (target.text or "").rstrip():
                return self._final(None)
            new_text = new_text.rstrip()
            failed = too_big(self.session, self.name, len(new_text.encode("utf-8")))
            if failed is not None:
                return self._not_redone(failed)
            text_summary = self._summary(source, new_text, restore=restore)
            if self.show_diff:
                print_diff(self.name, target.text, new_text, self.diff_out)
            outcome = _submit_edit(self.session, target, new_text, text_summary, minor=self.minor)
            if isinstance(outcome, EditConflict):
                log.info("edit conflict on %s; reading it again", self.name)
                source = target = None
                continue
            if isinstance(outcome, Unchanged):  # the page held this text already
                return self._final(None)
            if not isinstance(outcome, Saved):
                return self._not_redone(outcome)
            if outcome.simulated or not outcome.landed_on_other_edit:
                return self._final(outcome)
            landing = self._landed_elsewhere(outcome)
            if isinstance(landing, Failed):
                return landing
            source, target = landing
        return self._not_redone(
            Failed(self.name, f"edit conflicts persisted after {MAX_CONFLICT_RETRIES} retries"))

    def _summary(self, source: PageSnapshot, new_text: str, *, restore: bool) -> str:
        if self.landed is None:
            return self.summary if isinstance(self.summary, str) else self.summary(source, new_text)
        lang = self.session.site_limits().content_language
        messages = Messages.load()
        if restore:
            return messages.msg("advocacyhub-summary-restored", lang, self._diff, self.person)
        own = self.summary if isinstance(self.summary, str) else self.summary(source, new_text)
        return "; ".join((own, messages.msg("advocacyhub-summary-redone", lang, self._diff,
                                            self.person)))  # fmt: skip

    @property
    def _diff(self) -> str:
        """The link target showing the edits the save landed on."""
        assert self.landed is not None
        return f"Special:Diff/{self.landed.base_revid}/{self.landed.applied_on}"

    def _landed_elsewhere(self, saved: Saved) -> tuple[PageSnapshot, PageSnapshot] | Failed:
        """The save went on top of someone's revision (``saved.applied_on``) instead of the one
        the bot read: read theirs and the bot's at once, to build the change again on theirs."""
        log.warning("%s: the save landed on revision %s, not on %s that the bot read",
                    self.name, saved.applied_on, saved.base_revid)  # fmt: skip
        try:
            landing = read_landing(self.session, saved)
        except LandingUnreadable as exc:
            if self.landed is None:
                self.landed = saved
            return self._redo_failure(str(exc))
        if self.landed is None:
            self.landed = saved
            self.person = landing.person.user or "?"
        if landing.current is None:
            return self._redo_failure("the page changed again after the save")
        return landing.person, landing.current

    def _final(self, saved: Saved | None) -> EditOutcome:
        """The outcome: the last save (or none needed), carrying what the first save landed on."""
        first = self.landed
        if first is None:
            return saved or Unchanged(self.name)
        what = (f"{self.name}: an edit by {self.person} (revision {first.applied_on}) came in"
                f" between the bot's read (revision {first.base_revid}) and its save; ")
        if saved is None:
            # the wiki merged the two edits: the bot's revision already holds both
            return replace(first, note=what + "the page holds both edits, nothing to redo")
        return replace(saved, base_revid=first.base_revid, applied_on=first.applied_on,
                       note=what + f"the bot's change was redone on top of it (revision "
                                   f"{saved.revid})")  # fmt: skip

    def _not_redone(self, outcome: EditOutcome) -> EditOutcome:
        """A save that landed on someone's edit and could not be redone may leave the bot's
        text over theirs: a failure of the run that names the diff to check, never a skip."""
        if self.landed is None:
            return outcome
        return self._redo_failure(
            outcome.reason if isinstance(outcome, Skipped | Failed) else "not saved")

    def _redo_failure(self, reason: str) -> Failed:
        first = self.landed
        assert first is not None
        return Failed(self.name, (
            f"the save landed on revision {first.applied_on} by {self.person or '?'}, made after"
            f" the bot read revision {first.base_revid}, and could not be redone on top of it"
            f" ({reason}); check {self._diff}"))  # fmt: skip


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
    section was posted already (a resent request): the caller reads it again and decides.

    A new section is always appended to the page as it is when the save arrives, so an edit
    made after the read is never lost: when the save landed on a revision the bot had not read,
    the outcome says so (``Saved.landed_on_other_edit``, and a note) and nothing is redone.
    Failures other than a stop of the whole run are this page's :class:`Failed` outcome.
    """
    refusal = delivery_refusal(base.title, base.namespace)
    if refusal:
        return Skipped(base.title, refusal)
    if not base.exists and not may_create:
        return Skipped(base.title, "the page does not exist")
    try:
        section = f"== {heading} ==\n{text}\n"
        size = len((base.text or "").encode("utf-8")) + len(section.encode("utf-8")) + 2
        failed = too_big(session, base.title, size)
        if failed is not None:
            return failed
        if show_diff:
            print_diff(base.title, "", section, diff_out)
        outcome = _submit_edit(session, base, text, summary, minor=False, section_heading=heading)
    except BotStop:
        raise
    except Exception as exc:
        return _failure(base.title, exc)
    if isinstance(outcome, Saved) and not outcome.simulated and outcome.landed_on_other_edit:
        outcome = replace(outcome, note=(
            f"{base.title}: the new section went on top of revision {outcome.applied_on},"
            f" made after the bot read revision {outcome.base_revid}; both are on the page"
        ))  # fmt: skip
    return outcome


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
        #
        # The revision id alone, never `basetimestamp`: given a base timestamp, MediaWiki
        # drops a conflict when no revision is *newer* than that timestamp except the
        # account's own ("conflict with self"). Timestamps have one-second resolution, so a
        # person's edit (or a deletion and re-creation) in the same second as the bot's base
        # revision was not a conflict, and the bot's save went over it. With `baserevid` only,
        # every revision other than the base is a conflict (merged or refused).
        if base.revid:
            params["baserevid"] = base.revid
        elif base.timestamp:
            params["basetimestamp"] = base.timestamp
    else:
        params["createonly"] = True
    if base.read_at:
        # a deletion after this moment makes MediaWiki refuse instead of re-creating
        params["starttimestamp"] = base.read_at
    try:
        try:
            result = session.api(**params)
        except APIError as exc:
            if exc.code != "badtoken":
                raise
            # The session was lost between two pre-write checks: the wiki refused the edit
            # (``assert``), Pywikibot logged in again and resent the lost session's token.
            # Nothing was saved: check afresh, then send it once more with a new token.
            session.site.tokens.clear()
            session.forget_check()
            session.preflight()
            result = session.api(**{**params, "token": session.site.tokens["csrf"]})
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
        if code == "contenttoobig":
            return Failed(base.title, f"the new text is larger than the wiki allows ({code}: "
                                      f"{exc.info})")  # fmt: skip
        if code in _SKIP_CODES:
            return Skipped(base.title, f"{_SKIP_CODES[code]} ({code})")
        return Failed(base.title, f"the wiki refused the edit: {code}: {exc.info}")
    edit = result.get("edit", {})
    if edit.get("result") != "Success":
        if "spamblacklist" in edit:
            return Failed(base.title, f"the spam blacklist refused: {edit['spamblacklist']}")
        return Failed(base.title, f"the wiki did not save the edit: {edit}")
    read = base.revid if base.exists else 0
    if session.simulate:
        return Saved(base.title, 0, summary, simulated=True, base_revid=read, applied_on=read)
    if "nochange" in edit:
        return Unchanged(base.title)
    session.saved_count += 1
    # `oldrevid`: the revision the edit was applied on (absent for a page creation)
    applied_on = 0 if edit.get("new") else int(edit.get("oldrevid") or 0)
    return Saved(base.title, int(edit.get("newrevid", 0)), summary, base_revid=read,
                 applied_on=applied_on)  # fmt: skip
