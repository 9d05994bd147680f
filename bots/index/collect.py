"""Collect the cases: every case page, parsed, with what the wiki says about it.

Reads: the pages transcluding the case template (``config.templates.case``, through its
redirects too) in ``permissions.case_namespaces`` that ``[permissions]`` allows, with revision
ids and times (and, with ``index.required_category``, whether they are in it); every title
under ``permissions.case_prefixes`` (translation subpages); the texts of the case pages whose
revision is not in the local cache (``bots.index.case_cache``).

What counts as a case page (``bots.cases.scope``): not under ``index.exclude_prefixes``, no
subpage named in ``index.exclude_subpages``, in ``index.required_category`` when set, and the
case template written in the page's own wikitext: a page that only transcludes case pages is
neither a case nor a broken one (it is kept in the cache as "no case, no problem").

A sensitive case comes out of the parser with nothing but what every list shows of any case
(``bots.cases.limits``): its contacts are placeholders before anything reaches the cache on disk
or a page. :func:`without_sensitive_contacts` applies the same to entries read from the cache.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from bots.cases.parser import parse_case_page
from bots.cases.record import HIDDEN_CONTACT, Case, CaseParseResult
from bots.cases.scope import category_title, not_a_case_page, writes_template
from bots.config.model import Config
from bots.config.permissions import case_page_allowed
from bots.i18n.messages import Messages
from bots.index.case_cache import CaseCache
from bots.index.languages import split_translation_subpages
from bots.outcomes import JobReport
from bots.progress import progress
from bots.translation_status.records import unit_ids
from bots.wiki.batches import chunks
from bots.wiki.listings import pages_with_template
from bots.wiki.records import PageSnapshot
from bots.wiki.session import WikiSession

log = logging.getLogger(__name__)

__all__ = ["HIDDEN_CONTACT", "CollectedCases", "collect_cases", "without_sensitive_contacts"]


@dataclass(frozen=True)
class CollectedCases:
    results: tuple[CaseParseResult, ...]  # one per case page, sorted by page title
    parsed: int  # pages parsed in this run (the rest came from the cache)
    # every listed page with the case template (translation subpages too): revision times
    listing: Mapping[str, PageSnapshot] = field(default_factory=dict)
    with_units: frozenset[str] = frozenset()  # case pages holding translation units
    not_cases: int = 0  # listed pages that are not case pages (excluded, only transcluding)
    # more case pages than ``max_pages``: the rest were not read, none of them is known removed
    truncated: bool = False

    @property
    def cases(self) -> list[Case]:
        return [r.case for r in self.results if r.case is not None]

    @property
    def with_problems(self) -> list[CaseParseResult]:
        return [r for r in self.results if r.problems]

    def summary(self) -> str:
        """The run's note on the cases."""
        total = len(self.results)
        text = (
            f"{len(self.cases)} cases on {total} pages ({self.parsed} parsed, "
            f"{total - self.parsed} from cache), {len(self.with_problems)} need attention"
        )
        if self.not_cases:
            text += (f"; {self.not_cases} listed page(s) are not case pages (excluded by "
                     "[index], or only transcluding cases)")  # fmt: skip
        return text


def without_sensitive_contacts(result: CaseParseResult) -> CaseParseResult:
    """The result with the contacts of a sensitive case replaced by placeholders."""
    case = result.case
    if case is None or not case.sensitive or not case.contacts:
        return result
    hidden = (HIDDEN_CONTACT,) * len(case.contacts)
    return dataclasses.replace(result, case=dataclasses.replace(case, contacts=hidden))


def _prefix_listings(config: Config) -> list[tuple[str, int]]:
    """(prefix without its namespace, namespace) for every case prefix and namespace."""
    return [
        (prefix.split(":", 1)[1] if namespace and ":" in prefix else prefix, namespace)
        for prefix in config.permissions.case_prefixes
        for namespace in config.permissions.case_namespaces
    ]


def _read_pages(session: WikiSession, titles: Sequence[str]) -> Iterator[PageSnapshot | None]:
    """The pages, one request-sized batch at a time (so that progress can be shown)."""
    for batch in chunks(titles, session.batch_size(content=True)):
        pages = session.read_pages(batch)
        yield from (pages.get(title) for title in batch)


