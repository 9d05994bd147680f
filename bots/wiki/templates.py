"""Which names reach a template: its own and those of the redirects to it.

An editor may write ``{{Advocacy case}}`` or any redirect to it; the bot must recognise every
one of them, and only those in the Template namespace (``{{Name}}`` cannot reach a redirect
elsewhere). One ``prop=redirects`` request answers for all the templates a job needs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bots.wiki.session import WikiSession

NS_TEMPLATE = 10


def template_names(
    session: WikiSession, templates: Sequence[str], *, along: Mapping[str, Any] | None = None,
    on_query: Callable[[Mapping[str, Any]], None] | None = None,
) -> dict[str, frozenset[str]]:
    """Each template's name and the names of the redirects to it (without namespace).

    ``along``: more parameters of the same query (a ``meta=`` module another read needs);
    ``on_query`` receives each response's `query` part for them."""
    full = {t: t if t.lower().startswith("template:") else f"Template:{t}" for t in templates}
    found: dict[str, set[str]] = {}
    normalized: dict[str, str] = {}
    for q in session.query_results(
        titles=sorted(set(full.values())), prop="redirects", rdprop="title",
        rdnamespace=NS_TEMPLATE, rdlimit="max", **(along or {}),
    ):  # fmt: skip
        if on_query is not None:
            on_query(q)
        normalized.update({n["from"]: n["to"] for n in q.get("normalized", [])})
        for page in q.get("pages", []):
            for redirect in page.get("redirects", []):
                found.setdefault(page["title"], set()).add(redirect["title"].split(":", 1)[1])
    out: dict[str, frozenset[str]] = {}
    for template, title in full.items():
        redirects = found.get(normalized.get(title, title), set())
        out[template] = frozenset({title.split(":", 1)[1], *redirects})
    return out
