"""The build step of ``advocacy-hub run translations``: each region's new body, once. Pure.

A region shows its marker's view (``bots.translations.view``) of the collected statuses as a
table (``bots.translations.table``), or an error box saying what is wrong. A region whose pages
Translate has no figures for yet is left as it is. The save (``bots.translations.publish``)
only puts the bodies built here between the markers of the page as it is when saved: on an edit
conflict nothing is rendered or read again.

One page never stops the others, nor one region the rest of its page: a region whose parameters
are wrong, whose pages cannot be read, or whose rendering fails gets its error box, and the
failure is named in the run notes and fails the run (exit 1) while every other region and page
is still updated. Every body is bounded: a page's regions share what the wiki's maximum page
size leaves after the page's own text, less a margin; a table over its share shows its first
rows with a notice, and a page that would still be too large is not saved. A table that would
lose many rows at once is held by the circuit breaker (``bots.translations.breaker``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bots.i18n.messages import Messages
from bots.translation_status.selection import (
    PageSelection,
    SelectionProblem,
    SelectionResult,
    StatisticsPending,
)
from bots.translations.breaker import Breaker, bot_rendering, shrink_reason
from bots.translations.collect import Collected, StatusMarkers, StatusPage
from bots.translations.table import MAX_SHOWN_PROBLEMS, render_table, render_view_errors
from bots.translations.view import MAX_REGIONS, parse_status_view, view_lang
from bots.wiki.siteinfo import SiteFacts
from bots.wikitext.markers import MarkerRegion, replace_regions, stamp_content
from bots.wikitext.problems import Problem, problem_text

__all__ = [
    "MAX_REGIONS",
    "PageUpdate",
    "RegionBody",
    "build_updates",
    "new_page_text",
    "page_limit",
    "render_region",
]

RegionKey = tuple[tuple[str, str], ...]  # a start marker's parameters, in order
SIZE_MARGIN = 0.1  # share of the wiki's maximum page size the bot never fills
STAMP_BYTES = 120  # the stamp comment and newlines around a region's body
# problems that are the bot's failure, not the marker's: their box says so
FAILURE_CODES = frozenset({"translations-too-big", "translations-build-failed",
                           "translations-unreadable", "translations-too-many-tables"})  # fmt: skip


def region_key(params: Mapping[str, str]) -> RegionKey:
    return tuple(params.items())


def page_limit(facts: SiteFacts) -> int:
    """The largest page, in bytes, the bot saves: the wiki's maximum less a margin."""
    return int(facts.max_article_size * (1 - SIZE_MARGIN))


@dataclass(frozen=True)
class RegionBody:
    """The new content of one region (without the stamp)."""

    text: str
    is_error: bool  # an error box instead of the table
    hidden: frozenset[str] = frozenset()  # pages left out at the size limit (cell_page form)
    reason: str = ""  # an error box's problems in English, for the run notes
    failed: bool = False  # the error is the bot's failure, not the marker's parameters


@dataclass(frozen=True)
class PageUpdate:
    """One status page and the new body of each of its regions, by marker parameters."""

    page: StatusPage
    bodies: Mapping[RegionKey, RegionBody]
    notes: tuple[str, ...]  # regions left as they were, and why
    failures: tuple[str, ...] = ()  # regions with an error box, and why: the run fails
    held: tuple[str, ...] = ()  # why the circuit breaker holds the save
    forced: tuple[str, ...] = ()  # why it would have, overridden by --force
    refusal: str = ""  # why the page is not saved at all (too large)

    def body_of(self, region: MarkerRegion) -> RegionBody | None:
        return self.bodies.get(region_key(region.params))


def _error(problems: Sequence[Problem], messages: Messages, lang: str) -> RegionBody:
    failed = any(p.code in FAILURE_CODES for p in problems)
    intro = "advocacyhub-translations-error-intro" + ("-failed" if failed else "")
    text = render_view_errors(problems, messages, lang, intro=intro)
    english = (problem_text(p, messages, "en") for p in problems[:MAX_SHOWN_PROBLEMS])
    reason = " ".join(e.replace("<bdi>", "").replace("</bdi>", "") for e in english)
    if len(problems) > MAX_SHOWN_PROBLEMS:
        reason += f" (and {len(problems) - MAX_SHOWN_PROBLEMS} more)"
    return RegionBody(text, True, reason=reason, failed=failed)


def render_region(
    params: Mapping[str, str],
    page_language: str,
    results: Mapping[PageSelection, SelectionResult],
    messages: Messages,
    facts: SiteFacts,
    *,
    max_bytes: int | None = None,
) -> RegionBody | None:
    """A region's body: its table, or its error box; None while Translate has no figures."""
    view = parse_status_view(params)
    lang = view_lang(params) or page_language
    if isinstance(view, list):
        return _error(view, messages, lang)
    result = results[view.selection]
    if isinstance(result, SelectionProblem):
        return _error(result.problems, messages, lang)
    if isinstance(result, StatisticsPending):
        return None
    rendered = render_table(
        view,
        result.statuses,
        messages,
        page_language,
        content_language=facts.content_language,
        language_names=facts.language_names,
        max_bytes=max_bytes,
        scan_limit=result.scan_limit,
        untranslated=result.untranslated,
        translate_tool=facts.has_translate,
    )
    if rendered.too_big:
        return _error([Problem("translations-too-big", (str(facts.max_article_size),))],
                      messages, lang)  # fmt: skip
    return RegionBody(rendered.text, False, rendered.hidden)


