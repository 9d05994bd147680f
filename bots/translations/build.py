"""The build step of ``advocacy-hub run translations``: each region's new body, once. Pure.

A region shows its marker's view (``bots.translations.view``) of the collected statuses as a
table (``bots.translations.table``), or an error box listing what is wrong with its
parameters. A region whose pages Translate has no figures for yet is left as it is. The save
(``bots.translations.publish``) only puts the bodies built here between the markers of the
page as it is when saved: on an edit conflict nothing is rendered or read again.
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
from bots.translations.collect import Collected, StatusMarkers, StatusPage
from bots.translations.table import render_status_view, render_view_errors
from bots.translations.view import parse_status_view, view_lang
from bots.wiki.siteinfo import SiteFacts
from bots.wikitext.markers import MarkerRegion, replace_regions, stamp_content

__all__ = ["PageUpdate", "RegionBody", "build_updates", "new_page_text", "render_region"]

RegionKey = tuple[tuple[str, str], ...]  # a start marker's parameters, in order


def region_key(params: Mapping[str, str]) -> RegionKey:
    return tuple(params.items())


@dataclass(frozen=True)
class RegionBody:
    """The new content of one region (without the stamp)."""

    text: str
    is_error: bool  # an error box about the marker's parameters


@dataclass(frozen=True)
class PageUpdate:
    """One status page and the new body of each of its regions, by marker parameters."""

    page: StatusPage
    bodies: Mapping[RegionKey, RegionBody]
    notes: tuple[str, ...]  # regions left as they were, and why

    def body_of(self, region: MarkerRegion) -> RegionBody | None:
        return self.bodies.get(region_key(region.params))


def render_region(
    params: Mapping[str, str],
    page_language: str,
    results: Mapping[PageSelection, SelectionResult],
    messages: Messages,
    facts: SiteFacts,
) -> RegionBody | None:
    """A region's body: its table, or its error box; None while Translate has no figures."""
    view = parse_status_view(params)
    if isinstance(view, list):
        return RegionBody(
            render_view_errors(view, messages, view_lang(params) or page_language), True
        )
    result = results[view.selection]
    if isinstance(result, SelectionProblem):
        lang = view_lang(params) or page_language
        return RegionBody(render_view_errors(result.problems, messages, lang), True)
    if isinstance(result, StatisticsPending):
        return None
    text = render_status_view(
        view,
        result.statuses,
        messages,
        page_language,
        content_language=facts.content_language,
        language_names=facts.language_names,
    )
    return RegionBody(text, False)


def build_updates(collected: Collected, messages: Messages) -> list[PageUpdate]:
    """The update of every status page, in title order."""
    return [_build_update(page, collected, messages) for page in collected.pages]


def _build_update(page: StatusPage, collected: Collected, messages: Messages) -> PageUpdate:
    snap = page.snapshot
    language = snap.language or collected.facts.content_language
    bodies: dict[RegionKey, RegionBody] = {}
    notes: list[str] = []
    for region in page.scan.regions:
        key = region_key(region.params)
        if key in bodies:
            continue
        body = render_region(region.params, language, collected.results, messages, collected.facts)
        if body is None:
            notes.append(
                f"{snap.title}: region on line {region.line} left as it was "
                "(Translate's statistics are not ready yet)"
            )
            continue
        bodies[key] = body
    return PageUpdate(page, bodies, tuple(notes))


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


def error_regions(update: PageUpdate, regions: Sequence[MarkerRegion]) -> bool:
    """Whether any of these regions gets an error box."""
    return any((body := update.body_of(r)) is not None and body.is_error for r in regions)
