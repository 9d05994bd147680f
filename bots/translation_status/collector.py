"""Reads the statuses of many pages with as few requests as it can (the service's I/O shell).

Reads, all through ``bots.wiki``: the source pages (batched, with text, unless the caller
has them already); page listings by prefix (``list=allpages``, cached: one listing serves
every selection and page under it); then, for pages with translation units, Translate's
statistics (``bots.wiki.translate_api``) or the unit pages in
``translations.unit_namespace`` (batched, with text: a fuzzy unit starts with ``!!FUZZY!!``);
for pages translated by hand, their language subpages' revision times and, when the bot made
the source's latest revision, the source's latest edit by someone else
(``bots.wiki.last_edits``). Everything it finds is turned into records by the pure functions
of ``bots.translation_status.records``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bots.config.model import Config
from bots.progress import progress
from bots.translation_status.records import (
    FUZZY_MARK,
    KIND_NONE,
    KIND_SUBPAGES,
    PageStatus,
    UnitPage,
    split_unit_title,
    status_from_api,
    status_from_subpages,
    status_from_units,
    unit_ids,
)
from bots.translation_status.selection import (
    MAX_PAGES,
    PageSelection,
    SelectionProblem,
    SelectionResult,
    SelectionStatuses,
    StatisticsPending,
    bad_title,
    shared_folder,
    split_prefix_listing,
    subpages_in,
    too_many_pages,
)
from bots.wiki import translate_api
from bots.wiki.last_edits import last_edit_excluding, latest_edit_times
from bots.wiki.records import PageSnapshot
from bots.wiki.session import WikiSession
from bots.wiki.siteinfo import SiteFacts
from bots.wikitext.problems import Problem


@dataclass(frozen=True)
class _Resolved:
    """A selection's source pages (normalised), or the problem that stops it."""

    sources: tuple[str, ...]
    from_prefix: bool
    problem: Problem | None = None


