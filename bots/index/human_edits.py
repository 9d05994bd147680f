"""Edits by people inside the bot's regions: who made them, and the diff that shows them.

The bot replaces such an edit (the region is its own), but names it: in the edit summary, in
the run's notes and in the needs-attention list, so that the person can move lasting content
outside the markers. Two cases: someone edited since the bot's last save (seen when the page
is read), and someone's edit that MediaWiki merged under the bot's save (seen after it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bots.wiki.revisions import Revision, latest_revisions
from bots.wiki.session import WikiSession
from bots.wikitext.problems import Problem

# The latest revisions read to name the edits: enough for any run-to-run gap in practice.
REVISIONS_READ = 20


@dataclass(frozen=True)
class HumanEdits:
    """Edits by others since the bot's own last revision of a page: where they start, the
    latest of them and who made them (oldest first)."""

    base: int  # the revision they start from (the bot's, when it is among the recent ones)
    latest: int
    users: tuple[str, ...]

    @property
    def diff_link(self) -> str:
        """A wiki link to the combined diff of these edits (for edit summaries)."""
        return f"[[Special:Diff/{self.base}/{self.latest}]]"

    def problem(self) -> Problem:
        return Problem("human-edit", (str(self.base), str(self.latest), ", ".join(self.users)))

    def note(self, title: str) -> str:
        """The run's note about these edits."""
        return (
            f"{title}: manual edit inside the bot's region by {', '.join(self.users)} "
            f"(Special:Diff/{self.base}/{self.latest}); replaced"
        )


def _users(newest_first: Sequence[Revision]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(r.user or "?" for r in reversed(newest_first)))


def edits_since_bot(revisions: Sequence[Revision], bot_user: str) -> HumanEdits | None:
    """The edits above the bot's latest revision among ``revisions`` (newest first)."""
    found: list[Revision] = []
    for rev in revisions:
        if rev.user == bot_user:
            break
        found.append(rev)
    if not found:
        return None
    oldest = found[-1]
    return HumanEdits(
        base=oldest.parentid or oldest.revid, latest=found[0].revid, users=_users(found)
    )


def edits_merged_under(
    revisions: Sequence[Revision], base_revid: int, new_revid: int
) -> HumanEdits | None:
    """The edits between the revision the bot's save was based on and the one it made
    (``revisions``: newest first, from the bot's new revision down)."""
    if not revisions or revisions[0].revid != new_revid:
        return None
    if revisions[0].parentid in (0, base_revid):
        return None  # saved right on top of the revision the bot had read
    between: list[Revision] = []
    for rev in revisions[1:]:
        if rev.revid == base_revid:
            break
        between.append(rev)
    if not between:
        return None
    return HumanEdits(base=base_revid, latest=between[0].revid, users=_users(between))


def human_edits(session: WikiSession, title: str) -> HumanEdits | None:
    """Who edited the page since the bot last saved it (one request; None if nobody did)."""
    revisions = latest_revisions(session, title, limit=REVISIONS_READ)
    return edits_since_bot(revisions, session.config.wiki.user)


def merged_human_edits(
    session: WikiSession, title: str, base_revid: int, new_revid: int
) -> HumanEdits | None:
    """Edits MediaWiki merged under the bot's save: revisions between its base and its new one.

    When someone edits a page between the bot's read and its save and the two edits touch
    different lines, MediaWiki merges them instead of reporting a conflict. One request.
    """
    revisions = latest_revisions(session, title, limit=REVISIONS_READ, start_revid=new_revid)
    return edits_merged_under(revisions, base_revid, new_revid)
