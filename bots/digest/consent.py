"""Who added each subscription: an open list must not become a way to message people who did
not ask for it (MassMessage restricts who may send; our list is editable by anyone). Pure.

A line that subscribes a user talk page (or a subpage of one) is delivered only when that user
added the page to the list: the revision after which the page is listed, where before it was
not, is by that user. The history is read incrementally (:class:`ConsentState` remembers the
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


@dataclass(frozen=True)
class ListedAt:
    """One revision of the list: who made it and which pages it lists (None: text hidden)."""

    revid: int
    user: str
    pages: frozenset[str] | None


def advance(state: ConsentState, pageid: int, revisions: Iterable[ListedAt]) -> ConsentState:
    """The state after ``revisions`` (oldest first, all after ``state.revid``). A state of
    another page (the list was deleted and re-created) starts afresh."""
    adders = dict(state.adders) if state.pageid == pageid else {}
    last = state.revid if state.pageid == pageid else 0
    for rev in revisions:
        if rev.revid <= last:
            continue
        last = rev.revid
        if rev.pages is None:
            continue  # hidden text: who listed what is unknown; keep what was known
        for page in list(adders):
            if page not in rev.pages:
                del adders[page]
        for page in rev.pages:
            if page not in adders:
                adders[page] = rev.user  # "" for a hidden author: matches no one
    return ConsentState(pageid, last, adders)


def owner(page: str, namespace: int) -> str:
    """The user whose talk page (or subpage of it) ``page`` is; "" for other namespaces."""
    return root_title(bare_title(page, namespace)) if namespace == NS_USER_TALK else ""


def self_subscribed(adder: str | None, owners: Iterable[str]) -> bool:
    """Whether the page's owner (any of ``owners``: the listed page's and, after a redirect,
    the receiving page's) added the line. ``adder`` None: not known."""
    wanted = {o for o in owners if o}
    return not wanted or (bool(adder) and adder in wanted)
