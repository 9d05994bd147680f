"""What a digest's period is made of, read from the wiki: the revisions that changed in it.

Recent changes (``bots.wiki.history``) -> the pages they touch, classified (case pages, talk
pages of cases and hub pages, translations) -> the revisions current at the period's start and
end, read by revision id in one batched pass -> :class:`PeriodRevisions`, from which
``bots.digest.changes`` makes the :class:`~bots.digest.content.DigestContent` (pure).

Reads, all batched: namespace names; ``list=recentchanges`` of the case namespaces, their talk
namespaces and the translation unit namespace since the period start; the revisions at the
period's start and end of the pages that changed; the case pages whose talk pages or
translations changed; translation figures (``bots.translation_status.collect.translation_needs``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bots.config.model import Config
from bots.config.permissions import case_page_allowed
from bots.digest.changes import PeriodRevisions
from bots.digest.period import Period
from bots.errors import BotStop
from bots.outcomes import JobReport
from bots.translation_status.collect import translation_needs
from bots.translation_status.records import (
    TranslationRecord,
    split_unit_title,
    translation_subpage,
)
from bots.wiki.history import PageHistory, RecentChange, recent_changes, span, texts_by_revid
from bots.wiki.session import WikiSession
from bots.wiki.siteinfo import namespace_names
from bots.wikitext.titles import bare_title, title_in_namespace

log = logging.getLogger("bots.digest.job")  # the job's logger: its log lines keep their name


def translation_records(
    session: WikiSession, config: Config, pages: Sequence[str], languages: Sequence[str]
) -> list[TranslationRecord]:
    """Translation figures (page, language, total, translated, outdated) from the shared
    translation status service.

    The one place the digest depends on the translation status code; a failure there costs the
    digest its translation section, not the whole digest.
    """
    if not pages or not languages:
        return []

    try:
        return list(translation_needs(session, config, pages, languages))
    except BotStop:
        raise
    except Exception as exc:  # the digest goes out without this section rather than not at all
        log.warning("translation status unavailable for the digest: %s", exc)
        return []


@dataclass
class Changed:
    """What changed in the period, per kind of page: the recent changes inside it."""

    cases: dict[str, list[RecentChange]] = field(default_factory=dict)
    talks: dict[str, tuple[str, list[RecentChange]]] = field(default_factory=dict)  # subject
    translations: set[tuple[str, str]] = field(default_factory=set)  # (source page, language)


@dataclass
class Collector:
    session: WikiSession
    config: Config
    period: Period
    known_langs: frozenset[str]
    pages_read: int = 0
    hubs: dict[str, int] = field(default_factory=dict)  # hub page -> namespace

    def tracked(self, title: str) -> bool:
        """A case page (by namespace and prefix) or a hub page: whose news a digest carries."""
        try:
            name, namespace = self.session.normalize(title)
        except Exception:  # an impossible title in a unit page's name
            return False
        return name in self.hubs or case_page_allowed(name, namespace, self.config)

    def own_page(self, title: str) -> bool:
        """Pages the bot writes itself: never cases or discussions."""
        digest = self.config.digest
        return title.startswith(digest.archive_prefix) or title == digest.subscriber_page

    def classify(self, history: Mapping[str, PageHistory], names: Mapping[int, str]) -> Changed:
        config, period = self.config, self.period
        case_ns = set(config.permissions.case_namespaces)
        changed = Changed()
        for title, h in history.items():
            inside = h.within(period.start, period.end)
            if not inside or all(e.user == config.wiki.user for e in inside):
                continue  # the bot's own edits are never news
            if h.namespace == config.translations.unit_namespace:
                unit = split_unit_title(title)
                if unit and self.tracked(unit[0]):
                    changed.translations.add((unit[0], unit[2]))
            elif h.namespace in case_ns:
                if self.own_page(title) or not case_page_allowed(title, h.namespace, config):
                    continue
                parent, lang = translation_subpage(title, self.known_langs)
                if lang:
                    changed.translations.add((parent, lang))
                else:
                    changed.cases[title] = inside
            elif h.namespace % 2 == 1:
                subject = title_in_namespace(
                    bare_title(title, h.namespace), h.namespace - 1, names
                )
                if subject in self.hubs or case_page_allowed(subject, h.namespace - 1, config):
                    changed.talks[title] = (subject, inside)
        return changed

    def subject_texts(
        self, subjects: Iterable[str], history: Mapping[str, PageHistory]
    ) -> dict[str, str | None]:
        """Texts at the period end of pages that did not change but whose talk pages or
        translations did (for the subscribers' filters): by revision id when they changed
        after the period, else as they are now (one batched read). A page that did not exist
        at the period's end has none."""
        current: list[str] = []
        by_revid: dict[str, int] = {}
        for subject in sorted(subjects):
            at_end = history[subject].revid_at(self.period.end) if subject in history else None
            if at_end is None:
                current.append(subject)
            elif at_end:
                by_revid[subject] = at_end
        texts = texts_by_revid(self.session, by_revid.values())
        snapshots = self.session.read_pages(current) if current else {}
        self.pages_read += len(by_revid) + len(current)
        out = {subject: texts.get(revid) for subject, revid in by_revid.items()}
        for subject in current:
            snap = snapshots.get(subject)
            out[subject] = snap.text if snap else None
        return out

    def collect(self, languages: Sequence[str]) -> PeriodRevisions:
        session, config, period = self.session, self.config, self.period
        names = namespace_names(session)
        for hub in config.digest.hub_pages:
            title, namespace = session.normalize(hub)
            self.hubs[title] = namespace
        case_ns = set(config.permissions.case_namespaces)
        talk_ns = {ns + 1 for ns in case_ns | set(self.hubs.values()) if ns % 2 == 0}
        # a wiki without Translate's namespace would refuse the whole query for it
        namespaces = (case_ns | talk_ns | {config.translations.unit_namespace}) & set(names)
        history = recent_changes(session, namespaces, period.start)
        changed = self.classify(history, names)

        # Every revision compared, from the period's start and end, in one batched pass.
        cases = {title: span(inside) for title, inside in changed.cases.items()}
        talks = {talk: (subject, *span(inside))
                 for talk, (subject, inside) in changed.talks.items()}
        spans = [*cases.values(), *((before, after) for _, before, after in talks.values())]
        texts = texts_by_revid(session, [r for s in spans for r in s])
        self.pages_read += len(texts)

        subjects = {s for s, _ in changed.talks.values()} | {p for p, _ in changed.translations}
        sources = sorted(set(changed.cases) | {p for p, _ in changed.translations})
        return PeriodRevisions(
            period=period,
            hubs=frozenset(self.hubs),
            cases=cases,
            talks=talks,
            translations=frozenset(changed.translations),
            texts=texts,
            subject_texts=self.subject_texts(subjects - set(cases) - set(self.hubs), history),
            translation_figures=tuple(translation_records(session, config, sources, languages)),
        )


def collect_revisions(
    session: WikiSession, config: Config, period: Period, report: JobReport, *,
    languages: Sequence[str], message_langs: Iterable[str],
) -> PeriodRevisions:
    """Everything the digest of ``period`` is made from (``bots.digest.changes`` makes it).

    ``languages``: the subscribers'; ``message_langs``: languages with message files (their
    subpages count as translations, not as cases)."""
    collector = Collector(
        session, config, period,
        known_langs=frozenset(config.translations.languages) | frozenset(message_langs),
    )
    revisions = collector.collect(languages)
    report.pages_read += collector.pages_read
    return revisions
