"""The wiki's own data from ``meta=siteinfo``: namespace names.
"""

from __future__ import annotations

from bots.wiki.session import WikiSession


def namespace_names(session: WikiSession) -> dict[int, str]:
    """The wiki's namespaces by number (one ``meta=siteinfo`` request)."""
    result = session.api(action="query", meta="siteinfo", siprop="namespaces")
    spaces = result.get("query", {}).get("namespaces", {})
    return {int(k): str(v.get("name", "")) for k, v in spaces.items()}
