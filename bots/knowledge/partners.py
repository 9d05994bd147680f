"""The partners directory: every partner named on case pages, merged and enriched. Pure.

A partner is a name in a case's ``partners`` field. Spellings of one partner are merged: names
equal but for case, spaces and punctuation are one partner, and so are the spellings an alias
list joins (``[knowledge] partner_aliases`` in the configuration; on the wiki, the ``name`` and
``aliases`` of an ``{{Advocacy partner}}`` page). A partner page adds type, region, website and
related affiliate, and gives the name to show; a partner page without any case is listed too.

Each partner shows its cases (linked, with status), the regions and topics of those cases, its
most recent activity (the latest end date of its cases; for an active case the day its page was
last edited; else the start date) and a mark when it has had no case for
``[knowledge] dormant_years`` years. Sensitive cases name no partners (the parser withholds them).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from bots.cases.knowledge_pages import PartnerPage
from bots.cases.record import Case
from bots.knowledge.text import ViewText
from bots.knowledge.views import KnowledgeView
from bots.wikitext.dates import PartialDate, parse_partial_date
from bots.wikitext.escape import escape_inline, internal_link

CASES_SHOWN = 30  # cases listed under one partner (the rest are counted)


def partner_key(name: str) -> str:
    """What spellings of one name share: letters and digits, case-folded."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


@dataclass(frozen=True)
class PartnerEntry:
    name: str
    cases: tuple[Case, ...] = ()
    page: PartnerPage | None = None
    regions: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    last_activity: PartialDate | None = None
    dormant: bool = False


def activity(case: Case, active_statuses: Sequence[str]) -> PartialDate | None:
    """When the case last saw activity, as far as its page tells."""
    if case.end is not None:
        return case.end
    if case.status in active_statuses and case.last_edit:
        edited = parse_partial_date(case.last_edit[:10])
        if edited is not None:
            return edited
    return case.start


def alias_map(aliases: Mapping[str, Sequence[str]], pages: Sequence[PartnerPage]) -> dict[str, str]:
    """Key of each known spelling -> the name to show. Partner pages win over the config."""
    out: dict[str, str] = {}
    for canonical, spellings in sorted(aliases.items()):
        for spelling in (canonical, *spellings):
            out.setdefault(partner_key(spelling), canonical)
    for page in sorted(pages, key=lambda p: (p.page, p.name)):
        for spelling in (page.name, *page.aliases):
            out[partner_key(spelling)] = page.name
    return {k: v for k, v in out.items() if k}


def build_partners(
    cases: Sequence[Case],
    pages: Sequence[PartnerPage],
    aliases: Mapping[str, Sequence[str]],
    *,
    today: date,
    dormant_years: int,
    active_statuses: Sequence[str],
) -> list[PartnerEntry]:
    """Every partner, merged, sorted by name."""
    names = alias_map(aliases, pages)
    spellings: dict[str, Counter[str]] = {}
    by_key: dict[str, dict[str, Case]] = {}
    for case in cases:
        if case.sensitive:
            continue
        for partner in case.partners:
            key = partner_key(names.get(partner_key(partner), partner))
            if not key:
                continue
            spellings.setdefault(key, Counter())[partner] += 1
            by_key.setdefault(key, {})[case.page] = case
    page_by_key = {partner_key(p.name): p for p in sorted(pages, key=lambda p: p.page)}
    threshold = (today.year - dormant_years, today.month, today.day)
    entries = []
    for key in sorted(set(by_key) | set(page_by_key)):
        page = page_by_key.get(key)
        counted = spellings.get(key, Counter())
        shown = (
            page.name if page else names.get(key) or min(counted, key=lambda s: (-counted[s], s))
        )
        its = sorted(by_key.get(key, {}).values(), key=lambda c: (c.title, c.page))
        dates = [d for c in its if (d := activity(c, active_statuses)) is not None]
        last = max(dates, key=lambda d: d.latest) if dates else None
        regions = {c.region for c in its if c.region} | (
            {page.region} if page and page.region else set()
        )
        entries.append(PartnerEntry(
            name=shown, cases=tuple(its), page=page,
            regions=tuple(sorted(regions)),
            topics=tuple(sorted({t for c in its for t in c.topics})),
            last_activity=last,
            dormant=last is None or last.latest < threshold,
        ))  # fmt: skip
    return sorted(entries, key=lambda e: (e.name.casefold(), e.name))


