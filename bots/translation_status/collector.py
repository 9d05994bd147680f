"""Reads the statuses of many pages with as few requests as it can (the service's I/O shell).

Reads, all through ``bots.wiki``: what the wiki makes of the titles and prefixes the markers
name (``bots.wiki.siteinfo.resolve_titles``, one request for all markers); the source
pages (batched, with text, unless the caller has them already); page listings by prefix
without redirects (``bots.wiki.last_edits.list_titles``, cached: one listing serves every
selection and page under it); then, for pages with translation units, Translate's statistics
(``bots.wiki.translate_api``) or the unit pages in ``translations.unit_namespace`` (listed
with revision ids; only texts the fuzzy cache does not know are read: ``.units``); for pages
translated by hand, their language subpages' revision times and, when the bot made the
source's latest revision, the source's latest edit by someone else. Everything it finds is
turned into records by the pure functions of ``bots.translation_status.records``.

Under a prefix, a subpage whose name is a language code is first taken for a translation of
its page. Where the page has no units and the table does not expect that language (``/new``
under a page translated by hand), the subpage is a page of its own: such pages are read in one
more batch, after the first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bots.config.model import Config
from bots.errors import BotStop
from bots.i18n.languages import is_known_language
from bots.translation_status.fuzzy_cache import FuzzyCache
from bots.translation_status.other_wikis import OtherWikis
from bots.translation_status.records import (
    KIND_NONE,
    KIND_UNITS,
    NOT_A_TRANSLATION,
    PageStatus,
    UnitPage,
    expected_only,
    split_unit_title,
    status_from_subpages,
    status_from_units,
    unit_ids,
)
from bots.translation_status.selection import (
    MAX_LISTED,
    MAX_SCANNED,
    PageSelection,
    SelectionProblem,
    SelectionResult,
    SelectionStatuses,
    StatisticsPending,
    bad_title,
    expected_languages,
    listing_guess,
    shared_folder,
    shown_under_prefix,
    split_prefix_listing,
    subpages_in,
    title_problem,
    untranslated_under_prefix,
)
from bots.translation_status.statistics import collect_from_api
from bots.translation_status.units import UnitReader
from bots.wiki.last_edits import (
    last_edit_excluding,
    latest_edit_times,
    list_titles,
    revision_at,
)
from bots.wiki.records import PageSnapshot
from bots.wiki.session import WikiSession
from bots.wiki.siteinfo import SiteFacts, TitleAnswer, resolve_titles
from bots.wikitext.problems import Problem

# Source revisions looked up per run for outdated hand translations (one request each, so a
# diff link shows what changed since the translation); past this, cells link to the history.
MAX_SINCE_LOOKUPS = 25
PROBE = "X"  # appended to a prefix to ask the wiki how it reads it ("Help:" alone is no title)


@dataclass(frozen=True)
class _Resolved:
    """A selection's candidate source pages (normalised), or the problems that stop it."""

    sources: tuple[str, ...]
    from_prefix: bool
    problems: tuple[Problem, ...] = ()
    subpages: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # under a prefix
    scan_limit: int = 0  # the prefix held more candidates than this; the rest were not read


