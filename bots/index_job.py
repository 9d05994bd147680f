"""The case index job: every case page, parsed, in every index view on the wiki.

Reads: every page transcluding the case template (`config.templates.case`, through redirects
too) in `permissions.case_namespaces`/`case_prefixes`; prefix listings of those prefixes (for
translation subpages); every page transcluding the index start marker.
Writes: only between `{{Advocacy case index}}` … `{{Advocacy case index end}}` pairs, only on
pages that `[permissions]` allows, only when the text changed.

Recipe: collect (list case pages with revision ids; read and parse only pages whose revision is
not in the local cache) -> build (render each marker page) -> publish (save through the guarded
save, circuit breaker first).
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bots.case_cache import CaseCache
from bots.cases import Case, CaseParseResult, Problem, parse_case_page
from bots.config import Config
from bots.i18n import Messages
from bots.index_pages import MarkerNames, PageRender, breaker_trips, render_marker_page
from bots.jobs import RunOptions
from bots.outcomes import Failed, JobReport, Skipped
from bots.permissions import case_page_allowed, edit_refusal
from bots.wiki import PageSnapshot, WikiSession
from bots.wiki_save import save_page

log = logging.getLogger(__name__)

_LANG_CODE_RE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$")


@dataclass(frozen=True)
class CollectedCases:
    results: tuple[CaseParseResult, ...]  # one per case page, sorted by page title
    parsed: int  # pages parsed in this run (the rest came from the cache)

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
    """Case pages proper, and base title -> language codes of its subpages that exist."""
    case_titles: list[str] = []
    languages: dict[str, list[str]] = {}
    for title in titles:
        base, _, last = title.rpartition("/")
        if base and base in existing and is_language_code(last, config, messages):
            continue  # a translation of another case page, not a case of its own
        case_titles.append(title)
    case_set = set(case_titles)
    for title in existing:
        base, _, last = title.rpartition("/")
        if base in case_set and is_language_code(last, config, messages):
            languages.setdefault(base, []).append(last)
    return case_titles, {k: sorted(v) for k, v in languages.items()}


def collect_cases(
    session: WikiSession, config: Config, messages: Messages, report: JobReport
) -> CollectedCases:
    template = config.templates.case
    names = session.template_names(template)
    listing: dict[str, PageSnapshot] = {}
    for snap in session.embedded_in(template, config.permissions.case_namespaces, content=False):
        if case_page_allowed(snap.title, snap.namespace, config):
            listing[snap.title] = snap
    existing = set(listing)
    for prefix in config.permissions.case_prefixes:
        for namespace in config.permissions.case_namespaces:
            local = prefix.split(":", 1)[1] if namespace and ":" in prefix else prefix
            existing.update(session.all_pages(local, namespace))
    case_titles, languages = split_translation_subpages(listing, existing, config, messages)

    cache = CaseCache.for_config(config, names) if config.index.cache else None
    results: dict[str, CaseParseResult] = {}
    to_read: list[str] = []
    for title in case_titles:
        cached = cache.get(title, listing[title].revid) if cache else None
        if cached is not None:
            try:
                results[title] = CaseParseResult.from_json(cached)
                continue
            except ValueError:
                pass  # another parser version: read it again
        to_read.append(title)
    pages = session.read_pages(to_read) if to_read else {}
    report.pages_read += len(to_read)
    for title in to_read:
        snap = pages.get(title)
        if snap is None or not snap.exists or snap.text is None:
            continue  # deleted since the listing: it is simply not a case any more
        result = parse_case_page(title, snap.text, config, template_names=names)
        results[title] = result
        if cache:
            cache.put(title, snap.revid, result.to_json())
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
    return CollectedCases(results=tuple(final), parsed=len(to_read))


def page_language(snap: PageSnapshot, config: Config, messages: Messages, default: str) -> str:
    """A `/xx` language subpage speaks xx; otherwise the page's content language."""
    last = snap.title.rpartition("/")[2]
    if "/" in snap.title and is_language_code(last, config, messages):
        return last
    return snap.language or default


def marker_names(session: WikiSession, config: Config) -> MarkerNames:
    start = config.templates.index_start
    end = config.templates.index_end
    return MarkerNames(
        start=start,
        end=end,
        start_redirects=tuple(sorted(session.template_names(start) - {start})),
        end_redirects=tuple(sorted(session.template_names(end) - {end})),
    )


def _human_edit_revisions(session: WikiSession, title: str) -> list[tuple[int, str]]:
    """(revid, user) of the latest revisions since the bot's own last edit of the page."""
    found: list[tuple[int, str]] = []
    for q in session.query_results(
        titles=title, prop="revisions", rvprop="ids|user", rvlimit=20
    ):
        for page in q.get("pages", []):
            for rev in page.get("revisions", []):
                if rev.get("user") == session.config.wiki.user:
                    return found
                found.append((int(rev["revid"]), rev.get("user", "?")))
        break  # one batch of 20 is plenty to name the edits
    return found


