"""Who a talk page message reaches: which accounts exist (``list=users``), and where a talk page
that is a redirect leads first (a renamed user's moved talk page).

Reads, batched (as many titles or names per request as the account's limit allows): one
``list=users`` request per batch of names; one ``redirects`` query per batch of redirect titles.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bots.wiki.batches import chunks
from bots.wiki.session import WikiSession


@dataclass(frozen=True)
class RedirectHop:
    """The first step of a redirect: ``target`` as the API names it."""

    source: str
    target: str
    interwiki: str = ""  # the interwiki prefix when the redirect leads to another wiki
    again: bool = False  # ``target`` is a redirect too (a double redirect)


def existing_users(session: WikiSession, names: Iterable[str]) -> frozenset[str]:
    """Those of ``names`` that are registered accounts (IP addresses and unknown names are not)."""
    wanted = sorted(set(names))
    found: set[str] = set()
    for batch in chunks(wanted, session.batch_size(content=False)):
        for q in session.query_results(list="users", ususers=list(batch)):
            for user in q.get("users", []):
                if "missing" not in user and "invalid" not in user and user.get("userid"):
                    found.add(str(user["name"]))
    return frozenset(found)


def first_redirect_hops(session: WikiSession, titles: Sequence[str]) -> dict[str, RedirectHop]:
    """For each redirect among ``titles``, its first hop; titles the API does not resolve as a
    redirect (a broken one) are missing from the answer."""
    out: dict[str, RedirectHop] = {}
    for batch in chunks(list(titles), session.batch_size(content=False)):
        hops: dict[str, dict[str, Any]] = {}
        for q in session.query_results(titles=list(batch), redirects=True):
            for item in q.get("redirects", []):
                hops[item["from"]] = item
        for title in batch:
            hop = hops.get(title)
            if hop is not None:
                out[title] = RedirectHop(
                    title, str(hop["to"]), str(hop.get("tointerwiki") or ""),
                    again=hop.get("to") in hops,
                )
    return out
