"""Title forms the digest modules share: bare titles, titles in a namespace, namespace names."""

from __future__ import annotations

from collections.abc import Mapping

from bots.wiki import WikiSession


def bare_title(title: str, namespace: int) -> str:
    """``title`` without its namespace prefix."""
    return title.split(":", 1)[1] if namespace != 0 and ":" in title else title


def title_in_namespace(bare: str, namespace: int, names: Mapping[int, str]) -> str:
    """The title of ``bare`` in ``namespace`` (``names``: from :func:`namespace_names`)."""
    return f"{names[namespace]}:{bare}" if namespace != 0 else bare


def namespace_names(session: WikiSession) -> dict[int, str]:
    """The wiki's namespaces by number (one ``meta=siteinfo`` request)."""
    result = session.api(action="query", meta="siteinfo", siprop="namespaces")
    spaces = result.get("query", {}).get("namespaces", {})
    return {int(k): str(v.get("name", "")) for k, v in spaces.items()}
