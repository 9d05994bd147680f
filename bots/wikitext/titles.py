"""Title forms: bare titles and titles in a namespace (pure).
"""

from __future__ import annotations

from collections.abc import Mapping


def bare_title(title: str, namespace: int) -> str:
    """``title`` without its namespace prefix."""
    return title.split(":", 1)[1] if namespace != 0 and ":" in title else title


def title_in_namespace(bare: str, namespace: int, names: Mapping[int, str]) -> str:
    """The title of ``bare`` in ``namespace`` (``names``: from :func:`namespace_names`)."""
    return f"{names[namespace]}:{bare}" if namespace != 0 else bare
