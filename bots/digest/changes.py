"""The digest of a period, made from the revisions read for it (``bots.digest.collect``). Pure.

Each changed case page is parsed at the period's start and end and the two compared
(``compare_case``); each changed talk page of a case or hub page gives the level-2 sections
added in the period; translation figures of the pages that changed (or whose translations did)
give the translation needs. Pages that are no case pages at the period's end are not news. The
translation subpages of the digest's cases in the subscribers' languages give each case's
version in those languages (never of a sensitive case). Each changed positions page is parsed
at the period's start and end and its ``{{Advocacy position}}`` templates compared
(``bots.cases.knowledge_pages.page_position_changes``): new and changed positions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from bots.cases.knowledge_pages import page_position_changes
from bots.cases.parser import parse_case_page
from bots.config.model import Config
from bots.digest.content import (
    CaseChange,
    CaseFacts,
    CaseVersion,
    DigestContent,
    Discussion,
    PositionNews,
    TranslationNeed,
    added_sections,
    build_content,
    case_facts,
    case_version,
    compare_case,
)
from bots.digest.period import Period
from bots.translation_status.records import SOURCE_SUBPAGE, TranslationRecord


@dataclass(frozen=True)
class PeriodRevisions:
    """What the digest of a period is made from, as read. Revision ids: 0 for "no page yet"."""

    period: Period
    hubs: frozenset[str]  # the hub pages, as the wiki spells them
    cases: Mapping[str, tuple[int, int]]  # case page -> revisions at the period's start, end
    talks: Mapping[str, tuple[str, int, int]]  # talk page -> subject page, revisions
    translations: frozenset[tuple[str, str]]  # (source page, language) that changed
    texts: Mapping[int, str | None]  # the revisions above, by id (None: unreadable)
    subject_texts: Mapping[str, str | None]  # subjects of talks and translations at the end
    translation_figures: tuple[TranslationRecord, ...]
    # (case page, subscriber language) -> (its translation subpage, text), read now
    translated: Mapping[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    # positions page -> revisions at the period's start (0: no page yet) and end, in ``texts``
    positions: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    position_names: frozenset[str] = frozenset()  # the position template's names
    # (positions page, subscriber language) -> its translation subpage in that language
    position_translations: Mapping[tuple[str, str], str] = field(default_factory=dict)
    # subscriber language -> the first hub page's translation subpage in it (that exists)
    hub_versions: Mapping[str, str] = field(default_factory=dict)


def position_news(revisions: PeriodRevisions, config: Config,
                  notes: list[str]) -> list[PositionNews]:
    """New and changed positions of the positions pages that changed in the period."""
    news: list[PositionNews] = []
    texts = revisions.texts
    for page, (before_id, after_id) in sorted(revisions.positions.items()):
        after = texts.get(after_id)
        if after is None or (before_id and texts.get(before_id) is None):
            notes.append(f"{page}: a revision of the positions page cannot be read")
            continue
        found = page_position_changes(page, texts.get(before_id), after,
                                      revisions.position_names, config.vocabulary)
        news += [PositionNews(p, new=True) for p in found.new]
        news += [PositionNews(p, fields=found.fields[(p.page, p.title)]) for p in found.changed]
    return news


def _facts(
    title: str, text: str | None, config: Config, case_names: frozenset[str]
) -> CaseFacts | None:
    if not text:
        return None
    case = parse_case_page(title, text, config, template_names=case_names).case
    return case_facts(case) if case is not None else None


def digest_content(
    revisions: PeriodRevisions, config: Config, case_names: frozenset[str], notes: list[str]
) -> DigestContent:
    """Everything in the period, before any subscriber's filters; ``case_names``: the case
    template's names. A change that cannot be judged is left out with a line in ``notes``."""
    texts, period = revisions.texts, revisions.period
    facts: dict[str, CaseFacts | None] = {}
    changes: list[CaseChange] = []
    for title, (before_id, after_id) in revisions.cases.items():
        now = facts[title] = _facts(title, texts.get(after_id), config, case_names)
        if now is None:
            continue  # not (or no longer) a case page
        if before_id and texts.get(before_id) is None:
            notes.append(f"{title}: the revision before the period cannot be read")
            continue
        change = compare_case(_facts(title, texts.get(before_id), config, case_names), now)
        if change is not None:
            changes.append(change)
    for subject, text in revisions.subject_texts.items():
        facts[subject] = _facts(subject, text, config, case_names)

    discussions = []
    for talk, (subject, before_id, after_id) in revisions.talks.items():
        case = facts.get(subject)
        if subject in revisions.hubs or case is not None:
            for heading in added_sections(texts.get(before_id), texts.get(after_id)):
                discussions.append(Discussion(talk, heading, subject, case))

    needs = []
    for rec in revisions.translation_figures:
        if rec.source == SOURCE_SUBPAGE and not rec.present:
            continue  # never translated by hand: not a page anyone marked for translation
        if rec.page in revisions.cases or (rec.page, rec.language) in revisions.translations:
            needs.append(TranslationNeed(rec.page, rec.language, rec.total, rec.translated,
                                         rec.outdated, facts.get(rec.page)))
    versions: dict[str, dict[str, CaseVersion]] = {}
    for (page, lang), (subpage, text) in sorted(revisions.translated.items()):
        translation = parse_case_page(subpage, text, config, template_names=case_names).case
        version = case_version(subpage, translation, facts.get(page))
        if version is not None:
            versions.setdefault(page, {})[lang] = version
    pages: dict[str, dict[str, str]] = {}
    for (page, lang), subpage in sorted(revisions.position_translations.items()):
        pages.setdefault(page, {})[lang] = subpage
    content = build_content(period.digest_id, period.start, period.end, changes, discussions,
                            needs, versions, position_news(revisions, config, notes))
    return replace(content, position_pages=pages)
