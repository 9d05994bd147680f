"""The case index job: every case page, parsed, in every index view on the wiki.

Reads: every page transcluding the case template (`config.templates.case`, through redirects
too) in `permissions.case_namespaces`/`case_prefixes`; prefix listings of those prefixes (for
translation subpages); every page transcluding the index start marker.
Writes: only between `{{Advocacy case index}}` … `{{Advocacy case index end}}` pairs, only on
pages that `[permissions]` allows, only when the text changed. Marker pages elsewhere are
ignored quietly (a debug log line and a count in the run notes): other pages may legitimately
show the template, and the bot does not edit them whatever they ask for.

Recipe: collect (list case pages with revision ids; read and parse only pages whose revision is
not in the local cache) -> build (render each marker page) -> publish (save through the guarded
save, circuit breaker first). Contacts of sensitive cases are replaced by placeholders right
after parsing, so they reach neither the cache nor any page. Editors' and operators' guide:
docs/index.md.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bots.cases.parser import parse_case_page
from bots.cases.record import Case, CaseParseResult
from bots.config.model import Config
from bots.config.permissions import case_page_allowed, edit_refusal
from bots.i18n.messages import Messages
from bots.index.case_cache import CaseCache
from bots.index.pages import MarkerNames, PageRender, breaker_trips, render_marker_page
from bots.outcomes import EditOutcome, Failed, JobReport, Saved, Skipped, Unchanged
from bots.run_options import RunOptions
from bots.translation_status.collect import case_translations
from bots.translation_status.records import (
    PageTranslations,
    page_translations,
    status_from_subpages,
    unit_ids,
)
from bots.wiki.records import PageSnapshot
from bots.wiki.saves import save_page
from bots.wiki.session import WikiSession
from bots.wiki.templates import template_names
from bots.wikitext.markers import MarkerError, find_marker_regions
from bots.wikitext.problems import Problem

log = logging.getLogger(__name__)

NS_TEMPLATE = 10

# Stands in for each contact of a sensitive case (see without_sensitive_contacts).
HIDDEN_CONTACT = "(hidden)"

_LANG_CODE_RE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$")


@dataclass(frozen=True)
class CollectedCases:
    results: tuple[CaseParseResult, ...]  # one per case page, sorted by page title
    parsed: int  # pages parsed in this run (the rest came from the cache)
    # every listed page with the case template (translation subpages too): revision times
    listing: Mapping[str, PageSnapshot] = field(default_factory=dict)
    with_units: frozenset[str] = frozenset()  # case pages holding translation units

    @property
    def cases(self) -> list[Case]:
        return [r.case for r in self.results if r.case is not None]

    @property
    def with_problems(self) -> list[CaseParseResult]:
        return [r for r in self.results if r.problems]


def is_language_code(code: str, config: Config, messages: Messages) -> bool:
    if not _LANG_CODE_RE.match(code):
        return False
    return code in config.translations.languages or messages.autonym(code) != code


def split_translation_subpages(
    titles: Iterable[str], existing: set[str], config: Config, messages: Messages
) -> tuple[list[str], dict[str, list[str]]]:
    """Case pages proper, and base title -> language codes of its subpages that exist.

    ``titles`` are the pages carrying the case template, ``existing`` every page under the case
    prefixes. ``Page/zh`` is a translation (not a case) when ``Page`` carries a case itself; a
    case on the ``/zh`` subpage of a page without one is the only copy of that case, so it
    counts as a case of its own rather than vanishing.
    """
    with_template = set(titles)
    case_titles: list[str] = []
    languages: dict[str, list[str]] = {}
    for title in sorted(with_template):
        base, _, last = title.rpartition("/")
        if base and base in with_template and is_language_code(last, config, messages):
            continue  # a translation of another case page, not a case of its own
        case_titles.append(title)
    case_set = set(case_titles)
    for title in existing:
        base, _, last = title.rpartition("/")
        if base in case_set and is_language_code(last, config, messages):
            languages.setdefault(base, []).append(last)
    return case_titles, {k: sorted(v) for k, v in languages.items()}


def without_sensitive_contacts(result: CaseParseResult) -> CaseParseResult:
    """The result with the contacts of a sensitive case replaced by placeholders.

    Right after parsing, so that the names reach neither the cache on disk nor any page: the
    views only need to know that a sensitive case has contacts (they show "hidden").
    """
    case = result.case
    if case is None or not case.sensitive or not case.contacts:
        return result
    hidden = (HIDDEN_CONTACT,) * len(case.contacts)
    return dataclasses.replace(result, case=dataclasses.replace(case, contacts=hidden))


def read_texts(session: WikiSession, titles: Sequence[str]) -> dict[str, PageSnapshot]:
    """Read pages with their text, in batches; pages whose text did not come back are read again.

    When a batch's texts exceed the API's result size limit (8 MB by default), MediaWiki
    sends them over several continued responses, and ``WikiSession.read_pages`` keeps the last
    record of each page, which after a continuation has no text. Reading those pages again, in
    a smaller request, gets them.
    """
    pages = session.read_pages(titles) if titles else {}
    missing = [t for t in titles if t in pages and pages[t].exists and pages[t].text is None]
    while missing:
        again = session.read_pages(missing)
        pages.update({t: again[t] for t in missing if t in again})
        still = [t for t in missing if t in pages and pages[t].exists and pages[t].text is None]
        if len(still) >= len(missing):
            break  # no progress: leave them out (reported by the caller)
        missing = still
    return pages


def collect_cases(
    session: WikiSession,
    config: Config,
    messages: Messages,
    report: JobReport,
    *,
    names: frozenset[str] | None = None,
) -> CollectedCases:
    """Every case page under the configured prefixes, parsed (from the cache when unchanged).

    ``names`` are the case template's name and its redirects (looked up when not given).
    """
    template = config.templates.case
    if names is None:
        names = template_names(session, [template])[template]
    prefix_listings = [
        (prefix.split(":", 1)[1] if namespace and ":" in prefix else prefix, namespace)
        for prefix in config.permissions.case_prefixes
        for namespace in config.permissions.case_namespaces
    ]
    existing: set[str] = set()
    extra: dict[str, object] | None = None
    if prefix_listings:
        # The first prefix listing rides along in the requests that list the case pages
        # (MediaWiki continues a list= module together with the generator): one request less.
        local, namespace = prefix_listings.pop(0)
        extra = {"list": "allpages", "apprefix": local, "apnamespace": namespace,
                 "aplimit": "max"}  # fmt: skip

    def listed(query: Mapping[str, Any]) -> None:
        existing.update(p["title"] for p in query.get("allpages", []))

    listing: dict[str, PageSnapshot] = {}
    for snap in session.embedded_in(
        template, config.permissions.case_namespaces, content=False, extra=extra, on_query=listed
    ):
        if case_page_allowed(snap.title, snap.namespace, config):
            listing[snap.title] = snap
    existing.update(listing)
    for local, namespace in prefix_listings:
        existing.update(session.all_pages(local, namespace))
    case_titles, languages = split_translation_subpages(listing, existing, config, messages)

    cache = CaseCache.for_config(config, names) if config.index.cache else None
    results: dict[str, CaseParseResult] = {}
    with_units: set[str] = set()
    to_read: list[str] = []
    for title in case_titles:
        cached = cache.get(title, listing[title].revid) if cache else None
        if cached is not None:
            try:
                results[title] = without_sensitive_contacts(CaseParseResult.from_json(cached))
                if cache and cache.has_units(title):
                    with_units.add(title)
                continue
            except ValueError:
                pass  # another parser version: read it again
        to_read.append(title)
    pages = read_texts(session, to_read)
    report.pages_read += len(to_read)
    for title in to_read:
        snap = pages.get(title)
        if snap is None or not snap.exists:
            continue  # deleted since the listing: it is simply not a case any more
        if snap.text is None:
            log.warning("no text came back for case page %s; it is left out this time", title)
            report.notes.append(f"{title}: the wiki returned no text; left out of this run")
            continue
        result = without_sensitive_contacts(
            parse_case_page(title, snap.text, config, template_names=names)
        )
        results[title] = result
        units = bool(unit_ids(snap.text))
        if units:
            with_units.add(title)
        if cache:
            cache.put(title, snap.revid, result.to_json(), units=units)
    if cache:
        cache.retain(set(results))
        cache.save()

    final: list[CaseParseResult] = []
    for title in sorted(results):
        result = results[title]
        if result.case is not None:
            snap = listing[title]
            case = dataclasses.replace(
                result.case,
                revid=snap.revid,
                last_edit=snap.timestamp,
                languages=tuple(languages.get(title, ())),
            )
            result = dataclasses.replace(result, case=case)
        final.append(result)
    return CollectedCases(results=tuple(final), parsed=len(to_read), listing=listing,
                          with_units=frozenset(with_units & set(results)))  # fmt: skip


def page_language(snap: PageSnapshot, config: Config, messages: Messages, default: str) -> str:
    """A `/xx` language subpage speaks xx; otherwise the page's content language."""
    last = snap.title.rpartition("/")[2]
    if "/" in snap.title and is_language_code(last, config, messages):
        return last
    return snap.language or default


