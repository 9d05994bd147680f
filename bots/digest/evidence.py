"""Where a digest already arrived, from the bot's own records only. Pure.

The bot's contributions since the period end name each page it posted to by the page's current
title, with the digest's token in the edit summary. A recipient who archives by moving the talk
page (``User talk:A`` -> ``User talk:A/Archive 1``) leaves the contribution under the new title
and ``User talk:A`` empty or re-created: the move log since the period end leads back from the
new title to every title the page had, so the digest is not posted again. Text on a page proves
nothing: anyone can paste a delivery marker.
"""

from __future__ import annotations

from bots.digest.ids import summary_has_token
from bots.wiki.digest_reads import Evidence


def delivered_titles(evidence: Evidence, digest: str) -> frozenset[str]:
    """Titles that received ``digest``: where the bot's edit is now, and where it was."""
    found = {c.title for c in evidence.contributions if summary_has_token(c.comment, digest)}
    sources: dict[str, set[str]] = {}
    for move in evidence.moves:
        sources.setdefault(move.target, set()).add(move.source)
    todo = list(found)
    while todo:  # each title enters once: chains and cycles of moves end
        for source in sources.get(todo.pop(), ()):
            if source not in found:
                found.add(source)
                todo.append(source)
    return frozenset(found)
