"""The wiki's own data from ``meta=siteinfo``: namespace names, and the facts a translation
status run needs (content language, whether Translate is installed, language names).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bots.wiki.session import WikiSession
from bots.wiki.translate_api import has_translate


def namespace_names(session: WikiSession) -> dict[int, str]:
    """The wiki's namespaces by number (one ``meta=siteinfo`` request)."""
    result = session.api(action="query", meta="siteinfo", siprop="namespaces")
    spaces = result.get("query", {}).get("namespaces", {})
    return {int(k): str(v.get("name", "")) for k, v in spaces.items()}


@dataclass(frozen=True)
class SiteFacts:
    """What a translation status run needs to know about the wiki."""

    content_language: str
    has_translate: bool
    language_names: Mapping[str, str] = field(default_factory=dict)  # code -> autonym


def read_site_facts(session: WikiSession) -> SiteFacts:
    """The wiki's content language, Translate's presence and its language names (one
    ``meta=siteinfo`` request)."""
    result = session.api(action="query", meta="siteinfo", siprop="general|extensions|languages")
    query = result.get("query", {})
    languages = query.get("languages", [])
    return SiteFacts(
        content_language=str(query.get("general", {}).get("lang", "en")),
        has_translate=has_translate(query.get("extensions", [])),
        language_names={str(lang.get("code")): str(lang.get("name", "")) for lang in languages},
    )