def marker_names(
    session: WikiSession, config: Config, names: dict[str, frozenset[str]] | None = None
) -> MarkerNames:
    """The index markers and their redirects (``names``: from :func:`template_names`)."""
    start = config.templates.index_start
    end = config.templates.index_end
    if names is None:
        names = template_names(session, [start, end])
    return MarkerNames(
        start=start,
        end=end,
        start_redirects=tuple(sorted(names[start] - {start})),
        end_redirects=tuple(sorted(names[end] - {end})),
    )


@dataclass(frozen=True)
class HumanEdits:
    """Edits by others since the bot's own last revision of a page: where they start, the
    latest of them and who made them (oldest first)."""

    base: int  # the revision they start from (the bot's, when it is among the recent ones)
    latest: int
    users: tuple[str, ...]

    @property
    def diff_link(self) -> str:
        """A wiki link to the combined diff of these edits (for edit summaries)."""
        return f"[[Special:Diff/{self.base}/{self.latest}]]"

    def problem(self) -> Problem:
        return Problem("human-edit", (str(self.base), str(self.latest), ", ".join(self.users)))


def human_edits(session: WikiSession, title: str, *, limit: int = 20) -> HumanEdits | None:
    """Who edited the page since the bot last saved it (one request; None if nobody did)."""
    found: list[dict[str, Any]] = []
    for q in session.query_results(
        titles=title, prop="revisions", rvprop="ids|user", rvlimit=limit
    ):
        for page in q.get("pages", []):
            for rev in page.get("revisions", []):
                if rev.get("user") == session.config.wiki.user:
                    break
                found.append(rev)
        break  # the latest few revisions are plenty to name the edits
    if not found:
        return None
    oldest = found[-1]
    base = int(oldest.get("parentid") or 0) or int(oldest["revid"])
    users = tuple(dict.fromkeys(str(r.get("user", "?")) for r in reversed(found)))
    return HumanEdits(base=base, latest=int(found[0]["revid"]), users=users)