class StatusCollector:
    """Collects :class:`PageStatus` for the pages of many selections, batched across them.

    Pages shared by several selections are read once; listings are cached; unit pages and
    subpages of all selections are read together. ``exclude`` titles (the status pages
    themselves) and the digest's archive pages are never sources.
    """

    def __init__(
        self,
        session: WikiSession,
        config: Config,
        facts: SiteFacts,
        *,
        exclude: Iterable[str] = (),
        use_api: bool = False,
        snapshots: Mapping[str, PageSnapshot] | None = None,
        show_progress: bool | None = False,
        fuzzy_cache: FuzzyCache | None = None,
        other_wikis: OtherWikis | None = None,  # translations kept on the source wikis
    ) -> None:
        self.session, self.config, self.facts = session, config, facts
        self.other_wikis = other_wikis
        self.exclude = frozenset(exclude)
        self.use_api, self.show_progress = use_api, show_progress
        self.pages_read = 0
        self.unavailable: dict[str, str] = {}  # page -> why Translate gave no figures
        self._known_codes = frozenset(facts.language_names) or None
        self._own_prefixes = (config.digest.archive_prefix,)
        self._listings: dict[tuple[int, str], list[str]] = {}
        self._resolved: dict[PageSelection, _Resolved] = {}
        self._extra: dict[PageSelection, tuple[str, ...]] = {}  # sources found on a second look
        self._snapshots: dict[str, PageSnapshot] = dict(snapshots or {})
        self._subpages: dict[str, dict[str, str]] = {}  # source -> code -> subpage title
        self._unit_prefixes: set[str] = set()  # prefixes whose unit pages one listing covers
        self._table_prefixes: set[str] = set()  # a table's prefix: every source there is read
        self._units = UnitReader(session, config.translations.unit_namespace, fuzzy_cache)
        self._statuses: dict[str, PageStatus] = {}
        self._languages: dict[str, frozenset[str] | None] = {}  # what each status was read for
        self._since_lookups = 0

    def _list(self, namespace: int, prefix: str, limit: int | None = MAX_LISTED) -> list[str]:
        key = (namespace, prefix)
        if key not in self._listings:
            self._listings[key] = list_titles(self.session, prefix, namespace, limit=limit)
        return self._listings[key]

    # -- resolving selections --------------------------------------------------------------
    def resolve(
        self, selections: Sequence[PageSelection], redirects_of: str = ""
    ) -> frozenset[str] | None:
        """The wiki's reading of the selections' titles (those not read yet), with the first
        prefix's listing along under the title the wiki most likely gives it, and the names
        reaching the template ``redirects_of`` (None: not asked, or ask on your own)."""
        todo = [s for s in dict.fromkeys(selections) if s not in self._resolved]
        asked = [t for s in todo for t in (s.pages or (s.prefix + PROBE,))]
        guess = next((g for s in todo if (g := listing_guess(s.prefix))), None)
        answers, listed, names = resolve_titles(self.session, asked, listing=guess,
                                                redirects_of=redirects_of)  # fmt: skip
        if guess is not None and listed is not None:  # used only if the wiki's answer is this
            self._listings.setdefault(guess, listed[: MAX_LISTED + 1])
        for selection in todo:
            try:
                self._resolved[selection] = self._resolve(selection, answers)
            except BotStop:
                raise
            except Exception as exc:  # one table's odd input never stops the others
                problem = Problem("translations-unreadable", (f"{type(exc).__name__}: {exc}",))
                self._resolved[selection] = _Resolved((), not selection.pages, (problem,))
        return names

    def _resolve(self, selection: PageSelection, answers: Mapping[str, TitleAnswer]) -> _Resolved:
        namespaces = self.facts.namespaces
        if selection.pages:
            problems = [p for t in selection.pages if (p := title_problem(t, answers.get(t),
                                                                          namespaces))]  # fmt: skip
            if problems:
                return _Resolved((), False, tuple(problems))
            return _Resolved(tuple(dict.fromkeys(answers[t].title for t in selection.pages)), False)
        answer = answers.get(selection.prefix + PROBE)
        problem = title_problem(selection.prefix, answer, namespaces)
        if problem is not None or answer is None or not answer.title.endswith(PROBE):
            return _Resolved((), True, (problem or bad_title(selection.prefix),))
        full = answer.title[: -len(PROBE)]
        bare = full.split(":", 1)[1] if answer.namespace != 0 else full
        listed = self._list(answer.namespace, bare)
        listing = split_prefix_listing(
            listed[:MAX_LISTED], self._known_codes, self.exclude, self._own_prefixes
        )
        sources = listing.sources
        cut = len(sources) > MAX_SCANNED or len(listed) > MAX_LISTED
        # every subpage of a source under the prefix is under the prefix too: no more listings
        for title in sources[:MAX_SCANNED]:
            self._subpages.setdefault(title, dict(listing.subpages.get(title, {})))
        self._unit_prefixes.add(full)
        self._table_prefixes.add(full)
        return _Resolved(
            sources[:MAX_SCANNED], True, (), listing.subpages, MAX_SCANNED if cut else 0
        )

    def _second_look(self, selection: PageSelection) -> tuple[str, ...]:
        """Subpages under the prefix that are no translation in this table: pages of their own
        (their page has no units, and the table does not expect their language)."""
        resolved = self._resolved[selection]
        if not resolved.from_prefix or resolved.problems:
            return ()
        expected = expected_languages(selection, self.config.translations.languages)
        extra: list[str] = []
        for parent, subpages in resolved.subpages.items():
            status = self._statuses.get(parent)
            if status is None or status.kind == KIND_UNITS:
                continue  # not a source here, or Translate's own translation pages
            for code, title in subpages.items():
                wanted = code in expected if expected is not None else is_known_language(code)
                if not wanted:
                    extra.append(title)
        room = max(MAX_SCANNED - len(resolved.sources), 0)
        return tuple(sorted(extra)[:room])

    # -- collecting ------------------------------------------------------------------------
    def collect(self, selections: Sequence[PageSelection]) -> dict[PageSelection, SelectionResult]:
        """The statuses of every selection's pages, read together."""
        self.resolve(selections)
        languages: set[str] | None = set()
        for selection in selections:
            if not selection.languages:
                languages = None
            elif languages is not None:
                languages.update(selection.languages)
        self.collect_pages([t for s in selections for t in self._resolved[s].sources], languages)
        for selection in selections:
            self._extra[selection] = self._second_look(selection)
        self.collect_pages([t for s in selections for t in self._extra[s]], languages)
        if self.other_wikis is not None:
            self._statuses = self.other_wikis.merge(self._statuses, self._source_change)
        return {s: self._result(s) for s in selections}

    def collect_pages(self, titles: Iterable[str], languages: Iterable[str] | None) -> None:
        """Statuses of source pages by title (normalised), for languages (None: all)."""
        wanted = frozenset(languages) if languages is not None else None
        todo = [t for t in dict.fromkeys(titles) if not self._has(t, wanted)]
        if not todo:
            return
        for title in todo:
            self._languages[title] = wanted
        unread = [t for t in todo if t not in self._snapshots]
        if unread:
            self._snapshots.update(self.session.read_pages(unread))
            self.pages_read += len(unread)
        with_units: dict[str, tuple[str, ...]] = {}
        plain: list[str] = []
        for title in todo:
            snap = self._snapshots.get(title)
            if snap is None or not snap.exists or snap.is_redirect or snap.namespace < 0:
                self._statuses[title] = PageStatus(title, KIND_NONE, 0)
                continue
            units = unit_ids(snap.text or "")
            if units:
                with_units[title] = units
            else:
                plain.append(title)
        if with_units and self.use_api:
            found, with_units, unavailable = collect_from_api(
                self.session, with_units, wanted, self._source_language, self.show_progress
            )
            self._statuses.update(found)
            self.unavailable.update(unavailable)
        if with_units:
            self._collect_from_units(with_units, wanted)
        if plain:
            self._collect_from_subpages(plain)

    def _has(self, title: str, languages: frozenset[str] | None) -> bool:
        """Whether the page's status is known for these languages already."""
        if title in self.unavailable:
            return True  # asked already this run; Translate will not be ready sooner
        if title not in self._statuses:
            return False
        done = self._languages.get(title)
        return done is None or (languages is not None and languages <= done)

    def _source_language(self, title: str) -> str:
        snap = self._snapshots.get(title)
        return (snap.language if snap else "") or self.facts.content_language

    def _collect_from_units(
        self, pages: dict[str, tuple[str, ...]], languages: frozenset[str] | None
    ) -> None:
        read_before = self._units.texts_read
        covered = self._unit_prefixes
        uncovered = [t for t in pages if not any(f"{t}/".startswith(p) for p in covered)]
        shared = shared_folder(uncovered)
        if shared:
            self._unit_prefixes.add(shared)
        for title in pages:
            covering = [p for p in self._unit_prefixes if f"{title}/".startswith(p)]
            prefix = min(covering, key=len) if covering else f"{title}/"
            # nearly every unit there is wanted: a table's or the page's own prefix, and every
            # language (or all those the configuration lists)
            own = prefix in self._table_prefixes or prefix == f"{title}/"
            self._units.list_prefix(prefix, all_wanted=own and self._all_languages(languages))
        wanted: dict[str, tuple[str, str, str]] = {}
        for unit_title in self._units.titles():
            parts = split_unit_title(unit_title)
            if parts is None or not self._is_translation_language(parts[2]):
                continue
            source, unit, lang = parts
            in_page = source in pages and unit in pages[source]
            if in_page and (languages is None or lang in languages):
                wanted[unit_title] = parts
        states = self._units.states(wanted)
        self.pages_read += self._units.texts_read - read_before
        found: dict[str, list[UnitPage]] = {}
        for unit_title, (source, unit, lang) in wanted.items():
            if (state := states.get(unit_title)) is not None:
                unit_page = UnitPage(unit, lang, state.fuzzy, state.timestamp)
                found.setdefault(source, []).append(unit_page)
        for title, units in pages.items():
            self._statuses[title] = status_from_units(
                title, units, found.get(title, []), source_language=self._source_language(title)
            )

    def _all_languages(self, languages: frozenset[str] | None) -> bool:
        configured = frozenset(self.config.translations.languages)
        return languages is None or bool(configured and languages >= configured)

    def _is_translation_language(self, code: str) -> bool:
        known = self._known_codes
        return code not in NOT_A_TRANSLATION and (known is None or code in known)

    def _collect_from_subpages(self, pages: list[str]) -> None:
        by_namespace: dict[int, list[tuple[str, str]]] = {}
        for title in pages:
            if title not in self._subpages:
                namespace = self._snapshots[title].namespace
                bare = title.split(":", 1)[1] if namespace != 0 and ":" in title else title
                by_namespace.setdefault(namespace, []).append((title, bare))
        for namespace, titles in by_namespace.items():
            shared = shared_folder([bare for _full, bare in titles])
            for full, bare in titles:
                listed = self._list(namespace, shared or f"{bare}/")
                self._subpages[full] = subpages_in(listed, full, self._known_codes)
        subpages = {s for p in pages for s in self._subpages.get(p, {}).values()}
        times = latest_edit_times(self.session, subpages)
        self.pages_read += len(subpages)
        for title in pages:
            translated = {
                code: times[sub]
                for code, sub in self._subpages.get(title, {}).items()
                if sub in times
            }
            changed = self._source_change(title) if translated else self._snapshots[title].timestamp
            status = status_from_subpages(
                title, changed, translated, source_language=self._source_language(title)
            )
            since = self._since(title, status, translated)
            if since:
                status = status_from_subpages(
                    title, changed, translated,
                    source_language=self._source_language(title), since=since,
                )  # fmt: skip
            self._statuses[title] = status

    def _since(self, title: str, status: PageStatus, times: Mapping[str, str]) -> dict[str, int]:
        """The source revision each outdated translation was made from, while the run's
        lookups last (:data:`MAX_SINCE_LOOKUPS`)."""
        since: dict[str, int] = {}
        for record in status.records:
            if not record.outdated or self._since_lookups >= MAX_SINCE_LOOKUPS:
                continue
            self._since_lookups += 1
            revision = revision_at(self.session, title, times[record.language])
            if revision:
                since[record.language] = revision
        return since

    def _source_change(self, title: str) -> str:
        """When a person last edited the source. The bot's own edits (a table it keeps on the
        page) do not make translations outdated; looking past them costs one request, only for
        translated pages whose latest revision is the bot's."""
        snap = self._snapshots[title]
        bot = self.config.wiki.user
        if snap.user != bot:
            return snap.timestamp
        return last_edit_excluding(self.session, title, bot) or snap.timestamp

    # -- results ---------------------------------------------------------------------------
    def status(self, title: str) -> PageStatus | None:
        return self._statuses.get(title)

    def _result(self, selection: PageSelection) -> SelectionResult:
        resolved = self._resolved[selection]
        if resolved.problems:
            return SelectionProblem(resolved.problems)
        titles = (*resolved.sources, *self._extra.get(selection, ()))
        pending = tuple(t for t in titles if t in self.unavailable)
        if pending:
            return StatisticsPending(pending)
        expected = expected_languages(selection, self.config.translations.languages)
        shown, untranslated = [], []
        for title in titles:
            status = expected_only(self._statuses[title], expected)
            if resolved.from_prefix and not shown_under_prefix(status):
                if untranslated_under_prefix(status):  # listed apart; no row, not counted
                    untranslated.append(status.page)
                continue
            shown.append(status)
        if resolved.from_prefix:
            shown.sort(key=lambda s: s.page)
        return SelectionStatuses(tuple(shown), resolved.scan_limit, tuple(sorted(untranslated)))
