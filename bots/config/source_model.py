"""Source wikis as frozen dataclasses: the wikis whose case pages the central index covers.

Kept apart from :mod:`bots.config.model` so that the model can hold them without an import
circle; :mod:`bots.config.sources` reads and checks them (the ``[[sources]]`` tables and the
``[participation]`` section of a configuration file).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_MAX_PAGES = 5000  # case pages read from one source wiki in one run, at most


@dataclass(frozen=True)
class SourceWiki:
    """One wiki where a community keeps case pages at home.

    Either ``family`` and ``code`` (a Pywikibot family, as ``[wiki]``) or ``api_url`` says
    where it is. ``interwiki`` is the central wiki's interwiki prefix for it and ``page_url``
    a URL with ``$1`` for the page title: how a row on the central wiki links to the case page
    (the interwiki prefix when there is one)."""

    id: str  # short, stable: the wiki column, the participation list, the state files
    language: str  # the wiki's content language
    case_namespaces: tuple[int, ...]
    family: str = ""
    code: str = ""
    api_url: str = ""
    case_prefixes: tuple[str, ...] = ()
    case_template: str = "Advocacy case"  # the local name of the case template
    # canonical field -> the local template's parameter names, on top of [templates.case_aliases]
    case_aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    interwiki: str = ""
    page_url: str = ""
    max_pages: int = DEFAULT_MAX_PAGES
    # translation status: central title prefix -> this wiki's prefix of the pages translating
    # them (its language); a central page no prefix maps is looked for under its own title
    translation_prefixes: Mapping[str, str] = field(default_factory=dict)
    implicit: bool = False  # the single wiki of a configuration without [[sources]]


@dataclass(frozen=True)
class SourcesConfig:
    """The ``[[sources]]`` tables and ``[participation]``; empty means one wiki, ``[wiki]``."""

    wikis: tuple[SourceWiki, ...] = ()
    participation_page: str = ""  # on the central wiki: the list of taking-part wikis
