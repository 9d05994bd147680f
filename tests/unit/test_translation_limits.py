"""Status tables survive the wiki's growth (issue #17 point 2, issue #11 point 2). Pure.

* a table over its limit (500 rows, or the bytes its page leaves it) shows its first rows in
  the view's order and says how many of how many; the edit summary calls the rest "left out",
  never "removed";
* the circuit breaker holds a table that would lose many rows, comparing with the bot's own
  last rendering (rows someone inserted by hand can never trip it), not when rows were only
  left out at the limit nor when the editor changed the selection;
* every region is bounded, one region's failure is that region's error box.
"""

from __future__ import annotations

import re

import pytest

from bots.i18n.messages import Messages
from bots.translation_status.records import (
    PageStatus,
    UnitPage,
    status_from_subpages,
    status_from_units,
)
from bots.translation_status.selection import MAX_PAGES, PageSelection, SelectionStatuses
from bots.translations import build as build_module
from bots.translations.breaker import Breaker, bot_rendering, shrink_reason
from bots.translations.build import MAX_REGIONS, build_updates, new_page_text
from bots.translations.collect import Collected, StatusMarkers, StatusPage
from bots.translations.summary import cell_pages, describe_changes, edit_summary
from bots.translations.table import cell_page, render_table
from bots.translations.view import RowOrder, StatusView
from bots.wiki.records import PageSnapshot
from bots.wiki.siteinfo import SiteFacts
from bots.wikitext.markers import stamp_content, strip_stamp

START, END = "Advocacy translation status", "Advocacy translation status end"
MARKERS = StatusMarkers(START, END, frozenset(), frozenset())


@pytest.fixture(scope="module")
def messages() -> Messages:
    return Messages.load()


def guides(count: int, start: int = 0) -> list[PageStatus]:
    fr = [UnitPage("1", "fr", False)]
    return [
        status_from_units(f"A/G{n:04d}", ("1", "2"), fr, source_language="en")
        for n in range(start, start + count)
    ]


def rows(body: str) -> list[str]:
    return re.findall(r'^! scope="row" \| \[\[:([^|\]]+)\|', body, re.M)


def size(text: str) -> int:
    return len(text.encode("utf-8"))


# ---------------------------------------------------------------------------------------------
# Over the limit: what fits, and a notice


def test_over_500_rows_the_first_500_are_shown_with_a_notice(messages: Messages) -> None:
    view = StatusView(prefix="A/", languages=("fr", "de"))
    table = render_table(view, guides(512), messages, "en")
    assert rows(table.text) == [f"A/G{n:04d}" for n in range(MAX_PAGES)]
    assert "Only the first 500 of 512 pages are shown" in table.text
    assert "Translation status of 500 pages in 2 languages." in table.text
    assert table.hidden == {f"A/G{n:04d}" for n in range(500, 512)}
    assert not table.too_big


def test_rows_are_cut_in_the_views_order(messages: Messages) -> None:
    statuses = guides(8)
    statuses[5] = status_from_units("A/G0005", ("1",), [UnitPage("1", "fr", False)])
    view = StatusView(prefix="A/", languages=("fr",), sort=RowOrder.COMPLETE)
    table = render_table(view, statuses, messages, "en", max_rows=3)
    assert rows(table.text)[0] == "A/G0005"  # 100% first
    assert len(rows(table.text)) == 3 and len(table.hidden) == 5


@pytest.mark.parametrize("budget", [4_000, 9_000, 20_000, 60_000])
def test_a_table_over_its_bytes_shows_what_fits(messages: Messages, budget: int) -> None:
    view = StatusView(prefix="A/", languages=("fr", "de", "es", "ar", "zh"))
    statuses = guides(300)
    table = render_table(view, statuses, messages, "en", max_bytes=budget)
    shown = rows(table.text)
    assert size(table.text) <= budget
    assert 0 < len(shown) < 300 and len(shown) + len(table.hidden) == 300
    assert f"Only the first {len(shown)} of 300 pages are shown" in table.text
    # one more row would not have fitted
    bigger = render_table(view, statuses, messages, "en", max_rows=len(shown) + 1)
    assert size(bigger.text) > budget


def test_a_table_that_cannot_fit_at_all_says_so(messages: Messages) -> None:
    view = StatusView(prefix="A/", languages=("fr",))
    table = render_table(view, guides(3), messages, "en", max_bytes=100)
    assert table.too_big and table.text == ""


