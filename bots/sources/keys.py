"""Case keys across wikis and links to a case's page on its own wiki (issue 16). Pure.

Keys. A case page on the central wiki is keyed by its title, as in a configuration with one
wiki (adding ``[[sources]]`` changes none of its keys). A case page on another wiki is keyed
``:<wiki id>:<title>``: titles are unique only within one wiki, and no central title starts
with a colon, so keys never collide. Jobs keep the key in a case's ``page`` and make links
from the wiki and the title it splits into (the index's rows, the knowledge views).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Self

from bots.config.model import Config
from bots.config.sources import is_central, source_wikis
from bots.sources.collect import wiki_tag
from bots.sources.records import WikiTag
from bots.wikitext.escape import escape_link_label, internal_link


@dataclass(frozen=True)
class WikiKeys:
    """The configured wikis by id and the central one's id: keys and links."""

    central: str = ""  # the central wiki's id ("" when it is not one of the sources)
    tags: Mapping[str, WikiTag] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: Config) -> Self:
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
