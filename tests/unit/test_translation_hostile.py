"""Random and adversarial status markers (issue #11 point 2), thrown at the parser, the
renderer and the build of a whole page: no exception escapes, and every output stays bounded
(a table within the bytes its page leaves it, an error box within a few kilobytes, a page
within the wiki's maximum less the margin, or not saved at all). Pure, property-based.
"""

from __future__ import annotations

from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bots.i18n.messages import Messages
from bots.translation_status.records import (
    PageStatus,
    TranslationRecord,
    UnitPage,
    status_from_subpages,
    status_from_units,
    unit_ids,
)
from bots.translation_status.selection import PageSelection, SelectionResult, SelectionStatuses
from bots.translations.build import build_updates, new_page_text, page_limit, render_region
from bots.translations.collect import Collected, StatusMarkers, StatusPage
from bots.translations.summary import describe_changes
from bots.translations.view import VIEW_PARAMS, StatusView, parse_status_view
from bots.wiki.records import PageSnapshot
from bots.wiki.siteinfo import SiteFacts

MESSAGES = Messages.load()
START, END = "Advocacy translation status", "Advocacy translation status end"
MARKERS = StatusMarkers(START, END, frozenset(), frozenset())
ERROR_BOX_MAX = 32_000  # ten problems with their (escaped, cut) values, and the rest counted

ADVERSARIAL = [
    "", " ", "qqq", "qqx", "und", "mul", "fr", "FR", "zh_Hant", "pt-BR", "new", "arc",
    "²", "١٢", "３", "0", "20", "21", "-1", "+3", "1e3", "99999999999999999999", "9" * 5000,
    "Special:", "Special:AllPages", "Media:X.png", "wikipedia:X", "Help:", ":", "/", "A/",
    "[[", "]]", "[[A/B|", "{{subst:x}}", "{{{1}}}", "|", "=", "<!--", "-->", "</nowiki>",
    "\x00", "\x1b", "\u202e", "\u200f", "\ufffd", "&#0;", "&amp;", "~~~~", "__NOTOC__",
    "a" * 3000, "fr " * 300, "A/P, " * 2000, "\n" * 500, "page", "complete", "outdated",
]
names = st.one_of(st.sampled_from(VIEW_PARAMS), st.sampled_from(["PREFIX", " lang ",
                  "langauges", "", "x" * 300, "1", "needed "]), st.text(max_size=40))  # fmt: skip
values = st.one_of(
    st.sampled_from(ADVERSARIAL),
    st.text(max_size=200),
    st.from_regex(r"[0-9٠-٩²３+-]{0,25}", fullmatch=True),
    st.lists(st.sampled_from(ADVERSARIAL), max_size=40).map(", ".join),
    st.integers(0, 1200).map(lambda n: ", ".join(f"A/P{i}" for i in range(n))),
)
params = st.dictionaries(names, values, max_size=12)


def statuses() -> tuple[PageStatus, ...]:
    fr = [UnitPage("1", "fr", False), UnitPage("2", "fa", True)]
    units = [status_from_units(f"A/P{n}", ("1", "2", "3"), fr, source_language="en")
             for n in range(60)]  # fmt: skip
    hand = status_from_subpages("A/Hand", "2024-05-01T00:00:00Z",
                                {"ar": "2024-04-01T00:00:00Z", "zh": "2024-06-01T00:00:00Z"})
    odd = status_from_units("A/[[x]]{{y}}", ("1",), [UnitPage("1", "he", False)])
    return (*units, hand, odd)


STATUSES = statuses()
FACTS = SiteFacts("en", False, {"fa": "فارسی"}, max_article_size=400_000)


def results() -> defaultdict[PageSelection, SelectionResult]:
    return defaultdict(lambda: SelectionStatuses(STATUSES))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(params, st.integers(0, 200_000))
def test_parser_and_renderer_never_raise_and_stay_bounded(
    marker: dict[str, str], max_bytes: int
) -> None:
    view = parse_status_view(marker)
    assert isinstance(view, StatusView | list)
    if isinstance(view, list):
        assert view  # problems, never an empty list
    body = render_region(marker, "en", results(), MESSAGES, FACTS, max_bytes=max_bytes)
    assert body is not None
    size = len(body.text.encode("utf-8"))
    if body.is_error:
        assert size <= ERROR_BOX_MAX and body.reason
    else:
        assert size <= max_bytes
        assert body.text.startswith('<div class="advocacyhub-translations"')


def _marker(marker: dict[str, str]) -> str:
    parts = "".join(f"|{k}={v}" for k, v in marker.items() if "|" not in k + v and "}" not in
                    k + v and "=" not in k)  # fmt: skip
    return f"{{{{{START}{parts}}}}}\nThe bot will fill this in.\n{{{{{END}}}}}"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(params, min_size=1, max_size=25), st.integers(0, 300_000))
def test_a_page_of_hostile_markers_is_built_bounded_or_not_saved(
    markers: list[dict[str, str]], padding: int
) -> None:
    text = "x" * padding + "\n" + "\n".join(_marker(m) for m in markers)
    snap = PageSnapshot("A/Status", 0, True, text=text, revid=7, language="en")
    page = StatusPage(snap, MARKERS.scan(text))
    collected = Collected(FACTS, MARKERS, (page,), (), (), results(), pages_read=1)
    (update,) = build_updates(collected, MESSAGES)
    new = new_page_text(update, MARKERS, text)
    if update.refusal:
        assert new is not None and len(new.encode("utf-8")) > page_limit(FACTS)
    elif new is not None:
        assert len(new.encode("utf-8")) <= page_limit(FACTS)
    # every error box is named in the run notes and fails the run (a page not saved at all
    # fails with the reason it is not saved)
    if not update.refusal:
        assert bool(update.failures) == any(b.is_error for b in update.bodies.values())


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=3000), st.text(max_size=3000))
def test_reading_back_a_table_someone_edited_never_raises(old: str, new: str) -> None:
    line = '| data-cell="A/P/fr" data-sort-value="{}" style="" | x'
    for value in ("9" * 5000, "-1", "٣", "100", "101"):
        old += "\n" + line.format(value)
    change = describe_changes(old, new)
    assert change.removed >= 0 and change.added >= 0


SOURCE_PARTS = ["<translate>", "</translate>", "<!--T:", "-->", "1", " ", "<translate a=b>",
                "<!--T:7-->", "x" * 50]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(SOURCE_PARTS), max_size=400))
def test_unit_ids_of_any_source_text(parts: list[str]) -> None:
    ids = unit_ids("".join(parts))
    assert all(0 < len(i) <= 64 for i in ids) and len(set(ids)) == len(ids)


def test_records_of_absurd_figures_render_bounded() -> None:
    rec = TranslationRecord("A/P", "fr", 10**12, 10**12 - 1, 1)
    assert 0 <= rec.percent <= 100
