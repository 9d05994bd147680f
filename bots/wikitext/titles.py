"""Title forms: bare titles, titles in a namespace, the root of a subpage title (pure).

Namespace names come from the wiki (``bots.wiki.siteinfo.namespace_names``); nothing here
guesses them.
"""

from __future__ import annotations

from collections.abc import Mapping


def bare_title(title: str, namespace: int) -> str:
    """``title`` without its namespace prefix."""
    return title.split(":", 1)[1] if namespace != 0 and ":" in title else title


def title_in_namespace(bare: str, namespace: int, names: Mapping[int, str]) -> str:
    """The title of ``bare`` in ``namespace`` (``names``: from :func:`namespace_names`)."""
    return f"{names[namespace]}:{bare}" if namespace != 0 else bare


def root_title(bare: str) -> str:
    """The page a subpage belongs to (``Alice/Archive 1`` -> ``Alice``); a page is its own."""
    return bare.split("/", 1)[0]