class StatusCollector:
    """Collects :class:`PageStatus` for the pages of many selections, batched across them.

    Pages shared by several selections are read once; listings are cached; unit pages and
    subpages of all selections are read together. ``exclude`` titles (the status pages
    themselves) are never sources: the bot's own edits would make their subpages look old.
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
    ) -> None:
        self.session = session
        self.config = config
        self.facts = facts
        self.exclude = frozenset(exclude)
        self.use_api = use_api
        self.show_progress = show_progress
        self.pages_read = 0
        self.unavailable: dict[str, str] = {}  # page -> why Translate gave no figures
        self._known_codes = frozenset(facts.language_names) or None
        self._listings: dict[tuple[int, str], list[str]] = {}
        self._resolved: dict[PageSelection, _Resolved] = {}
        self._snapshots: dict[str, PageSnapshot] = dict(snapshots or {})
        self._subpages: dict[str, dict[str, str]] = {}  # source -> language -> subpage title
        self._unit_prefixes: set[str] = set()  # prefixes whose unit pages one listing covers
        self._statuses: dict[str, PageStatus] = {}
        self._languages: dict[str, frozenset[str] | None] = {}  # what each status was read for

    # -- listings --------------------------------------------------------------------------
    def _list(self, namespace: int, prefix: str) -> list[str]:
        key = (namespace, prefix)
        if key not in self._listings:
            self._listings[key] = list(self.session.all_pages(prefix, namespace))
        return self._listings[key]

    def _split_title(self, title: str) -> tuple[str, int, str]:
        """(full title, namespace, title without namespace) as the wiki spells them."""
        full, namespace = self.session.normalize(title)
        bare = full.split(":", 1)[1] if namespace != 0 and ":" in full else full
        return full, namespace, bare

    # -- resolving selections --------------------------------------------------------------
    def _resolve(self, selection: PageSelection) -> _Resolved:
        if selection not in self._resolved:
            self._resolved[selection] = self._resolve_anew(selection)
        return self._resolved[selection]

    def _resolve_anew(self, selection: PageSelection) -> _Resolved:
        if selection.pages:
            sources = []
            for title in selection.pages:
                try:
                    sources.append(self._split_title(title)[0])
                except Exception:  # Pywikibot raises InvalidTitleError and relatives
                    return _Resolved((), False, bad_title(title))
            return _Resolved(tuple(dict.fromkeys(sources)), False)
        try:
            full, namespace, bare = self._split_title(selection.prefix)
        except Exception:
            return _Resolved((), True, bad_title(selection.prefix))
        if selection.prefix.endswith("/") and not full.endswith("/"):
            full, bare = full + "/", bare + "/"
        listing = split_prefix_listing(self._list(namespace, bare), self._known_codes, self.exclude)
        if len(listing.sources) > MAX_PAGES:
            return _Resolved((), True, too_many_pages())
        # every subpage of a source under the prefix is under the prefix too: no more listings
        for title in listing.sources:
            self._subpages.setdefault(title, listing.subpages.get(title, {}))
        self._unit_prefixes.add(full)
        return _Resolved(listing.sources, True)

    # -- collecting ------------------------------------------------------------------------
    def collect(self, selections: Sequence[PageSelection]) -> dict[PageSelection, SelectionResult]:
        """The statuses of every selection's pages, read together."""
        resolved = [self._resolve(s) for s in selections]
        languages: set[str] | None = set()
        for selection in selections:
            if not selection.languages:
                languages = None
            elif languages is not None:
                languages.update(selection.languages)
        self.collect_pages([t for r in resolved for t in r.sources], languages)
        return {s: self._result(self._resolve(s)) for s in selections}

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
            if snap is None or not snap.exists or snap.is_redirect:
                self._statuses[title] = PageStatus(title, KIND_NONE, 0)
                continue
            units = unit_ids(snap.text or "")
            if units:
                with_units[title] = units
            else:
                plain.append(title)
        if with_units and self.use_api:
            with_units = self._collect_from_api(with_units, wanted)
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

    def _collect_from_api(
        self, pages: dict[str, tuple[str, ...]], languages: frozenset[str] | None
    ) -> dict[str, tuple[str, ...]]:
        """Translate's figures; returns the pages it has no group for (computed instead)."""
        api = self.session.api
        left: dict[str, tuple[str, ...]] = {}
        if translate_api.prefer_language_stats(len(pages), languages):
            assert languages is not None
            try:
                by_page = translate_api.page_stats_by_language(api, pages, sorted(languages))
            except translate_api.StatsUnavailable as exc:
                for title in pages:
                    self.unavailable[title] = exc.reason
                return {}
            for title, units in pages.items():
                if title in by_page:
                    self._store_api(title, by_page[title])
                else:
                    left[title] = units
            return left
        label = "Translate statistics"
        for title, units in progress(pages.items(), label=label, enabled=self.show_progress):
            try:
                figures = translate_api.group_stats(api, title)
            except translate_api.GroupNotFound:
                left[title] = units
                continue
            except translate_api.StatsUnavailable as exc:
                self.unavailable[title] = exc.reason
                continue
            self._store_api(title, figures)
        return left

    def _store_api(self, title: str, figures: list[translate_api.GroupFigures]) -> None:
        self._statuses[title] = status_from_api(
            title, figures, source_language=self._source_language(title)
        )

    def _collect_from_units(
        self, pages: dict[str, tuple[str, ...]], languages: frozenset[str] | None
    ) -> None:
        namespace = self.config.translations.unit_namespace
        prefixes = self._unit_prefixes
        uncovered = [t for t in pages if not any(f"{t}/".startswith(p) for p in prefixes)]
        shared = shared_folder(uncovered)
        if shared:
            self._unit_prefixes.add(shared)
        for title in pages:
            covering = [p for p in self._unit_prefixes if f"{title}/".startswith(p)]
            self._list(namespace, min(covering, key=len) if covering else f"{title}/")
        wanted: dict[str, tuple[str, str, str]] = {}
        for (ns, _prefix), titles in self._listings.items():
            if ns != namespace:
                continue
            for unit_title in titles:
                parts = split_unit_title(unit_title)
                if parts is None:
                    continue
                source, unit, lang = parts
                in_page = source in pages and unit in pages[source]
                if in_page and (languages is None or lang in languages):
                    wanted[unit_title] = parts
        snaps = self.session.read_pages(sorted(wanted)) if wanted else {}
        self.pages_read += len(wanted)
        found: dict[str, list[UnitPage]] = {}
        for unit_title, (source, unit, lang) in wanted.items():
            snap = snaps.get(unit_title)
            if snap is None or not snap.exists:
                continue
            fuzzy = (snap.text or "").startswith(FUZZY_MARK)
            found.setdefault(source, []).append(UnitPage(unit, lang, fuzzy, snap.timestamp))
        for title, units in pages.items():
            self._statuses[title] = status_from_units(
                title, units, found.get(title, []), source_language=self._source_language(title)
            )

    def _collect_from_subpages(self, pages: list[str]) -> None:
        by_namespace: dict[int, list[tuple[str, str]]] = {}
        for title in pages:
            if title not in self._subpages:
                full, namespace, bare = self._split_title(title)
                by_namespace.setdefault(namespace, []).append((full, bare))
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
            self._statuses[title] = status_from_subpages(
                title,
                self._source_change(title) if translated else self._snapshots[title].timestamp,
                translated,
                source_language=self._source_language(title),
            )

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

    def _result(self, resolved: _Resolved) -> SelectionResult:
        if resolved.problem is not None:
            return SelectionProblem(resolved.problem)
        pending = tuple(t for t in resolved.sources if t in self.unavailable)
        if pending:
            return StatisticsPending(pending)
        shown = []
        for title in resolved.sources:
            status = self._statuses[title]
            if resolved.from_prefix and status.kind == KIND_SUBPAGES and not status.records:
                continue  # an untranslated page under a prefix is not a translation target
            shown.append(status)
        return SelectionStatuses(tuple(shown))
