"""The wikis of one index run: which wiki each row's case lives on, how the central wiki links
to it, which wikis were not refreshed. Pure.

Row keys. A case page on the central wiki is keyed by its title, as in a configuration with one
wiki (adding ``[[sources]]`` changes none of its keys, so the breaker sees no row go and
come). A case page on another wiki is keyed ``:<wiki id>:<title>``: titles are
unique only within one wiki, and no central title starts with a colon, so keys never collide.
The key is what a case's ``page`` holds inside the index job (rows, problems, filters); links
are made from the wiki and the title it splits into.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bots.sources.keys import WikiKeys


@dataclass(frozen=True)
class Staleness:
    """A wiki shown from its last rows: when it was last read and why not now."""

    refreshed_at: str  # ISO 8601 ("" when unknown)
    reason: str


@dataclass(frozen=True)
class IndexWikis(WikiKeys):
    """The configured wikis by id, the central one's id, and this run's state of each."""

    # not refreshed this run: their rows are the last ones read, marked as such
    stale: Mapping[str, Staleness] = field(default_factory=dict)
    # rows of these wikis missing from this run are not removed cases (not refreshed, or more
    # case pages than the wiki's max_pages): the circuit breaker ignores them
    unsure: frozenset[str] = frozenset()