def _human_edit_note(title: str, edits: HumanEdits) -> str:
    return (
        f"{title}: manual edit inside the bot's region by {', '.join(edits.users)} "
        f"(Special:Diff/{edits.base}/{edits.latest}); replaced"
    )


def summary_text(
    messages: Messages, lang: str, render: PageRender, total: int, human: HumanEdits | None
) -> str:
    """The edit summary in the page's language: what changed and how many cases there are."""
    if render.added or render.updated or render.removed:
        text = messages.msg(
            "advocacyhub-index-summary",
            lang,
            render.added,
            render.updated,
            render.removed,
            total,
        )
    else:
        text = messages.msg("advocacyhub-index-summary-other", lang, total)
    if human is not None:
        text += messages.msg("advocacyhub-index-summary-human-edit", lang, human.diff_link)
    return text


def marker_problem(error: MarkerError) -> Problem:
    """The needs-attention entry of a page whose markers cannot be paired."""
    if error.code == "nested-start":
        return Problem("marker-nested-start", (str(error.line), str(error.open_line)))
    return Problem(f"marker-{error.code}", (str(error.line),))


def find_marker_pages(
    session: WikiSession, config: Config, names: MarkerNames
) -> tuple[list[PageSnapshot], list[str]]:
    """Pages with the start marker that the bot may edit (with their text), and the titles of
    the others.

    Other pages may legitimately carry the marker (a copy in someone's notes, a page outside
    the bot's area): they are ignored quietly, whatever they ask for, and their text is not
    even downloaded: the pages are listed first, then only the allowed ones are read.
    """
    allowed: list[str] = []
    ignored: list[str] = []
    listing = session.embedded_in(names.start, config.permissions.edit_namespaces, content=False)
    for snap in listing:
        refusal = edit_refusal(snap.title, snap.namespace, config)
        if refusal:
            log.debug("ignoring index markers on %s: %s", snap.title, refusal)
            ignored.append(snap.title)
        else:
            allowed.append(snap.title)
    allowed.sort()
    read = read_texts(session, allowed)
    pages = [read[t] for t in allowed if t in read and read[t].exists and read[t].text is not None]
    return pages, ignored


