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


def activity(
    case: Case, active_statuses: Sequence[str], now: tuple[int, int, int] | None = None
) -> PartialDate | None:
    """When the case last saw activity, as far as its page tells; a date after ``now`` (a
    planned end, a typo) is no activity."""

    def past(d: PartialDate | None) -> PartialDate | None:
        return d if d is not None and (now is None or d.earliest <= now) else None

    if past(case.end) is not None:
        return case.end
    if case.status in active_statuses and case.last_edit:
        edited = past(parse_partial_date(case.last_edit[:10]))
        if edited is not None:
            return edited
    return past(case.start)


class _Groups:
    """Spellings joined into partners (union-find over their keys), never two pages in one."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.page: dict[str, PartnerPage] = {}  # root -> the partner page of its group

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:  # path compression: chains stay short
            self.parent[key], key = root, self.parent[key]
        return root

    def join(self, a: str, b: str) -> bool:
        """Join the groups of ``a`` and ``b``; False (nothing joined) when each has a page."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True  # a duplicate, a self-reference or a cycle: nothing to do
        page_a, page_b = self.page.get(ra), self.page.get(rb)
        if page_a is not None and page_b is not None:
            return False
        self.parent[rb] = ra
        if page_a is None and page_b is not None:
            self.page[ra] = page_b
        self.page.pop(rb, None)
        return True


@dataclass(frozen=True)
class Aliases:
    """Which partner each spelling is: a group key per spelling key, the name each group shows,
    and what could not be merged (by page title: (title, reason))."""

    group: Mapping[str, str]
    names: Mapping[str, str]
    pages: Mapping[str, PartnerPage]
    conflicts: tuple[tuple[str, str], ...] = ()

    def key(self, spelling: str) -> str:
        own = partner_key(spelling)
        return self.group.get(own, own)


def alias_map(aliases: Mapping[str, Sequence[str]], pages: Sequence[PartnerPage]) -> Aliases:
    """The partners' spellings merged: partner pages first (a page's name is its own; an alias
    that is another page's name or another page's alias is not merged, and reported), then the
    configuration's lists. Chains and cycles of aliases merge into one partner; whatever the
    order of pages and lists, the result is the same."""
    groups = _Groups()
    conflicts: list[tuple[str, str]] = []
    ordered = sorted(pages, key=lambda p: (p.page, p.name))
    for page in ordered:
        key = partner_key(page.name)
        if not key:
            continue
        root = groups.find(key)
        if root in groups.page:
            other = groups.page[root]
            conflicts.append((page.page, f"partner page not used: {other.page} has the same name"))
            continue
        groups.page[root] = page
    owners: dict[str, set[str]] = {}
    for page in ordered:
        for alias in page.aliases:
            if partner_key(alias):
                owners.setdefault(partner_key(alias), set()).add(page.page)
    for page in ordered:
        own = partner_key(page.name)
        if not own or groups.page.get(groups.find(own)) is not page:
            continue
        for alias in page.aliases:
            key = partner_key(alias)
            if not key or key == own:
                continue
            contested = len(owners.get(key, ())) > 1 or (
                groups.find(key) != groups.find(own) and groups.find(key) in groups.page
            )
            if contested or not groups.join(own, key):
                conflicts.append((page.page, "an alias is another partner's name or alias; "
                                  "not merged"))  # fmt: skip
    config_names: dict[str, str] = {}
    for canonical, spellings in sorted(aliases.items()):
        first = partner_key(canonical)
        if not first:
            continue
        config_names.setdefault(first, canonical)
        for spelling in spellings:
            key = partner_key(spelling)
            if key and not groups.join(first, key):
                reason = f"{canonical!r} joins two partner pages; not merged"
                conflicts.append(("[knowledge] partner_aliases", reason))
    group = {key: groups.find(key) for key in groups.parent}
    names: dict[str, str] = {}
    for key, canonical in sorted(config_names.items()):
        names.setdefault(group[key], canonical)
    found = {root: page for root, page in groups.page.items() if groups.find(root) == root}
    for root, page in found.items():
        names[root] = page.name
    return Aliases(group, names, found, tuple(dict.fromkeys(conflicts)))


def build_partners(
    cases: Sequence[Case],
    pages: Sequence[PartnerPage],
    aliases: Mapping[str, Sequence[str]] | Aliases,
    *,
    today: date,
    dormant_years: int,
    active_statuses: Sequence[str],
) -> list[PartnerEntry]:
    """Every partner, merged, sorted by name."""
    merged = aliases if isinstance(aliases, Aliases) else alias_map(aliases, pages)
    spellings: dict[str, Counter[str]] = {}
    by_key: dict[str, dict[str, Case]] = {}
    for case in cases:
        if case.sensitive:
            continue
        for partner in case.partners:
            key = merged.key(partner)
            if not key:
                continue
            spellings.setdefault(key, Counter())[partner] += 1
            by_key.setdefault(key, {})[case.page] = case
    threshold = (today.year - dormant_years, today.month, today.day)
    now = (today.year, today.month, today.day)
    entries = []
    for key in sorted(set(by_key) | set(merged.pages)):
        page = merged.pages.get(key)
        counted = spellings.get(key, Counter())
        shown = merged.names.get(key) or min(counted, key=lambda s: (-counted[s], s))
        its = sorted(by_key.get(key, {}).values(), key=lambda c: (c.title, c.page))
        # a date still to come is a plan, not activity
        dates = [d for c in its if (d := activity(c, active_statuses, now)) is not None]
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
    if page is not None:
        facts.extend(text.problem(p) for p in page.problems[:5])
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


__all__ = ["Aliases", "PartnerEntry", "alias_map", "build_partners", "partner_key",
           "render_partners"]
