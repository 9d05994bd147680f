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

from bots.config.model import Config
from bots.config.sources import is_central, source_wikis
from bots.sources.collect import wiki_tag
from bots.sources.records import WikiTag
from bots.wikitext.escape import escape_link_label, internal_link


@dataclass(frozen=True)
class Staleness:
    """A wiki shown from its last rows: when it was last read and why not now."""

    refreshed_at: str  # ISO 8601 ("" when unknown)
    reason: str


@dataclass(frozen=True)
class IndexWikis:
    """The configured wikis by id, the central one's id, and this run's state of each."""

    central: str = ""  # the central wiki's id ("" when it is not one of the sources)
    tags: Mapping[str, WikiTag] = field(default_factory=dict)
    # not refreshed this run: their rows are the last ones read, marked as such
    stale: Mapping[str, Staleness] = field(default_factory=dict)
    # rows of these wikis missing from this run are not removed cases (not refreshed, or more
    # case pages than the wiki's max_pages): the circuit breaker ignores them
    unsure: frozenset[str] = frozenset()

    @classmethod
    def from_config(cls, config: Config) -> IndexWikis:
        wikis = source_wikis(config)
        central = next((w.id for w in wikis if is_central(w, config)), "")
        return cls(central=central, tags={w.id: wiki_tag(w, config) for w in wikis})

    @property
    def several(self) -> bool:
        """Whether cases come from more than one wiki (the wiki column is then shown)."""
        return len(self.tags) > 1

    def key(self, wiki_id: str, title: str) -> str:
        """The row key of ``title`` on wiki ``wiki_id``."""
        if not wiki_id or wiki_id == self.central:
            return title
        return f":{wiki_id}:{title}"

    def split(self, key: str) -> tuple[str, str]:
        """(wiki id, page title) of a row key."""
        if key.startswith(":"):
            wiki_id, _, title = key[1:].partition(":")
            return wiki_id, title
        return self.central, key

    def wiki_of(self, key: str) -> str:
        return self.split(key)[0]

    def title_of(self, key: str) -> str:
        return self.split(key)[1]

    def link(self, key: str, label: str | None = None) -> str:
        """A link to the page of ``key`` on its own wiki: internal on the central wiki, an
        interwiki link, an external link from ``page_url``; the plain (escaped) label when
        the central wiki cannot reach it."""
        wiki_id, title = self.split(key)
        shown = label if label else title
        if not key.startswith(":"):
            return internal_link(title, shown)
        tag = self.tags.get(wiki_id)
        target = tag.link_target(title) if tag else ""
        if target:
            return internal_link(target.removeprefix(":"), shown)
        url = tag.url(title) if tag else ""
        if url:
            # the URL is the operator's page_url with the title percent-encoded: no space,
            # bracket or quote left in it; the label is escaped as every label is
            return f"[{url} {escape_link_label(shown) or escape_link_label(title)}]"
        return escape_link_label(shown)

    def edit_link(self, key: str, label: str) -> str:
        """A link to edit the page of ``key`` on its own wiki."""
        wiki_id, title = self.split(key)
        if key.startswith(":"):
            return self.link(f":{wiki_id}:Special:EditPage/{title}", label)
        return internal_link(f"Special:EditPage/{title}", label)

    def language(self, key: str) -> str:
        """The content language of the key's wiki ("" for the central wiki: as configured)."""
        if not key.startswith(":"):
            return ""
        tag = self.tags.get(self.wiki_of(key))
        return tag.language if tag else ""
