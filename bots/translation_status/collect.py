"""`advocacy-hub run translations`: keep every translation status table on the wiki current.

Recipe: **collect** (site facts, marker pages, page listings, batched reads or the Translate
API) -> **build** (``bots.translation_status.records`` records, ``bots.translations.view`` and
``bots.translations.table`` tables, ``bots.translations.summary`` summaries; pure) -> **publish**
(``save_page``, only between the markers, only on pages the configuration allows).

Reads: the pages carrying ``{{<translation_start>}}`` (``embeddedin`` with content, in
``permissions.edit_namespaces``); the pages each marker names; for pages with translation units
either Translate's statistics (``meta=messagegroupstats``/``languagestats``, when the wiki has
the extension and ``translations.source`` allows it) or the unit pages in namespace
``translations.unit_namespace`` (listed by prefix, read in batches); for pages translated by
hand, their language subpages (listed by prefix, read in batches, revision times only).
Writes: the inner content of marker regions, nothing else.

Other jobs use :func:`collect_statuses`, :func:`translation_needs` (digest) and
:func:`case_translations` (the case index's languages column).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bots.config.model import Config
from bots.translation_status.records import (
    FUZZY_MARK,
    KIND_NONE,
    KIND_SUBPAGES,
    PageStatus,
    PageTranslations,
    TranslationRecord,
    UnitPage,
    page_translations,
    split_unit_title,
    status_from_api,
    status_from_subpages,
    status_from_units,
    translation_subpage,
    unit_ids,
)
from bots.translations.view import MAX_PAGES, StatusView
from bots.wiki import translate_api
from bots.wiki.records import PageSnapshot
from bots.wiki.session import WikiSession
from bots.wikitext.problems import Problem


@dataclass(frozen=True)
class SiteFacts:
    """What the run needs to know about the wiki, from one ``siteinfo`` request."""

    content_language: str
    has_translate: bool
    language_names: Mapping[str, str] = field(default_factory=dict)  # code -> autonym


def read_site_facts(session: WikiSession) -> SiteFacts:
    result = session.api(action="query", meta="siteinfo", siprop="general|extensions|languages")
    query = result.get("query", {})
    languages = query.get("languages", [])
    names = {str(lang.get("code")): str(lang.get("name", "")) for lang in languages}
    return SiteFacts(
        content_language=str(query.get("general", {}).get("lang", "en")),
        has_translate=translate_api.has_translate(query.get("extensions", [])),
        language_names=names,
    )


def use_translate_api(config: Config, facts: SiteFacts) -> bool:
    """``auto`` uses the API when the wiki has Translate; ``computed`` never does."""
    source = config.translations.source
    return source == "translate" or (source == "auto" and facts.has_translate)


@dataclass
class _Resolved:
    """A view's pages: the sources, and (prefix views) the subpages seen in the listing."""

    sources: list[str]
    from_prefix: bool
    problem: Problem | None = None