def _summary(messages: Messages, lang: str, render: PageRender, total: int, human: str) -> str:
    text = messages.msg(
        "advocacyhub-index-summary", lang, render.added, render.updated, render.removed, total
    )
    if human:
        text += messages.msg("advocacyhub-index-summary-human-edit", lang, human)
    return text


def run(session: WikiSession, config: Config, options: RunOptions) -> JobReport:
    report = JobReport(job="index")
    messages = Messages.load()
    collected = collect_cases(session, config, messages, report)
    report.notes.append(
        f"{len(collected.cases)} cases on {len(collected.results)} pages "
        f"({collected.parsed} parsed, {len(collected.results) - collected.parsed} from cache), "
        f"{len(collected.with_problems)} need attention"
    )
    names = marker_names(session, config)
    default_lang = session.site.lang or "en"
    marker_pages: list[PageSnapshot] = []
    for snap in session.embedded_in(names.start, config.permissions.edit_namespaces, content=True):
        refusal = edit_refusal(snap.title, snap.namespace, config)
        if refusal:
            report.record(Skipped(snap.title, refusal))
            continue
        marker_pages.append(snap)
    report.pages_read += len(marker_pages)

    # Page-level problems (broken markers, manual edits inside regions) must be known before
    # any view is rendered, so that every needs-attention list shows them.
    page_problems: list[CaseParseResult] = []
    renders: dict[str, PageRender] = {}
    human_links: dict[str, str] = {}
    cases = collected.cases
    for snap in marker_pages:
        lang = page_language(snap, config, messages, default_lang)
        render = render_marker_page(
            snap.text or "", names, cases, collected.results, messages, lang, config
        )
        renders[snap.title] = render
        if render.error is not None:
            problem = Problem("marker-error", (render.error.reason,))
            page_problems.append(CaseParseResult(snap.title, None, (problem,)))
            report.notes.append(f"{snap.title}: markers broken, page left untouched: "
                                f"{render.error.reason}")
        elif render.human_edited:
            revisions = _human_edit_revisions(session, snap.title)
            links = ", ".join(f"[[Special:Diff/{rev}|{rev}]] ({user})" for rev, user in revisions)
            human_links[snap.title] = links or snap.title
            page_problems.append(
                CaseParseResult(snap.title, None, (Problem("human-edit", (links or "?",)),))
            )
            report.notes.append(f"{snap.title}: manual edit inside the bot's region: {links}")

    attention: Sequence[CaseParseResult] = (*collected.results, *page_problems)
    for snap in marker_pages:
        if renders[snap.title].error is not None:
            report.record(Skipped(snap.title, "broken index markers: " +
                                  (renders[snap.title].error.reason)))  # type: ignore[union-attr]
            continue
        lang = page_language(snap, config, messages, default_lang)
        _publish_page(session, config, options, messages, report, snap, lang, cases, attention,
                      names, human_links.get(snap.title, ""))
    return report


def _publish_page(
    session: WikiSession,
    config: Config,
    options: RunOptions,
    messages: Messages,
    report: JobReport,
    snap: PageSnapshot,
    lang: str,
    cases: list[Case],
    attention: Sequence[CaseParseResult],
    names: MarkerNames,
    human: str,
) -> None:
    tripped_reason: list[str] = []
    last_render: list[PageRender] = []

    def build(base: PageSnapshot) -> str | None:
        # Runs again on fresh text after an edit conflict: the human's edit is kept.
        tripped_reason.clear()
        render = render_marker_page(base.text or "", names, cases, attention, messages, lang,
                                    config)
        last_render[:] = [render]
        if render.text is None:
            return None
        tripped = breaker_trips(render, config.index.max_removed_share)
        if tripped and not options.force:
            for region in tripped:
                tripped_reason.append(
                    f"view on line {region.line} would lose {len(region.removed)} of "
                    f"{region.old_rows} rows (more than "
                    f"{config.index.max_removed_share:.0%}); pass --force to save anyway"
                )
            return None
        return render.text

    def summary(base: PageSnapshot, new_text: str) -> str:
        return _summary(messages, lang, last_render[0], len(cases), human)

    outcome = save_page(
        session, snap.title, build, summary, base=snap, show_diff=options.diff,
        diff_out=options.out,
    )
    if tripped_reason:
        report.record(Failed(snap.title, "circuit breaker: " + "; ".join(tripped_reason)))
        return
    report.record(outcome)