def run(
    session: WikiSession, config: Config, options: RunOptions, report: JobReport | None = None
) -> JobReport:
    # run_job passes the report in, so what was done before a mid-run stop is still reported
    report = report if report is not None else JobReport(job="index")
    messages = Messages.load()
    templates = config.templates
    names_by_template = template_names(
        session, [templates.case, templates.index_start, templates.index_end]
    )
    collected = collect_cases(
        session, config, messages, report, names=names_by_template[templates.case]
    )
    report.notes.append(
        f"{len(collected.cases)} cases on {len(collected.results)} pages "
        f"({collected.parsed} parsed, {len(collected.results) - collected.parsed} from cache), "
        f"{len(collected.with_problems)} need attention"
    )
    names = marker_names(session, config, names_by_template)
    default_lang = session.site.lang or "en"
    marker_pages, ignored = find_marker_pages(session, config, names)
    report.pages_read += len(marker_pages)
    if ignored:
        report.notes.append(
            f"{len(ignored)} page(s) with index markers outside [permissions] ignored"
        )
    if any(_shows_languages(snap.text or "", names) for snap in marker_pages):
        collected = with_outdated_languages(session, config, collected)

    # Page-level problems (broken markers, manual edits inside regions) must be known before
    # any view is rendered, so that every needs-attention list shows them.
    page_problems: list[CaseParseResult] = []
    renders: dict[str, PageRender] = {}
    human: dict[str, HumanEdits | None] = {}
    cases = collected.cases
    for snap in marker_pages:
        lang = page_language(snap, config, messages, default_lang)
        render = render_marker_page(
            snap.text or "", names, cases, collected.results, messages, lang, config
        )
        renders[snap.title] = render
        if render.error is not None:
            problem = marker_problem(render.error)
            page_problems.append(CaseParseResult(snap.title, None, (problem,)))
            report.notes.append(
                f"{snap.title}: index markers broken, page left untouched: {render.error.reason}"
            )
        elif render.human_edited:
            edits = human_edits(session, snap.title)
            human[snap.title] = edits
            if edits is not None:
                page_problems.append(CaseParseResult(snap.title, None, (edits.problem(),)))
                report.notes.append(_human_edit_note(snap.title, edits))

    attention: Sequence[CaseParseResult] = (*collected.results, *page_problems)
    context = _Context(session, config, options, messages, report, cases, attention, names)
    for snap in marker_pages:
        error = renders[snap.title].error
        if error is not None:
            report.record(Skipped(snap.title, f"broken index markers: {error.reason}"))
            continue
        lang = page_language(snap, config, messages, default_lang)
        _publish_page(context, snap, lang, human.get(snap.title))
    return report


def _shows_languages(text: str, names: MarkerNames) -> bool:
    """Whether any index view on a page asks for the languages column."""
    scan = find_marker_regions(
        text, names.start, names.end,
        extra_names=names.start_redirects, extra_end_names=names.end_redirects,
    )
    return any(
        "languages" in (value or "").casefold()
        for region in scan.regions
        for key, value in region.params.items()
        if key.strip().casefold() == "columns"
    )