def test_the_summary_calls_cells_left_out_at_the_limit_so(messages: Messages) -> None:
    view = StatusView(prefix="A/", languages=("fr",))
    before = render_table(view, guides(495), messages, "en")
    after = render_table(view, [*guides(495), *guides(12, start=495)], messages, "en")
    assert len(after.hidden) == 7
    grown = describe_changes(before.text, after.text, after.hidden)
    assert (grown.added, grown.removed, grown.cut) == (5, 0, 0)
    # pages sorting before the cut push the last ones out: left out, not removed
    pushed = [*guides(495), *(status_from_units(f"A/F{n}", ("1",), []) for n in range(10))]
    cut_table = render_table(view, pushed, messages, "en")
    change = describe_changes(before.text, cut_table.text, cut_table.hidden)
    assert len(cut_table.hidden) == 5  # 505 pages: the last 5 in title order
    assert (change.added, change.removed, change.cut) == (10, 0, 5)
    summary = edit_summary([change], messages, "en")
    assert summary == (
        "Translation status: 10 cells added; 5 cells left out at the table's size limit"
    )
    assert "removed" not in summary
    # without knowing what was left out, the same change would read "removed"
    assert describe_changes(before.text, cut_table.text).removed == 5


# ---------------------------------------------------------------------------------------------
# The circuit breaker


def body(count: int, messages: Messages, view: StatusView | None = None) -> str:
    view = view or StatusView(prefix="A/", languages=("fr",))
    return render_table(view, guides(count), messages, "en").text


def test_losing_many_rows_trips_the_breaker(messages: Messages) -> None:
    breaker = Breaker(0.3, 3)
    old = body(10, messages)
    assert shrink_reason(old, body(6, messages), frozenset(), 4, breaker) == (
        "the table on line 4 would lose 4 of its 10 rows (more than 30%)"
    )
    assert shrink_reason(old, body(7, messages), frozenset(), 4, breaker) == ""  # 30%: not more
    assert shrink_reason(body(4, messages), body(2, messages), frozenset(), 4, breaker) == ""
    assert shrink_reason(None, body(1, messages), frozenset(), 4, breaker) == ""  # no record


def test_rows_left_out_at_the_limit_or_a_new_selection_never_trip_it(messages: Messages) -> None:
    breaker = Breaker(0.3, 3)
    old, new = body(10, messages), body(5, messages)
    hidden = frozenset(cell_page(f"A/G{n:04d}") for n in range(5, 10))
    assert shrink_reason(old, new, hidden, 1, breaker) == ""
    other_view = body(5, messages, StatusView(prefix="A/", languages=("de",)))
    assert shrink_reason(old, other_view, frozenset(), 1, breaker) == ""


def _region_text(params: str, inner: str) -> str:
    return f"{{{{{START}|{params}}}}}{inner}{{{{{END}}}}}"


def test_rows_inserted_by_hand_can_never_trip_the_breaker(messages: Messages) -> None:
    breaker = Breaker(0.3, 3)
    bots = body(3, messages)
    inserted = "\n".join(
        f'|-\n! scope="row" | [[:A/Fake{n}|Fake{n}]]\n| data-cell="A/Fake{n}/fr" '
        f'data-sort-value="100" style="" | 100%' for n in range(20)
    )
    vandalised = stamp_content(bots).replace("|}", inserted + "\n|}", 1)
    page = _region_text("prefix=A/", vandalised)
    (region,) = MARKERS.scan(page).regions
    bot_revision = MARKERS.scan(_region_text("prefix=A/", stamp_content(bots)))
    old = bot_rendering(region, bot_revision)
    assert old == bots and len(cell_pages(strip_stamp(region.inner))) == 23
    assert shrink_reason(old, body(3, messages), frozenset(), 1, breaker) == ""
    # no record of the bot's own: nothing to compare with, never the person's rows
    assert bot_rendering(region, None) is None


def test_the_bots_own_record_still_trips_it_under_a_person_s_edit(messages: Messages) -> None:
    edited = stamp_content(body(10, messages)).replace("All languages", "Every language")
    (region,) = MARKERS.scan(_region_text("prefix=A/", edited)).regions
    bot_revision = MARKERS.scan(_region_text("prefix=A/", stamp_content(body(10, messages))))
    old = bot_rendering(region, bot_revision)
    assert shrink_reason(old, body(2, messages), frozenset(), 1, Breaker(0.3, 3)) != ""


# ---------------------------------------------------------------------------------------------
# One page, one region: bounded, and isolated


FACTS = SiteFacts(content_language="en", has_translate=False)


