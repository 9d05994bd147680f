"""Positions pages the digest may not quote: the knowledge views' rule (``refusal`` in
``bots.cases.knowledge_pages``), applied to the positions pages that changed in the period.

A positions page is left out of the digest, and named in the run notes by its title only, when
it carries the case template, lies at or below a sensitive (or unreadable) case page, or names a
sensitive case. Knowing the sensitive cases takes every case page's text (one batched listing
with content); it is read only in a period in which a positions page changed, which is rare, so
an ordinary digest pays nothing for it.
"""

from __future__ import annotations

from collections.abc import Mapping

from bots.cases.knowledge_pages import Hidden, refusal
from bots.cases.parser import parse_case_page
from bots.config.model import Config
from bots.config.permissions import case_page_allowed
from bots.wiki.session import WikiSession


def sensitive_cases(session: WikiSession, config: Config, case_names: frozenset[str]) -> Hidden:
    """Every sensitive case's page and title, and every case page that cannot be parsed (fail
    closed: it might be sensitive)."""
    pages: list[str] = []
    names: list[str] = []
    for snap in session.embedded_in(config.templates.case, config.permissions.case_namespaces,
                                    content=True):
        if not case_page_allowed(snap.title, snap.namespace, config):
            continue
        try:
            case = parse_case_page(snap.title, snap.text or "", config,
                                   template_names=case_names).case
        except Exception:  # one page never stops the others; it counts as sensitive
            pages.append(snap.title)
            continue
        if case is not None and case.sensitive:
            pages.append(case.page)
            names.append(case.title)
    return Hidden.of(pages, names)


def withhold_positions(
    session: WikiSession, config: Config, case_names: frozenset[str],
    changed: Mapping[str, tuple[int, int]], texts: Mapping[int, str | None], notes: list[str],
) -> dict[str, tuple[int, int]]:
    """The changed positions pages the digest may report; the others named in ``notes``."""
    if not changed:
        return {}
    hidden = sensitive_cases(session, config, case_names)
    kept: dict[str, tuple[int, int]] = {}
    for page, (before, after) in changed.items():
        reasons = {refusal(page, texts.get(rev) or "", False, case_names, hidden)
                   for rev in (before, after) if rev} - {None}
        if reasons:
            notes.append(f"{page}: positions not reported: {sorted(r for r in reasons if r)[0]}")
            continue
        kept[page] = (before, after)
    return kept
