"""The translations job's build step: each region rendered once, and put back on any text. Pure.

What the save does on an edit conflict is :func:`new_page_text` on the fresh text: these tests
show that it only places the bodies built before, whatever else changed on the page.
"""

from __future__ import annotations

import pytest

from bots.i18n.messages import Messages
from bots.translation_status.records import UnitPage, status_from_units
from bots.translation_status.selection import (
    PageSelection,
    SelectionResult,
    SelectionStatuses,
    StatisticsPending,
)
from bots.translations.build import build_updates, new_page_text
from bots.translations.collect import Collected, StatusMarkers, StatusPage
from bots.wiki.records import PageSnapshot
from bots.wiki.siteinfo import SiteFacts
from bots.wikitext.markers import strip_stamp

START, END = "Advocacy translation status", "Advocacy translation status end"
MARKERS = StatusMarkers(START, END, frozenset(), frozenset())
FACTS = SiteFacts(content_language="en", has_translate=True)
GUIDE = status_from_units("A/Guide", ("1", "2"), [UnitPage("1", "fr", False)], source_language="en")


@pytest.fixture(scope="module")
def messages() -> Messages:
    return Messages.load()


def region(params: str) -> str:
    return f"{{{{{START}|{params}}}}}\nThe bot will fill this in.\n{{{{{END}}}}}"


def collected(text: str, results: dict[PageSelection, SelectionResult]) -> Collected:
    snap = PageSnapshot("A/Status", 0, True, text=text, revid=7, language="en")
    page = StatusPage(snap, MARKERS.scan(text))
    return Collected(FACTS, MARKERS, (page,), (), (), results, pages_read=1)


def bodies(text: str) -> list[str]:
    return [strip_stamp(r.inner) for r in MARKERS.scan(text).regions]


def test_regions_with_the_same_marker_are_rendered_once(messages: Messages) -> None:
    text = "\n".join([region("prefix=A/|languages=fr"), "middle", region("prefix=A/|languages=fr")])
    selection = PageSelection(prefix="A/", languages=("fr",))
    (update,) = build_updates(collected(text, {selection: SelectionStatuses((GUIDE,))}), messages)
    assert len(update.bodies) == 1 and update.notes == ()
    new = new_page_text(update, MARKERS, text)
    assert new is not None
    first, second = bodies(new)
    assert first == second and 'data-cell="A/Guide/fr"' in first
    assert "\nmiddle\n" in new


def test_a_region_translate_has_no_figures_for_is_left_with_a_note(messages: Messages) -> None:
    text = "\n".join([region("prefix=A/"), region("pages=A/Guide|languages=fr")])
    results: dict[PageSelection, SelectionResult] = {
        PageSelection(prefix="A/"): StatisticsPending(("A/Guide",)),
        PageSelection(pages=("A/Guide",), languages=("fr",)): SelectionStatuses((GUIDE,)),
    }
    (update,) = build_updates(collected(text, results), messages)
    assert update.notes == (
        "A/Status: region on line 1 left as it was (Translate's statistics are not ready yet)",
    )
    new = new_page_text(update, MARKERS, text)
    assert new is not None
    pending, table = bodies(new)
    assert pending == "The bot will fill this in."
    assert 'data-cell="A/Guide/fr"' in table


def test_after_a_conflict_only_the_built_bodies_are_placed(messages: Messages) -> None:
    text = region("pages=A/Guide|languages=fr")
    selection = PageSelection(pages=("A/Guide",), languages=("fr",))
    (update,) = build_updates(collected(text, {selection: SelectionStatuses((GUIDE,))}), messages)
    # meanwhile someone added a line and a second table with another marker
    fresh = "Added by a person.\n" + text + "\n" + region("pages=A/Other")
    new = new_page_text(update, MARKERS, fresh)
    assert new is not None and new.startswith("Added by a person.\n")
    table, other = bodies(new)
    assert 'data-cell="A/Guide/fr"' in table
    assert other == "The bot will fill this in."  # not built this run: left for the next
    assert new_page_text(update, MARKERS, "the markers are gone") is None


def test_parameter_errors_need_no_statuses(messages: Messages) -> None:
    text = region("prefix=A/|sort=newest")
    (update,) = build_updates(collected(text, {}), messages)
    (body,) = update.bodies.values()
    assert body.is_error and "newest" in body.text