def collected_for(text: str, statuses: dict[PageSelection, SelectionStatuses],
                  facts: SiteFacts = FACTS) -> Collected:  # fmt: skip
    snap = PageSnapshot("A/Status", 0, True, text=text, revid=7, language="en")
    page = StatusPage(snap, MARKERS.scan(text))
    return Collected(facts, MARKERS, (page,), (), (), statuses, pages_read=1)


def region(params: str) -> str:
    return _region_text(params, "\nThe bot will fill this in.\n")


def test_a_page_s_regions_share_what_its_own_text_leaves(messages: Messages) -> None:
    facts = SiteFacts("en", False, max_article_size=200_000)
    selection = PageSelection(prefix="A/", languages=("fr",))
    padding = "Text of the page's own. " * 4000  # about 96 kB
    text = padding + region("prefix=A/|languages=fr") + "\n" + region("prefix=A/|languages=fr")
    results = {selection: SelectionStatuses(tuple(guides(400)))}
    (update,) = build_updates(collected_for(text, results, facts), messages)
    new = new_page_text(update, MARKERS, text)
    assert new is not None and size(new) <= 180_000  # the maximum less the 10% margin
    (table,) = update.bodies.values()
    assert "Only the first" in table.text and table.hidden and not update.failures


def test_a_page_that_cannot_hold_its_table_is_not_saved(messages: Messages) -> None:
    facts = SiteFacts("en", False, max_article_size=50_000)
    text = "x" * 60_000 + region("prefix=A/|languages=fr")
    selection = PageSelection(prefix="A/", languages=("fr",))
    (update,) = build_updates(collected_for(text, {selection: SelectionStatuses(())}, facts),
                              messages)  # fmt: skip
    assert update.refusal.startswith("the page would be ")
    (box,) = update.bodies.values()
    assert box.is_error and box.failed and "does not fit on this page" in box.text


def test_one_region_failing_is_that_region_s_error_box(
    messages: Messages, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = build_module.render_region

    def fails_for_one(params, *args, **kwargs):  # type: ignore[no-untyped-def]
        if params.get("languages") == "de":
            raise ValueError("a link needs a non-empty title")
        return real(params, *args, **kwargs)

    monkeypatch.setattr(build_module, "render_region", fails_for_one)
    text = region("prefix=A/|languages=de") + "\n" + region("prefix=A/|languages=fr")
    results = {
        PageSelection(prefix="A/", languages=("de",)): SelectionStatuses(tuple(guides(2))),
        PageSelection(prefix="A/", languages=("fr",)): SelectionStatuses(tuple(guides(2))),
    }
    (update,) = build_updates(collected_for(text, results), messages)
    failing, fine = (update.bodies[k] for k in update.bodies)
    assert failing.is_error and "could not build this table" in failing.text
    assert not fine.is_error and 'data-cell="A/G0000/fr"' in fine.text
    assert update.failures == (
        "the table on line 1 shows an error box: ValueError: a link needs a non-empty title",
    )


def test_tables_beyond_the_maximum_per_page_get_an_error_box(messages: Messages) -> None:
    markers = [region(f"pages=A/G{n:04d}|languages=fr") for n in range(MAX_REGIONS + 2)]
    results = {
        PageSelection(pages=(f"A/G{n:04d}",), languages=("fr",)): SelectionStatuses(
            tuple(guides(1, start=n)))
        for n in range(MAX_REGIONS + 2)
    }  # fmt: skip
    (update,) = build_updates(collected_for("\n".join(markers), results), messages)
    errors = [b for b in update.bodies.values() if b.is_error]
    assert len(errors) == 2 and all("more than 20 translation status tables" in b.text
                                    for b in errors)  # fmt: skip
    assert len(update.failures) == 2


def test_hand_translations_are_bounded_too(messages: Messages) -> None:
    fr = {"fr": "2024-01-02T00:00:00Z"}
    statuses = [status_from_subpages(f"A/H{n:03d}", "2024-01-01T00:00:00Z", fr) for n in range(600)]
    table = render_table(StatusView(prefix="A/"), statuses, messages, "en", max_bytes=50_000)
    assert size(table.text) <= 50_000 and "pages are shown" in table.text


def test_a_prefix_with_more_pages_than_are_looked_at_says_so(messages: Messages) -> None:
    view = StatusView(prefix="A/", languages=("fr",))
    table = render_table(view, guides(3), messages, "en", scan_limit=5000)
    assert ("This prefix holds more than 5000 pages; only the first 5000 (by title) were "
            "looked at. Use a longer prefix.") in table.text  # fmt: skip
    assert len(rows(table.text)) == 3