class StatusCollector:
    """Collects :class:`PageStatus` for the pages of many views with as few requests as it can.

    Pages shared by several views are read once; listings are cached; unit pages and subpages
    of all views are read together in batches. ``exclude`` titles (the status pages themselves)
    are never counted as source pages: the bot's own edits would make their subpages look old.
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
    ) -> None:
        self.session = session
        self.config = config
        self.facts = facts
        self.exclude = frozenset(exclude)
        self.use_api = use_api
        self.pages_read = 0
        self.unavailable: dict[str, str] = {}  # page -> why Translate gave no figures
        self._known_codes = frozenset(facts.language_names) or None
        self._listings: dict[tuple[int, str], list[str]] = {}
        self._resolved: dict[StatusView, _Resolved] = {}
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

    # -- resolving views -------------------------------------------------------------------
    def _resolve(self, view: StatusView) -> _Resolved:
        if view in self._resolved:
            return self._resolved[view]
        if view.pages:
            sources = []
            for title in view.pages:
                try:
                    sources.append(self._split_title(title)[0])
                except Exception:  # Pywikibot raises InvalidTitleError and relatives
                    return self._remember(view, _Resolved([], False, _bad_title(title)))
            return self._remember(view, _Resolved(list(dict.fromkeys(sources)), False))
        try:
            full, namespace, bare = self._split_title(view.prefix)
        except Exception:
            return self._remember(view, _Resolved([], True, _bad_title(view.prefix)))
        if view.prefix.endswith("/") and not full.endswith("/"):
            full, bare = full + "/", bare + "/"
        titles = self._list(namespace, bare)
        present = set(titles)
        sources = []
        subpages: dict[str, dict[str, str]] = {}
        for title in titles:
            parent, code = translation_subpage(title, self._known_codes)
            if code and parent in present:
                subpages.setdefault(parent, {})[code] = title
            elif title not in self.exclude:
                sources.append(title)
        if len(sources) > MAX_PAGES:
            problem = Problem("translations-too-many-pages", (str(len(sources)), str(MAX_PAGES)))
            return self._remember(view, _Resolved([], True, problem))
        # every subpage of a source under the prefix is under the prefix too: no more listings
        for title in sources:
            self._subpages.setdefault(title, subpages.get(title, {}))
        self._unit_prefixes.add(full)
        return self._remember(view, _Resolved(sources, True))

    def _remember(self, view: StatusView, resolved: _Resolved) -> _Resolved:
        self._resolved[view] = resolved
        return resolved

    # -- collecting ------------------------------------------------------------------------
    def collect(self, views: Sequence[StatusView]) -> None:
        """Gather the statuses of every page of ``views`` (batched across views)."""
        resolved = [self._resolve(v) for v in views]
        languages: set[str] | None = set()
        for view in views:
            if not view.languages:
                languages = None
            elif languages is not None:
                languages.update(view.languages)
        self.collect_pages([t for r in resolved for t in r.sources], languages)

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
        for title, units in pages.items():
            try:
                items = translate_api.group_stats(api, title)
            except translate_api.GroupNotFound:
                left[title] = units
                continue
            except translate_api.StatsUnavailable as exc:
                self.unavailable[title] = exc.reason
                continue
            self._store_api(title, items)
        return left

    def _store_api(self, title: str, items: list[dict[str, object]]) -> None:
        self._statuses[title] = status_from_api(
            title, items, source_language=self._source_language(title)
        )

    def _collect_from_units(
        self, pages: dict[str, tuple[str, ...]], languages: frozenset[str] | None
    ) -> None:
        namespace = self.config.translations.unit_namespace
        prefixes = self._unit_prefixes
        uncovered = [t for t in pages if not any(f"{t}/".startswith(p) for p in prefixes)]
        shared = _shared_folder(uncovered)
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
            shared = _shared_folder([bare for _full, bare in titles])
            listed = {bare: self._list(namespace, shared or f"{bare}/") for _full, bare in titles}
            for full, bare in titles:
                found: dict[str, str] = {}
                for sub in listed[bare]:
                    parent, code = translation_subpage(sub, self._known_codes)
                    if code and parent == full:
                        found[code] = sub
                self._subpages[full] = found
        subpage_titles = sorted({s for p in pages for s in self._subpages.get(p, {}).values()})
        snaps = self.session.read_pages(subpage_titles, content=False) if subpage_titles else {}
        self.pages_read += len(subpage_titles)
        for title in pages:
            times = {
                code: snaps[sub].timestamp
                for code, sub in self._subpages.get(title, {}).items()
                if sub in snaps and snaps[sub].exists
            }
            self._statuses[title] = status_from_subpages(
                title,
                self._source_change(title) if times else self._snapshots[title].timestamp,
                times,
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
        result = self.session.api(
            action="query",
            prop="revisions",
            titles=title,
            rvprop="timestamp|user",
            rvlimit=1,
            rvexcludeuser=bot,
        )
        pages = result.get("query", {}).get("pages", [])
        revisions = pages[0].get("revisions", []) if pages else []
        return str(revisions[0]["timestamp"]) if revisions else snap.timestamp

    # -- results ---------------------------------------------------------------------------
    def status(self, title: str) -> PageStatus | None:
        return self._statuses.get(title)

    def statuses(self, view: StatusView) -> list[PageStatus] | list[Problem] | None:
        """The view's page statuses, its problem, or None when Translate had no figures yet."""
        resolved = self._resolve(view)
        if resolved.problem is not None:
            return [resolved.problem]
        self.collect([view])
        if any(t in self.unavailable for t in resolved.sources):
            return None
        out = []
        for title in resolved.sources:
            status = self._statuses[title]
            if resolved.from_prefix and status.kind == KIND_SUBPAGES and not status.records:
                continue  # an untranslated page under a prefix is not a translation target
            out.append(status)
        return out


