"""Which subpages hold a case's or the hub's version in a subscriber's language. Pure.

A case page's translation subpage (``bots.cases.scope.case_title``) or the first hub page's
subpage, in the subscriber's language itself, else in the first of its fallbacks other than
English. The candidates are read by ``bots.digest.collect`` together with the case pages, in
one batched read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from bots.cases.scope import TitleKind, case_title
from bots.config.model import Config
from bots.i18n.languages import SOURCE_LANG, fallback_chain
from bots.wiki.records import PageSnapshot

Candidates = dict[str, list[tuple[str, str, int]]]  # subpage -> (page, language, rank) it serves


def translation_candidates(
    config: Config, pages: Iterable[str], languages: Sequence[str]
) -> Candidates:
    """Every translation subpage that may serve a case page in a subscriber's language."""
    candidates: Candidates = {}
    for page in sorted(set(pages)):
        for lang in languages:
            chain = [c for c in fallback_chain(lang) if c != SOURCE_LANG or c == lang]
            for rank, code in enumerate(chain):
                sub = case_title(f"{page}/{code}", None, config, {page})
                if sub.kind is TitleKind.TRANSLATION:
                    candidates.setdefault(sub.title, []).append((page, lang, rank))
    return candidates


def best_translations(
    candidates: Candidates, titles: Sequence[str], snapshots: Mapping[str, PageSnapshot]
) -> dict[tuple[str, str], tuple[str, str]]:
    """(case page, language) -> (subpage, text): the best-ranked existing subpage (no
    redirect) among ``titles``."""
    best: dict[tuple[str, str], tuple[int, str, str]] = {}
    for title in titles:
        snap = snapshots.get(title)
        if snap is None or not snap.exists or snap.is_redirect or snap.text is None:
            continue
        for page, lang, rank in candidates[title]:
            if (page, lang) not in best or rank < best[(page, lang)][0]:
                best[(page, lang)] = (rank, title, snap.text)
    return {key: (title, text) for key, (_, title, text) in best.items()}


def hub_chains(hub: str, languages: Sequence[str]) -> dict[str, list[str]]:
    """Language -> the hub's subpages to look for, best first (none without a hub)."""
    if not hub:
        return {}
    return {lang: [f"{hub}/{c}" for c in fallback_chain(lang) if c != SOURCE_LANG]
            for lang in languages}


def hub_versions(
    chains: Mapping[str, list[str]], snapshots: Mapping[str, PageSnapshot]
) -> dict[str, str]:
    """Language -> the first of its hub subpages that exists and is no redirect."""
    found = {t for t, s in snapshots.items() if s.exists and not s.is_redirect}
    return {k: next(t for t in c if t in found) for k, c in chains.items() if found & {*c}}
