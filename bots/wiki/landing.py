"""Where a save landed: the revision the wiki applied the bot's edit on, read back at once.

MediaWiki's own conflict check is not the only guard (issue 11.8): every save's answer names the
revision the edit was applied on (``oldrevid``; none for a page creation), and when that is not
the revision the bot read, someone's edit came in between. :func:`read_landing` reads, in one
request, that person's revision and the bot's new one, so that the save can build its change
again on top of the person's text (:mod:`bots.wiki.saves`).
"""

from __future__ import annotations

from dataclasses import dataclass

from bots.outcomes import Saved
from bots.wiki.records import PageSnapshot, content_of, snapshot_from
from bots.wiki.session import WikiSession


@dataclass(frozen=True)
class Landing:
    """The person's revision the bot's edit landed on, and the page as the bot's save left it.

    ``current`` is None when the page changed again after the bot's save (its latest revision
    is not the bot's): the bot then leaves it alone and reports it."""

    person: PageSnapshot
    current: PageSnapshot | None


class LandingUnreadable(Exception):
    """The revision the edit landed on cannot be read (deleted or hidden meanwhile)."""


def read_landing(session: WikiSession, saved: Saved) -> Landing:
    """The revision ``saved`` was applied on and the bot's new revision (one request)."""
    answer = session.api(
        action="query", revids=[saved.applied_on, saved.revid], prop="revisions|info",
        rvprop="ids|timestamp|user|content", rvslots="main", curtimestamp=True,
    )  # fmt: skip
    read_at = str(answer.get("curtimestamp", ""))
    pages = answer.get("query", {}).get("pages", [])
    by_revid = {
        int(rev.get("revid", 0)): (page, rev) for page in pages for rev in page.get("revisions", [])
    }
    if saved.applied_on not in by_revid or saved.revid not in by_revid:
        raise LandingUnreadable(
            f"revision {saved.applied_on} or {saved.revid} can no longer be read"
        )
    page, rev = by_revid[saved.applied_on]
    if content_of({"revisions": [rev]}) is None:
        raise LandingUnreadable(f"the text of revision {saved.applied_on} is hidden")
    # the person's revision, with its own text and author (the page's flags are the bot's)
    person = snapshot_from({**page, "revisions": [rev], "redirect": False}, read_at)
    ours_page, ours = by_revid[saved.revid]
    if int(ours_page.get("lastrevid", 0) or 0) != saved.revid:
        return Landing(person, None)
    return Landing(person, snapshot_from({**ours_page, "revisions": [ours]}, read_at))