SHARED_LISTING_MIN_PAGES = 3


def _shared_folder(titles: Sequence[str]) -> str:
    """The longest ``…/`` prefix shared by 3 or more titles, else "".

    Listing that folder once costs one request per 5,000 titles, where listing each page's
    subpages costs one request per page; below 3 pages the per-page listings are as cheap.
    """
    if len(titles) < SHARED_LISTING_MIN_PAGES:
        return ""
    folders = [t.split("/")[:-1] for t in titles]
    shared: list[str] = []
    for parts in zip(*folders, strict=False):
        if len(set(parts)) != 1:
            break
        shared.append(parts[0])
    return "/".join(shared) + "/" if shared else ""


def _bad_title(title: str) -> Problem:
    return Problem("translations-bad-title", (title,))


def collect_statuses(
    session: WikiSession,
    config: Config,
    pages: Sequence[str],
    languages: Sequence[str] | None = None,
    *,
    facts: SiteFacts | None = None,
    snapshots: Mapping[str, PageSnapshot] | None = None,
) -> dict[str, PageStatus]:
    """Statuses of ``pages`` (any titles; keys as given), for ``languages`` (None: all).

    ``snapshots`` already read by the caller (with text) are reused instead of read again.
    """
    facts = facts or read_site_facts(session)
    collector = StatusCollector(
        session, config, facts, use_api=use_translate_api(config, facts), snapshots=snapshots
    )
    names = {title: session.normalize(title)[0] for title in pages}
    collector.collect_pages(names.values(), languages)
    out: dict[str, PageStatus] = {}
    for asked, title in names.items():
        status = collector.status(title)
        if status is not None:
            out[asked] = status
    return out


def translation_needs(
    session: WikiSession,
    config: Config,
    pages: Sequence[str],
    languages: Sequence[str] | None = None,
    *,
    facts: SiteFacts | None = None,
) -> list[TranslationRecord]:
    """For the digest: every (page, language) whose translation is missing, incomplete or
    outdated, sorted by page then language. ``languages`` default to
    ``config.translations.languages``; a page's own language is never listed."""
    langs = tuple(languages) if languages is not None else config.translations.languages
    statuses = collect_statuses(session, config, pages, langs, facts=facts)
    needs = []
    for status in sorted(statuses.values(), key=lambda s: s.page):
        for lang in langs:
            if lang == status.source_language:
                continue
            rec = status.record(lang)
            if rec is not None and not rec.complete:
                needs.append(rec)
    return needs


def case_translations(
    session: WikiSession,
    config: Config,
    pages: Sequence[str],
    *,
    facts: SiteFacts | None = None,
    snapshots: Mapping[str, PageSnapshot] | None = None,
) -> dict[str, PageTranslations]:
    """For the case index: per case page, which translations exist and which are outdated."""
    statuses = collect_statuses(session, config, pages, None, facts=facts, snapshots=snapshots)
    return {asked: page_translations(status) for asked, status in statuses.items()}