def with_outdated_languages(
    session: WikiSession, config: Config, collected: CollectedCases
) -> CollectedCases:
    """Mark which translations of each case are behind its source, for the languages column.

    Only cases that have translations are looked at, and only when a view shows the column, so
    a run whose views don't show it costs nothing more. A case translated by hand into
    subpages is outdated where the source changed after the subpage (as the translations job
    computes it): the revision times come from the listing of the case pages, which holds
    every subpage that carries the case template; the other subpages are read in batches,
    without their text. Only cases whose source holds translation units go through the
    translations job (their units must be read).
    """

    translated = [r.case for r in collected.results if r.case and r.case.languages]
    if not translated:
        return collected
    by_units = [c.page for c in translated if c.page in collected.with_units]
    by_hand = [c for c in translated if c.page not in collected.with_units]
    times = {title: snap.timestamp for title, snap in collected.listing.items()}
    unlisted = [f"{c.page}/{lang}" for c in by_hand for lang in c.languages
                if f"{c.page}/{lang}" not in times]  # fmt: skip
    if unlisted:
        read = session.read_pages(unlisted, content=False)
        times.update({t: snap.timestamp for t, snap in read.items() if snap.exists})
    default_lang = session.site.lang or "en"
    status: dict[str, PageTranslations] = {}
    for case in by_hand:
        snap = collected.listing.get(case.page)
        subpages = {
            lang: times[f"{case.page}/{lang}"]
            for lang in case.languages
            if f"{case.page}/{lang}" in times
        }
        status[case.page] = page_translations(status_from_subpages(
            case.page, case.last_edit, subpages,
            source_language=(snap.language if snap else "") or default_lang,
        ))  # fmt: skip
    if by_units:
        status.update(case_translations(session, config, by_units))
    results = []
    for result in collected.results:
        facts = status.get(result.case.page) if result.case else None
        if result.case is not None and facts is not None:
            outdated = tuple(c for c in result.case.languages if c in facts.outdated)
            case = dataclasses.replace(result.case, outdated_languages=outdated)
            result = dataclasses.replace(result, case=case)
        results.append(result)
    return dataclasses.replace(collected, results=tuple(results))


@dataclass(frozen=True)
class _Context:
    """What every marker page of one run is rendered and saved with."""

    session: WikiSession
    config: Config
    options: RunOptions
    messages: Messages
    report: JobReport
    cases: list[Case]
    attention: Sequence[CaseParseResult]
    names: MarkerNames


@dataclass
class _Attempt:
    """One guarded save of a marker page (edit conflicts included) and what it found."""

    outcome: EditOutcome | None = None
    base: PageSnapshot | None = None  # the text the saved (or last built) version came from
    render: PageRender | None = None
    tripped: list[str] = field(default_factory=list)  # breaker reasons that stopped the save
    forced: list[str] = field(default_factory=list)  # breaker reasons overridden by --force


def _save_views(
    ctx: _Context, title: str, lang: str, base: PageSnapshot | None, human: HumanEdits | None
) -> _Attempt:
    attempt = _Attempt()
    share = ctx.config.index.max_removed_share
    found_late: list[HumanEdits] = []

    def build(current: PageSnapshot) -> str | None:
        # Runs again on fresh text after an edit conflict: the human's edit is kept.
        attempt.tripped.clear()
        attempt.forced.clear()
        render = render_marker_page(
            current.text or "", ctx.names, ctx.cases, ctx.attention, ctx.messages, lang,
            ctx.config,
        )  # fmt: skip
        attempt.base, attempt.render = current, render
        if render.text is None:
            return None
        for region in breaker_trips(render, share, ctx.config.index.min_removed_rows):
            reason = (
                f"the view on line {region.line} would lose {len(region.gone)} of its "
                f"{region.old_rows} rows (more than {share:.0%})"
            )
            (attempt.forced if ctx.options.force else attempt.tripped).append(reason)
        return None if attempt.tripped else render.text

    def summary(current: PageSnapshot, new_text: str) -> str:
        assert attempt.render is not None
        edits = human if attempt.render.human_edited else None
        if edits is None and attempt.render.human_edited:
            # Somebody edited inside a region between the bot's first read and this save (an
            # edit conflict made the bot read the page again): name it all the same.
            if not found_late:
                late = human_edits(ctx.session, title)
                if late is not None:
                    found_late.append(late)
                    ctx.report.notes.append(_human_edit_note(title, late))
            edits = found_late[0] if found_late else None
        return summary_text(ctx.messages, lang, attempt.render, len(ctx.cases), edits)

    attempt.outcome = save_page(
        ctx.session, title, build, summary, base=base, show_diff=ctx.options.diff,
        diff_out=ctx.options.out,
    )  # fmt: skip
    return attempt


