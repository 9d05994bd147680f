"""An account's own edits (``list=usercontribs``): where the bot already posted, and with which
edit summary. Contributions survive archiving and page moves (they name the page's current
title), which is why the digest trusts them more than a page's text.

Reads: one request per 5,000 contributions (``uclimit=max``), newest first, back to a moment.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from bots.wiki.session import WikiSession


@dataclass(frozen=True)
class Contribution:
    """One edit of the account: the page as it is titled now, and the edit summary."""

    title: str
    comment: str


def contributions_since(
    session: WikiSession, user: str, namespaces: Iterable[int], since: str
) -> Iterator[Contribution]:
    """``user``'s edits in ``namespaces`` made after ``since`` (ISO 8601, UTC)."""
    spaces = sorted(set(namespaces))
    if not spaces:
        return
    for q in session.query_results(
        list="usercontribs", ucuser=user, ucnamespace=spaces, ucend=since,
        ucprop="title|comment", uclimit="max",
    ):  # fmt: skip
        for contrib in q.get("usercontribs", []):
            yield Contribution(str(contrib["title"]), str(contrib.get("comment", "")))
