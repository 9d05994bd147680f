"""Pages followed through the period by page id (``bots.digest.spans``): the title a page had
at the period's start and end, and the revisions compared, whatever the moves in between."""

from __future__ import annotations

from bots.digest.spans import PageSpan, page_spans
from bots.wiki.history import PageHistory, PageMove, RecentChange

START, END, BOT = "2026-01-01T00:00:00Z", "2026-01-08T00:00:00Z", "AdvocacyBot"


def edit(title: str, ns: int, revid: int, old: int, day: int, pageid: int,
         user: str = "Alice") -> RecentChange:
    return RecentChange(title, ns, revid, old, f"2026-01-{day:02d}T12:00:00Z", user, pageid)


def histories(*changes: RecentChange) -> dict[str, PageHistory]:
    out: dict[str, PageHistory] = {}
    for c in changes:
        out.setdefault(c.title, PageHistory(c.namespace)).entries.append(c)
    return out


def move(source: str, sns: int, target: str, tns: int, day: int, pageid: int,
         logid: int = 1) -> PageMove:
    return PageMove(source, sns, target, tns, pageid, f"2026-01-{day:02d}T13:00:00Z", "Alice",
                    logid)


def spans(changes: list[RecentChange], moves: list[PageMove]) -> list[PageSpan]:
    return page_spans(histories(*changes), moves, {0}, start=START, end=END, bot=BOT)


def test_a_draft_moved_in_starts_outside_and_ends_in_case_space() -> None:
    found = spans([], [move("User:A/Draft", 2, "Advocacy/Case", 0, 3, pageid=7)])
    assert found == [PageSpan("User:A/Draft", 2, "Advocacy/Case", 0, edited=False, moved=True)]


def test_edits_under_both_titles_are_one_page() -> None:
    changes = [edit("Advocacy/Old", 0, 11, 10, 2, pageid=5),
               edit("Advocacy/New", 0, 13, 12, 4, pageid=5),
               edit("Advocacy/New", 0, 15, 13, 9, pageid=5)]  # after the period
    found = spans(changes, [move("Advocacy/Old", 0, "Advocacy/New", 0, 3, pageid=5)])
    assert found == [PageSpan("Advocacy/Old", 0, "Advocacy/New", 0, edited=True, moved=True,
                              before=10, after=13)]


def test_a_page_moved_out_ends_outside() -> None:
    changes = [edit("Advocacy/Leaving", 0, 21, 0, 2, pageid=9)]
    found = spans(changes, [move("Advocacy/Leaving", 0, "User:A/Leaving", 2, 3, pageid=9)])
    assert [(s.start_title, s.end_title, s.before, s.after) for s in found] == [
        ("Advocacy/Leaving", "User:A/Leaving", 0, 21)]


def test_only_moved_in_the_period_reads_the_revision_at_the_end() -> None:
    later = [edit("Advocacy/Case", 0, 31, 30, 10, pageid=3)]
    found = spans(later, [move("User:A/Draft", 2, "Advocacy/Case", 0, 3, pageid=3)])
    assert (found[0].before, found[0].after) == (None, 30)


def test_the_bots_own_edits_and_other_namespaces_are_no_news() -> None:
    assert spans([edit("Advocacy/Case", 0, 41, 40, 2, pageid=4, user=BOT)], []) == []
    assert spans([], [move("User:A/X", 2, "User:A/Y", 2, 3, pageid=6)]) == []
    assert spans([edit("Advocacy/Case", 0, 51, 50, 12, pageid=8)], []) == []  # after the end