def merged_human_edits(
    session: WikiSession, title: str, base_revid: int, new_revid: int, *, limit: int = 20
) -> HumanEdits | None:
    """Edits MediaWiki merged under the bot's save: revisions between its base and its new one.

    When someone edits a page between the bot's read and its save and the two edits touch
    different lines, MediaWiki merges them instead of reporting a conflict. One request.
    """
    revisions: list[dict[str, Any]] = []
    for q in session.query_results(
        titles=title, prop="revisions", rvprop="ids|user", rvstartid=new_revid, rvlimit=limit
    ):
        for page in q.get("pages", []):
            revisions = list(page.get("revisions", []))
        break
    if not revisions or int(revisions[0]["revid"]) != new_revid:
        return None
    if int(revisions[0].get("parentid") or 0) in (0, base_revid):
        return None  # saved right on top of the revision the bot had read
    between: list[dict[str, Any]] = []
    for rev in revisions[1:]:
        if int(rev["revid"]) == base_revid:
            break
        between.append(rev)
    if not between:
        return None
    users = tuple(dict.fromkeys(str(r.get("user", "?")) for r in reversed(between)))
    return HumanEdits(base=base_revid, latest=int(between[0]["revid"]), users=users)


def _record_attempt(ctx: _Context, title: str, attempt: _Attempt) -> bool:
    """Put the attempt's outcome in the report; True when the page was saved."""
    report = ctx.report
    if attempt.tripped:
        report.record(
            Failed(title, "circuit breaker: " + "; ".join(attempt.tripped)
                   + "; not saved (pass --force to save anyway)")
        )  # fmt: skip
        return False
    if attempt.render is not None and attempt.render.error is not None:
        # the markers broke between the bot's read and its save (an edit conflict re-read)
        report.record(Skipped(title, f"broken index markers: {attempt.render.error.reason}"))
        return False
    assert attempt.outcome is not None
    if attempt.forced and isinstance(attempt.outcome, Saved):
        report.notes.append(f"{title}: circuit breaker overridden by --force: "
                            + "; ".join(attempt.forced))  # fmt: skip
    report.record(attempt.outcome)
    return isinstance(attempt.outcome, Saved)


def _publish_page(ctx: _Context, snap: PageSnapshot, lang: str, human: HumanEdits | None) -> None:
    first = _save_views(ctx, snap.title, lang, snap, human)
    saved = first.outcome
    if not _record_attempt(ctx, snap.title, first):
        return
    assert isinstance(saved, Saved) and first.base is not None
    if saved.simulated or not first.base.revid:
        return
    merged = merged_human_edits(ctx.session, snap.title, first.base.revid, saved.revid)
    if merged is None:
        return
    # MediaWiki merged someone's edit made between the bot's read and its save. Outside the
    # regions that is all there is to it; inside one, the bot's save now holds the person's
    # change: replace it at once, and say so, as for any manual edit inside a region.
    second = _save_views(ctx, snap.title, lang, None, merged)
    if second.render is not None and second.render.human_edited:
        ctx.report.notes.append(_human_edit_note(snap.title, merged))
    if isinstance(second.outcome, Unchanged) and not second.tripped:
        return
    _record_attempt(ctx, snap.title, second)
