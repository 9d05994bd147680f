"""What `advocacy-hub check` reads from a source wiki (issue 16): its namespaces, the case
template with the redirects to it, and how the wiki reads each configured title prefix.

One request answers for the namespaces, the template and the prefixes (``meta=siteinfo``
with ``titles=``); then one ``list=allpages`` request (``aplimit=1``) per prefix says whether
any page lies under it. Nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bots.wiki.session import WikiSession

NS_TEMPLATE = 10


@dataclass(frozen=True)
class TemplateReach:
    """Whether the case template exists, under the title the wiki gives it, and the
    redirects to it (their titles, sorted)."""

    title: str
    exists: bool
    redirects: tuple[str, ...] = ()


@dataclass(frozen=True)
class PrefixReach:
    """How the wiki reads a title prefix: its namespace (None: not a title there) and
    whether a page lies under it."""

    prefix: str
    namespace: int | None
    has_pages: bool = False


@dataclass(frozen=True)
class SourceProbe:
    namespaces: Mapping[int, str] = field(default_factory=dict)  # number -> local name
    template: TemplateReach = TemplateReach("", False)
    prefixes: tuple[PrefixReach, ...] = ()


def probe_source(session: WikiSession, template: str, prefixes: Sequence[str]) -> SourceProbe:
    """Read the namespaces, the template and the prefixes of one wiki (1 + len(prefixes)
    requests)."""
    asked = template if template.lower().startswith("template:") else f"Template:{template}"
    result = session.api(
        action="query", meta="siteinfo", siprop="namespaces", titles=[asked, *prefixes],
        prop="redirects", rdprop="title", rdnamespace=NS_TEMPLATE, rdlimit="max",
    )  # fmt: skip
    query: Mapping[str, Any] = result.get("query", {})
    spaces = {int(k): str(v.get("name", "")) for k, v in query.get("namespaces", {}).items()}
    renamed = {str(n["from"]): str(n["to"]) for n in query.get("normalized", [])}
    pages = {str(p.get("title", "")): p for p in query.get("pages", [])}
    found = pages.get(renamed.get(asked, asked), {})
    reach = TemplateReach(
        str(found.get("title", asked)),
        bool(found) and not (found.get("missing") or found.get("invalid")),
        tuple(sorted(str(r["title"]) for r in found.get("redirects", []))),
    )
    return SourceProbe(spaces, reach, tuple(
        _prefix(session, prefix, pages.get(renamed.get(prefix, prefix)), spaces)
        for prefix in prefixes))  # fmt: skip


def _prefix(session: WikiSession, prefix: str, page: Mapping[str, Any] | None,
            spaces: Mapping[int, str]) -> PrefixReach:  # fmt: skip
    if page is None or page.get("invalid") or int(page.get("ns", 0)) < 0:
        return PrefixReach(prefix, None)
    namespace = int(page.get("ns", 0))
    title = str(page.get("title", prefix))
    local = title.split(":", 1)[1] if namespace and ":" in title else title
    result = session.api(action="query", list="allpages", apprefix=local,
                         apnamespace=namespace, aplimit=1)  # fmt: skip
    return PrefixReach(prefix, namespace, bool(result.get("query", {}).get("allpages")))