def _codes(kind: str, codes: Sequence[str], order: Sequence[str], text: ViewText) -> str:
    ranked = sorted(codes, key=lambda c: (order.index(c) if c in order else len(order), c))
    return text.join(text.label(kind, c) for c in ranked)


def _entry(entry: PartnerEntry, text: ViewText, dormant_years: int) -> list[str]:
    name = f"'''<bdi>{escape_inline(entry.name, 100)}</bdi>'''"
    if entry.page is not None:
        name = f"'''<bdi>{internal_link(entry.page.page, entry.name, max_len=100)}</bdi>'''"
    facts = []
    page = entry.page
    if page is not None:
        for key, value in (("type", page.type), ("affiliate", page.affiliate),
                           ("website", page.website)):  # fmt: skip
            if value:
                facts.append(text.msg(f"advocacyhub-knowledge-partner-{key}",
                                      f"<bdi>{escape_inline(value, 200)}</bdi>"))  # fmt: skip
    details_separator = text.msg("advocacyhub-knowledge-detail-separator")
    lines = [f"* {name}" + (" — " + details_separator.join(facts) if facts else "")]
    if entry.cases:
        shown = entry.cases[:CASES_SHOWN]
        listed = text.join(text.case_with_status(c) for c in shown)
        if len(shown) < len(entry.cases):
            listed += " " + text.msg("advocacyhub-knowledge-more", len(entry.cases) - len(shown))
        lines.append(text.msg("advocacyhub-knowledge-partner-cases", len(entry.cases), listed))
    details = []
    if entry.regions:
        details.append(
            text.msg(
                "advocacyhub-knowledge-partner-regions",
                _codes("region", entry.regions, list(text.vocabulary.regions), text),
            )
        )
    if entry.topics:
        details.append(
            text.msg(
                "advocacyhub-knowledge-partner-topics",
                _codes("topic", entry.topics, list(text.vocabulary.topics), text),
            )
        )
    if entry.last_activity is not None:
        details.append(text.msg("advocacyhub-knowledge-partner-activity", str(entry.last_activity)))
    if details:
        lines.append(details_separator.join(details))
    if entry.dormant:
        key = (
            "advocacyhub-knowledge-partner-dormant"
            if entry.cases
            else "advocacyhub-knowledge-partner-no-case"
        )
        lines.append(f"''{text.msg(key, dormant_years)}''")
    # one list item, its lines broken rather than indented: a phone screen keeps its width
    return ["<br />".join(lines)]


def render_partners(
    view: KnowledgeView,
    entries: Sequence[PartnerEntry],
    text: ViewText,
    dormant_years: int,
    cap: int | None = None,
) -> str:
    """The directory; ``cap``: at most that many partners (a notice for the rest)."""
    chosen = [
        e for e in entries
        if (not view.regions or set(e.regions) & set(view.regions))
        and (not view.topics or set(e.topics) & set(view.topics))
    ]  # fmt: skip
    if not chosen:
        return text.msg("advocacyhub-knowledge-partners-none")
    lines = [text.msg("advocacyhub-knowledge-partners-total", len(chosen))]
    shown = chosen if cap is None else chosen[:cap]
    for entry in shown:
        lines += _entry(entry, text, dormant_years)
    if len(shown) < len(chosen):
        lines.append(text.msg("advocacyhub-knowledge-more", len(chosen) - len(shown)))
    return "\n".join(lines)


__all__ = ["PartnerEntry", "build_partners", "partner_key", "render_partners"]