def build_updates(
    collected: Collected, messages: Messages, breaker: Breaker | None = None
) -> list[PageUpdate]:
    """The update of every status page, in title order. A page whose build fails gets error
    boxes in its regions; the others are built as usual."""
    breaker = breaker or Breaker()
    updates = []
    for page in collected.pages:
        try:
            updates.append(_build_update(page, collected, messages, breaker))
        except Exception as exc:  # one page's input never stops the others
            updates.append(_failed_update(page, collected, messages, exc))
    return updates


def _budget(page: StatusPage, facts: SiteFacts) -> int:
    """Bytes each region's body may take: what the page's own text leaves, shared."""
    text = page.snapshot.text or ""
    regions = page.scan.regions
    outside = len(text.encode("utf-8")) - sum(len(r.inner.encode("utf-8")) for r in regions)
    return (page_limit(facts) - outside) // max(len(regions), 1) - STAMP_BYTES


def _build_update(
    page: StatusPage, collected: Collected, messages: Messages, breaker: Breaker
) -> PageUpdate:
    snap, facts = page.snapshot, collected.facts
    language = snap.language or facts.content_language
    budget = _budget(page, facts)
    bot_scan = collected.markers.scan(page.bot_text) if page.bot_text is not None else None
    bodies: dict[RegionKey, RegionBody] = {}
    notes: list[str] = []
    failures: list[str] = []
    shrinks: list[str] = []
    for region in page.scan.regions:
        key = region_key(region.params)
        if key in bodies:
            continue
        body = _region_body(region, language, collected, messages, budget)
        if body is None:
            notes.append(f"{snap.title}: region on line {region.line} left as it was "
                         "(Translate's statistics are not ready yet)")  # fmt: skip
            continue
        bodies[key] = body
        if body.is_error:
            failures.append(f"the table on line {region.line} shows an error box: {body.reason}")
        else:
            old = bot_rendering(region, bot_scan)
            shrink = shrink_reason(old, body.text, body.hidden, region.line, breaker)
            shrinks += [shrink] if shrink else []
    update = PageUpdate(page, bodies, tuple(notes), tuple(failures))
    new_text = new_page_text(update, collected.markers, snap.text or "")
    if new_text is not None and len(new_text.encode("utf-8")) > page_limit(facts):
        size = len(new_text.encode("utf-8"))
        refusal = (f"the page would be {size} bytes, over the {page_limit(facts)} the bot "
                   f"writes (the wiki allows {facts.max_article_size}); not saved")  # fmt: skip
        return PageUpdate(page, bodies, tuple(notes), refusal=refusal)  # the refusal says it
    if breaker.force:
        return PageUpdate(page, bodies, tuple(notes), tuple(failures), forced=tuple(shrinks))
    return PageUpdate(page, bodies, tuple(notes), tuple(failures), held=tuple(shrinks))


def _region_body(
    region: MarkerRegion, language: str, collected: Collected, messages: Messages, budget: int
) -> RegionBody | None:
    lang = view_lang(region.params) or language
    if region.index >= MAX_REGIONS:
        return _error([Problem("translations-too-many-tables", (str(MAX_REGIONS),))],
                      messages, lang)  # fmt: skip
    try:
        return render_region(region.params, language, collected.results, messages,
                             collected.facts, max_bytes=budget)  # fmt: skip
    except Exception as exc:  # a bug meeting odd input costs this region, not the run
        body = _error([Problem("translations-build-failed")], messages, lang)
        return RegionBody(body.text, True, reason=f"{type(exc).__name__}: {exc}", failed=True)


def _failed_update(
    page: StatusPage, collected: Collected, messages: Messages, exc: Exception
) -> PageUpdate:
    language = page.snapshot.language or collected.facts.content_language
    body = _error([Problem("translations-build-failed")], messages, language)
    bodies = {region_key(r.params): body for r in page.scan.regions}
    failure = f"the page could not be built ({type(exc).__name__}: {exc})"
    return PageUpdate(page, bodies, (), (failure,))


def new_page_text(update: PageUpdate, markers: StatusMarkers, text: str) -> str | None:
    """The page's text with the built bodies between its markers (None: nothing to write).

    ``text`` is the page as it is when saved; a region whose marker changed since the read has
    no body built for it and stays as it is until the next run.
    """
    scan = markers.scan(text)
    if not scan.ok or not scan.regions:
        return None
    new_inner = {
        region.index: stamp_content(body.text)
        for region in scan.regions
        if (body := update.body_of(region)) is not None
    }
    if not new_inner:
        return None
    return replace_regions(text, scan.regions, new_inner)


def error_regions(update: PageUpdate, regions: Sequence[MarkerRegion]) -> tuple[bool, bool]:
    """Whether any of these regions gets an error box about its parameters, and whether any
    gets one about a failure."""
    bodies = [b for r in regions if (b := update.body_of(r)) is not None and b.is_error]
    return any(not b.failed for b in bodies), any(b.failed for b in bodies)
