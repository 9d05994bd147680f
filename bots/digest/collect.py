"""What a digest's period is made of, read from the wiki: the revisions that changed in it.

Recent changes and page moves (``bots.wiki.history``) -> the pages they touch, followed by page
id through moves (``bots.digest.spans``) and classified by the one notion of a case
(``bots.cases.scope.case_title``: case pages, translation subpages) and as talk pages of cases
and hub pages; the positions pages (``{{Advocacy position}}`` inside the bot's area, found as
the knowledge job finds them) edited in the period -> the revisions current at the period's
start and end, read by revision id in one batched pass -> :class:`PeriodRevisions`, from which
``bots.digest.changes`` makes the :class:`~bots.digest.content.DigestContent` (pure).

Reads, all batched: namespace names (unless the job has them); the pages that embed the
position template now;
``list=recentchanges`` of the case namespaces, their talk namespaces, the translation unit
namespace and the positions pages' namespaces since the period start; the move log since the
period start; the pages whose subpages may be translations, at the period's end; the
revisions at the period's start and end of the pages that changed; the case pages whose talk
pages or translations changed; translation figures
(``bots.translation_status.collect.translation_needs``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bots.cases.knowledge_pages import knowledge_page_allowed
from bots.cases.scope import (
    TitleKind,
    case_title,
    category_title,
    translation_parent,
    writes_template,
)
from bots.config.model import Config
from bots.config.permissions import case_page_allowed
from bots.digest import translated
from bots.digest.changes import PeriodRevisions
from bots.digest.period import Period
from bots.digest.position_guard import withhold_positions
from bots.digest.spans import PageSpan, page_spans
from bots.errors import BotStop
from bots.i18n.languages import SOURCE_LANG, fallback_chain, is_known_language, is_language_code
from bots.outcomes import JobReport
from bots.translation_status.collect import translation_needs
from bots.translation_status.records import TranslationRecord, split_unit_title
from bots.wiki.digest_reads import category_members
from bots.wiki.history import (
    PageHistory,
    RecentChange,
    page_moves,
    recent_changes,
    span,
    texts_by_revid,
)
from bots.wiki.records import PageSnapshot
from bots.wiki.session import WikiSession
from bots.wiki.siteinfo import namespace_names
from bots.wikitext.titles import bare_title, title_in_namespace

log = logging.getLogger("bots.digest.job")  # the job's logger: its log lines keep their name
MAX_TRANSLATION_READS = 500  # translation subpages read for one digest (cases x languages)
MAX_POSITION_PAGES = 50  # positions pages compared in one digest (each: up to 50 positions)


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
    """What changed in the period, per kind of page."""

    # case page (its title at the period's end) -> revisions at the start (0: no case page
    # yet) and end (None: the page's latest)
    cases: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    talks: dict[str, tuple[str, list[RecentChange]]] = field(default_factory=dict)  # subject
    translations: set[tuple[str, str]] = field(default_factory=set)  # (source page, language)


@dataclass
class Collector:
    session: WikiSession
    config: Config
    period: Period
    case_names: frozenset[str]
    position_names: frozenset[str] = frozenset()
    pages_read: int = 0
    hubs: dict[str, int] = field(default_factory=dict)  # hub page -> namespace
    end_texts: dict[str, str | None] = field(default_factory=dict)  # pages at the period end
    notes: list[str] = field(default_factory=list)
    now: dict[str, PageSnapshot] = field(default_factory=dict)  # pages as read now (``read_now``)
    names: Mapping[int, str] = field(default_factory=dict)  # namespaces (none: asked here)

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

    def classify_others(
        self, history: Mapping[str, PageHistory], names: Mapping[int, str], changed: Changed
    ) -> None:
        """Translation units and talk pages (the case namespaces are judged by page spans)."""
        config, period = self.config, self.period
        case_ns = set(config.permissions.case_namespaces)
        for title, h in history.items():
            inside = h.within(period.start, period.end)
            if h.namespace in case_ns or not inside \
                    or all(e.user == config.wiki.user for e in inside):
                continue  # the bot's own edits are never news
            if h.namespace == config.translations.unit_namespace:
                unit = split_unit_title(title)
                if unit and self.tracked(unit[0]):
                    changed.translations.add((unit[0], unit[2]))
            elif h.namespace % 2 == 1:
                subject = title_in_namespace(
                    bare_title(title, h.namespace), h.namespace - 1, names
                )
                if subject in self.hubs or case_page_allowed(subject, h.namespace - 1, config):
                    changed.talks[title] = (subject, inside)

    def classify_cases(
        self, spans: Sequence[PageSpan], history: Mapping[str, PageHistory], changed: Changed
    ) -> None:
        """Each page of the case namespaces judged at the period's start and end by the one
        notion of a case (``bots.cases.scope.case_title``): a page becomes a case page by being
        created, given the template, or moved in (from a user-space draft, an excluded title);
        a translation subpage is a translation; a page moved out is no news."""
        config = self.config
        parents = {translation_parent(t, config)
                   for s in spans for t in (s.start_title, s.end_title)} - {""}
        self.read_end_texts(parents, history)
        carries = {p for p in parents if writes_template(self.end_texts.get(p) or "",
                                                         self.case_names)}
        category = category_title(config)
        # index.required_category, as the index applies it: membership now (one batched read)
        members = category_members(self.session, {s.end_title for s in spans} | {
            s.start_title for s in spans}, category) if category and spans else None
        for page in spans:
            if self.own_page(page.end_title) or self.own_page(page.start_title):
                continue
            end = case_title(page.end_title, page.end_namespace, config, carries, members)
            begin = case_title(page.start_title, page.start_namespace, config, carries, members)
            if end.kind is TitleKind.TRANSLATION:
                changed.translations.add((end.case_page, end.language))
            elif end.kind is TitleKind.CASE and begin.kind is not TitleKind.CASE:
                changed.cases[end.title] = (0, page.after)  # became a case page in the period
            elif end.kind is TitleKind.CASE and page.edited and page.before is not None:
                changed.cases[end.title] = (page.before, page.after)

    def prefetch(self, changed: Changed, subjects: set[str],
                 history: Mapping[str, PageHistory], languages: Sequence[str]) -> None:
        """One batched read of every page needed as it is now: the changed cases read at their
        latest, the subjects of talk and translation news not changed since the period's end,
        the translation subpages that may serve them, the hub's subpages."""
        hubs = set(self.hubs)
        titles = [t for t, (_, after) in changed.cases.items() if after is None]
        titles += [t for t in sorted(subjects - set(changed.cases) - hubs - set(self.end_texts))
                   if t not in history or history[t].revid_at(self.period.end) is None]
        shown = set(changed.cases) | subjects
        candidates = translated.translation_candidates(self.config, shown - hubs, languages)
        titles += sorted(candidates)[:MAX_TRANSLATION_READS]
        chains = translated.hub_chains(next(iter(self.hubs), ""), languages)
        titles += [t for c in chains.values() for t in c]
        self.read_now(titles)

    def position_pages(self) -> dict[str, int]:
        """Pages holding the position template now (title -> namespace), as the knowledge job
        finds them: inside the bot's area, translation subpages (``Page/fr``) left out. A page
        elsewhere counts for nothing."""
        config = self.config
        if not self.position_names:
            return {}
        listed = {
            snap.title: snap.namespace
            for snap in self.session.embedded_in(config.knowledge.position_template,
                                                 config.permissions.edit_namespaces,
                                                 content=False)
            if knowledge_page_allowed(snap.title, snap.namespace, config)
            and not snap.is_redirect  # the page it leads to is listed on its own
        }  # fmt: skip

        def translation(title: str) -> bool:
            base, _, last = title.rpartition("/")
            return base in listed and is_language_code(last) and (
                last in config.translations.languages or is_known_language(last))

        return {title: ns for title, ns in listed.items() if not translation(title)}

    def changed_positions(
        self, pages: Iterable[str], history: Mapping[str, PageHistory]
    ) -> dict[str, tuple[int, int]]:
        """Positions page -> its revisions at the period's start and end, for the pages
        someone other than the bot edited in the period (at most :data:`MAX_POSITION_PAGES`)."""
        out: dict[str, tuple[int, int]] = {}
        period, bot = self.period, self.config.wiki.user
        for title in sorted(pages):
            inside = history[title].within(period.start, period.end) if title in history else []
            if any(e.user != bot for e in inside):
                out[title] = span(inside)
        if len(out) > MAX_POSITION_PAGES:
            self.notes.append(f"{len(out)} positions pages changed; only the first "
                              f"{MAX_POSITION_PAGES} are compared for the digest")
            out = dict(list(out.items())[:MAX_POSITION_PAGES])
        return out

    def position_translations(
        self, pages: Iterable[str], languages: Sequence[str]
    ) -> dict[tuple[str, str], str]:
        """(positions page, subscriber language) -> its translation subpage in that language
        (the language itself, else the first of its fallbacks other than English), from one
        batched existence check (no text read)."""
        candidates: dict[str, list[tuple[str, str, int]]] = {}
        for page in sorted(set(pages)):
            for lang in languages:
                chain = [c for c in fallback_chain(lang) if c != SOURCE_LANG or c == lang]
                for rank, code in enumerate(chain):
                    candidates.setdefault(f"{page}/{code}", []).append((page, lang, rank))
        titles = sorted(candidates)[:MAX_TRANSLATION_READS]
        snapshots = self.session.read_pages(titles, content=False) if titles else {}
        best: dict[tuple[str, str], tuple[int, str]] = {}
        for title in titles:
            snap = snapshots.get(title)
            if snap is None or not snap.exists or snap.is_redirect:
                continue
            for page, lang, rank in candidates[title]:
                if (page, lang) not in best or rank < best[(page, lang)][0]:
                    best[(page, lang)] = (rank, snap.title)
        return {key: title for key, (_, title) in best.items()}

    def read_end_texts(self, titles: Iterable[str], history: Mapping[str, PageHistory]) -> None:
        """Texts at the period end of ``titles`` (kept in ``end_texts``): by revision id when
        they changed after the period, else as they are now (one batched read). A page that
        did not exist at the period's end has none."""
        current: list[str] = []
        by_revid: dict[str, int] = {}
        for title in sorted(set(titles) - set(self.end_texts)):
            at_end = history[title].revid_at(self.period.end) if title in history else None
            if at_end is None:
                current.append(title)
            elif at_end:
                by_revid[title] = at_end
            else:
                self.end_texts[title] = None
        texts = texts_by_revid(self.session, by_revid.values())
        snapshots = self.read_now(current)
        self.pages_read += len(by_revid) + len(current)
        self.end_texts.update({title: texts.get(revid) for title, revid in by_revid.items()})
        for title in current:
            snap = snapshots.get(title)
            self.end_texts[title] = snap.text if snap and snap.exists else None

    def latest_revisions(self, cases: dict[str, tuple[int, int | None]],
                         texts: dict[int, str | None]) -> dict[str, tuple[int, int]]:
        """Revision ids for every case; a page whose revision at the end is its latest is read
        as it is now (one batched read), its text kept in ``texts``."""
        unknown = [title for title, (_, after) in cases.items() if after is None]
        snapshots = self.read_now(unknown)
        self.pages_read += len(unknown)
        out: dict[str, tuple[int, int]] = {}
        for title, (before, after) in cases.items():
            if after is None:
                snap = snapshots.get(title)
                if snap is None or not snap.exists or not snap.revid:
                    continue  # gone since: nothing to announce
                after = snap.revid
                texts[after] = snap.text
            out[title] = (before, after)
        return out

    def read_now(self, titles: Iterable[str]) -> dict[str, PageSnapshot]:
        """Pages as they are now, with their text: read once (batched), then kept."""
        missing = [t for t in dict.fromkeys(titles) if t not in self.now]
        if missing:
            self.now.update(self.session.read_pages(missing))
        return {t: self.now[t] for t in titles if t in self.now}

    def read_translations(
        self, pages: Iterable[str], languages: Sequence[str]
    ) -> dict[tuple[str, str], tuple[str, str]]:
        """(case page, subscriber language) -> (its translation subpage, text) for every case
        of the digest with a translation in a subscriber's language (``bots.digest.translated``),
        at most :data:`MAX_TRANSLATION_READS` subpages read."""
        candidates = translated.translation_candidates(self.config, pages, languages)
        titles = sorted(candidates)
        if len(titles) > MAX_TRANSLATION_READS:
            self.notes.append(f"{len(titles)} possible translation subpages; only the first "
                              f"{MAX_TRANSLATION_READS} are read for the digest's languages")
            titles = titles[:MAX_TRANSLATION_READS]
        found = translated.best_translations(candidates, titles, self.read_now(titles))
        self.pages_read += len({title for title, _ in found.values()})
        return found

    def collect(self, languages: Sequence[str]) -> PeriodRevisions:
        session, config, period = self.session, self.config, self.period
        names = self.names or namespace_names(session)
        for hub in config.digest.hub_pages:
            title, namespace = session.normalize(hub)
            self.hubs[title] = namespace
        case_ns = set(config.permissions.case_namespaces)
        talk_ns = {ns + 1 for ns in case_ns | set(self.hubs.values()) if ns % 2 == 0}
        # a wiki without Translate's namespace would refuse the whole query for it
        positions = self.position_pages()
        namespaces = (case_ns | talk_ns | {config.translations.unit_namespace}
                      | set(positions.values())) & set(names)
        history = recent_changes(session, namespaces, period.start)
        spans = page_spans(history, page_moves(session, period.start), case_ns,
                           start=period.start, end=period.end, bot=config.wiki.user)
        changed = Changed()
        self.classify_others(history, names, changed)
        self.classify_cases(spans, history, changed)

        # Every revision compared, from the period's start and end, in one batched pass.
        talks = {talk: (subject, *span(inside))
                 for talk, (subject, inside) in changed.talks.items()}
        known = [r for pair in changed.cases.values() for r in pair if r]
        known += [r for _, before, after in talks.values() for r in (before, after)]
        changed_positions = self.changed_positions(positions, history)
        known += [r for pair in changed_positions.values() for r in pair if r]
        texts = texts_by_revid(session, known)
        self.pages_read += len(texts)
        changed_positions = withhold_positions(session, config, self.case_names,
                                               changed_positions, texts, self.notes)
        subjects = {s for s, _ in changed.talks.values()} | {p for p, _ in changed.translations}
        self.prefetch(changed, subjects, history, languages)
        cases = self.latest_revisions(changed.cases, texts)
        self.read_end_texts(subjects - set(cases) - set(self.hubs), history)
        sources = sorted(set(cases) | {p for p, _ in changed.translations})
        shown = set(cases) | {s for s, _ in changed.talks.values()} | set(sources)
        translated = self.read_translations(shown - set(self.hubs), languages)
        return PeriodRevisions(
            period=period,
            hubs=frozenset(self.hubs),
            cases=cases,
            talks=talks,
            translations=frozenset(changed.translations),
            texts=texts,
            subject_texts={s: self.end_texts.get(s)
                           for s in subjects - set(cases) - set(self.hubs)},
            translation_figures=tuple(translation_records(session, config, sources, languages)),
            translated=translated,
            positions=changed_positions,
            position_names=self.position_names,
            position_translations=self.position_translations(changed_positions, languages),
            hub_versions=self.hub_versions(languages),
        )

    def hub_versions(self, languages: Sequence[str]) -> dict[str, str]:
        """Language -> the first hub's subpage in it or its first fallback but English, where
        one exists (no redirect; read along with the case pages)."""
        chains = translated.hub_chains(next(iter(self.hubs), ""), languages)
        return translated.hub_versions(chains, self.read_now([t for c in chains.values()
                                                              for t in c]))


def collect_revisions(
    session: WikiSession, config: Config, period: Period, report: JobReport, *,
    languages: Sequence[str], case_names: frozenset[str],
    position_names: frozenset[str] = frozenset(), names: Mapping[int, str] | None = None,
) -> PeriodRevisions:
    """Everything the digest of ``period`` is made from (``bots.digest.changes`` makes it).

    ``languages``: the subscribers'; ``case_names``: the case template's names (a page whose
    subpage changed is a case when its own text writes the template); ``position_names``: the
    position template's (none: no positions in the digest); ``names``: the namespaces' names
    when already read."""
    collector = Collector(session, config, period, case_names=case_names,
                          position_names=position_names, names=names or {})
    revisions = collector.collect(languages)
    report.pages_read += collector.pages_read
    report.notes.extend(collector.notes)
    return revisions
