"""Who added each subscription: an open list must not become a way to message people who did
not ask for it (MassMessage restricts who may send; our list is editable by anyone). Pure.

A line that subscribes a user talk page (or a subpage of one) is delivered only when that user
added the line: the last revision that listed the page where it was not listed before, or that
changed the line listing it, is by that user. So the owner confirms a line someone else wrote
by editing it (adding ``lang=en`` will do), and a line changed by someone else waits until its
owner edits it again. The history is read incrementally (:class:`ConsentState` remembers the
last revision read and who added each page still listed, in the bot's local state), so each run
reads only the revisions since the last one. Project and group talk pages are exempt; the
operator can turn the rule off (``digest.require_self_subscription = false``).

Fail closed: a revision whose author or text is hidden attributes nothing (a page it adds is
attributed to no one); when a run cannot read the whole history (more than it reads in one run),
the pages added after the point it reached have no known author yet and are skipped, until a
later run reaches them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bots.wikitext.titles import bare_title, root_title

NS_USER_TALK = 3


@dataclass(frozen=True)
class ConsentState:
    """What the history of one subscriber list page said, up to revision ``revid``."""

    pageid: int = 0
    revid: int = 0  # the last revision read (0: none yet)
    adders: Mapping[str, str] = field(default_factory=dict)  # listed page -> who added it
    lines: Mapping[str, str] = field(default_factory=dict)  # listed page -> its line as written


@dataclass(frozen=True)
class ListedAt:
    """One revision of the list: who made it and which pages it lists, each with the line that
    lists it first (None: text hidden)."""

    revid: int
    user: str
    pages: Mapping[str, str] | None


def advance(state: ConsentState, pageid: int, revisions: Iterable[ListedAt]) -> ConsentState:
    """The state after ``revisions`` (oldest first, all after ``state.revid``). A state of
    another page (the list was deleted and re-created) starts afresh."""
    same = state.pageid == pageid
    adders = dict(state.adders) if same else {}
    lines = dict(state.lines) if same else {}
    last = state.revid if same else 0
    for rev in revisions:
        if rev.revid <= last:
            continue
        last = rev.revid
        if rev.pages is None:
            continue  # hidden text: who listed what is unknown; keep what was known
        for page in list(adders):
            if page not in rev.pages:
                del adders[page]
                lines.pop(page, None)
        for page, line in rev.pages.items():
            if page not in adders or lines.get(page) != line:
                adders[page] = rev.user  # "" for a hidden author: matches no one
                lines[page] = line
    return ConsentState(pageid, last, adders, lines)


def owner(page: str, namespace: int) -> str:
    """The user whose talk page (or subpage of it) ``page`` is; "" for other namespaces."""
    return root_title(bare_title(page, namespace)) if namespace == NS_USER_TALK else ""


def self_subscribed(adder: str | None, owners: Iterable[str]) -> bool:
    """Whether the page's owner (any of ``owners``: the listed page's and, after a redirect,
    the receiving page's) added the line. ``adder`` None: not known."""
    wanted = {o for o in owners if o}
    return not wanted or (bool(adder) and adder in wanted)