def collect_cases(
    session: WikiSession,
    config: Config,
    messages: Messages,
    report: JobReport,
    *,
    names: frozenset[str],
    show_progress: bool | None = None,
    wiki: str = "",
    max_pages: int | None = None,
) -> CollectedCases:
    """Every case page under the configured prefixes, parsed (from the cache when unchanged).

    ``names`` are the case template's name and its redirects; ``show_progress`` as
    ``RunOptions.progress``. ``wiki``: the id of the source wiki ``session`` is on ("" for the
    central wiki), whose own cache file is used (``bots.index.case_cache``); ``max_pages``: at
    most that many case pages (in title order), the result then ``truncated``.
    """
    category = category_title(config)
    found = pages_with_template(
        session, config.templates.case, config.permissions.case_namespaces,
        _prefix_listings(config), category=category,
    )  # fmt: skip
    allowed = [s for s in found.pages if case_page_allowed(s.title, s.namespace, config)]
    listing = {snap.title: snap for snap in allowed if not_a_case_page(snap.title, config) is None}
    existing = found.under_prefixes | set(listing)
    case_titles, languages = split_translation_subpages(listing, existing, config, messages)
    outside = [t for t in case_titles if category and t not in found.in_category]
    case_titles = [t for t in case_titles if t not in outside]
    truncated = max_pages is not None and len(case_titles) > max_pages
    case_titles = case_titles[:max_pages]

    cache = CaseCache.for_config(config, names, wiki) if config.index.cache else None
    results: dict[str, CaseParseResult] = {}
    with_units: set[str] = set()
    to_read: list[str] = []
    for title in case_titles:
        cached = cache.get(title, listing[title].revid) if cache else None
        if cached is not None:
            try:
                results[title] = without_sensitive_contacts(CaseParseResult.from_json(cached))
            except ValueError:
                to_read.append(title)  # another parser version: read it again
                continue
            if cache and cache.has_units(title):
                with_units.add(title)
            continue
        to_read.append(title)
    report.pages_read += len(to_read)
    pages = progress(_read_pages(session, to_read), total=len(to_read),
                     label="reading case pages", enabled=show_progress)  # fmt: skip
    for title, snap in zip(to_read, pages, strict=True):
        if snap is None or not snap.exists:
            continue  # deleted since the listing: it is simply not a case any more
        if snap.text is None:
            log.warning("no text came back for case page %s; it is left out this time", title)
            report.notes.append(f"{title}: the wiki returned no text; left out of this run")
            continue
        result = without_sensitive_contacts(
            parse_case_page(title, snap.text, config, template_names=names)
        )
        if result.case is None and not writes_template(snap.text, names):
            result = CaseParseResult(title, None)  # only transcludes cases: not a case page
        results[title] = result
        units = bool(unit_ids(snap.text))
        if units:
            with_units.add(title)
        if cache:
            cache.put(title, snap.revid, result.to_json(), units=units)
    if cache:
        if not truncated:  # pages past the bound keep their entries for another run
            cache.retain(set(results))
        cache.save()

    not_cases = {t for t, r in results.items() if r.case is None and not r.problems}
    final = [
        _with_page_facts(results[title], listing[title], languages.get(title, []))
        for title in sorted(results)
        if title not in not_cases
    ]
    skipped = len(allowed) - len(listing) + len(outside) + len(not_cases)
    return CollectedCases(results=tuple(final), parsed=len(to_read), listing=listing,
                          with_units=frozenset(with_units & set(results) - not_cases),
                          not_cases=skipped, truncated=truncated)  # fmt: skip


def _with_page_facts(
    result: CaseParseResult, snap: PageSnapshot, languages: Sequence[str]
) -> CaseParseResult:
    """The result with what the listing says about the page: revision, time, translations."""
    if result.case is None:
        return result
    case = dataclasses.replace(
        result.case, revid=snap.revid, last_edit=snap.timestamp, languages=tuple(languages)
    )
    return dataclasses.replace(result, case=case)
