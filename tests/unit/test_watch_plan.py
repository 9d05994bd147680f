"""Watch mode and suspension, the pure parts: which jobs and pages a set of changes touches,
the refresh request page's links, failure streaks from the run log."""

from __future__ import annotations

from bots.config.load import load_config
from bots.operations.runlog import RunOutcome, RunRecord
from bots.operations.suspension import Streak, counted_failures, failure_streaks, with_note
from bots.operations.watch import ALL_PAGES, Touched, plan_for, requested_pages, touched_pages
from bots.wiki.recent_changes import Change
from bots.wiki.records import PageSnapshot
from tests.unit.test_config import DEVWIKI

CONFIG = load_config(DEVWIKI)


def test_a_case_change_runs_the_whole_index_and_the_tables() -> None:
    plan = plan_for([Touched("Advocacy/Some case", 0)], CONFIG)
    assert plan == {"index": ALL_PAGES, "translations": ALL_PAGES, "knowledge": ALL_PAGES}


def test_an_edit_to_another_allowed_page_refreshes_that_page_alone() -> None:
    plan = plan_for([Touched("Advocacy Hub/Europe", 0)], CONFIG)
    assert plan == {"index": frozenset({"Advocacy Hub/Europe"}), "translations": ALL_PAGES,
                    "knowledge": ALL_PAGES}  # a partner or positions page shows on any view


def test_changes_outside_the_bots_pages_cost_nothing() -> None:
    assert plan_for([Touched("Main Page", 0), Touched("User talk:Someone", 3),
                     Touched("Translations:Elsewhere/1/fr", 1198)], CONFIG) == {}
    assert plan_for([Touched("Translations:Advocacy/Guide/1/fr", 1198)], CONFIG) == {
        "translations": ALL_PAGES}


def test_a_move_touches_both_titles() -> None:
    change = Change(1, "2026-12-01T00:00:00Z", "Elsewhere/Draft", 0, "log", "Admin", "move",
                    "Advocacy/New case", 0)
    assert touched_pages([change]) == [Touched("Elsewhere/Draft", 0),
                                       Touched("Advocacy/New case", 0)]


def test_the_request_page_links_are_bounded_and_clean() -> None:
    text = ("Please refresh [[Advocacy/Hub]] and [[:Advocacy_Hub/Europe|this]], "
            "[[Advocacy/Hub]] again; {{not a link}} [[<bad>]]\n"
            + "".join(f"[[Advocacy/P{n}]]" for n in range(80)))
    pages = requested_pages(text)
    assert pages[:2] == ["Advocacy/Hub", "Advocacy Hub/Europe"] and len(pages) == 50
    assert requested_pages(None) == []


def run(start: str, failed: tuple[str, ...] = (), only: tuple[str, ...] = (),
        suspended: tuple[str, ...] = ()) -> RunRecord:
    return RunRecord(job="index", wiki="w:en", start=start, end=start, seconds=1.0,
                     outcome=RunOutcome.FAILED if failed else RunOutcome.OK,
                     exit_code=1 if failed else 0, simulate=False, pages_read=5, edits=0,
                     skipped=0, api_requests=3, errors=[f"{t}: breaker" for t in failed],
                     failed_pages=list(failed), only_pages=list(only),
                     suspended_pages=list(suspended))


def test_streaks_count_runs_in_a_row_that_covered_the_page() -> None:
    records = [
        run("2026-12-01T01:00:00+00:00", ("A", "B")),
        run("2026-12-01T02:00:00+00:00"),  # B and A succeed: both streaks end here
        run("2026-12-01T03:00:00+00:00", ("A",)),
        run("2026-12-01T03:30:00+00:00", (), only=("C",)),  # a watch run for another page
        run("2026-12-01T04:00:00+00:00", ("A",)),
        run("2026-12-01T05:00:00+00:00", (), suspended=("A",)),  # A left alone: no count
        run("2026-12-01T06:00:00+00:00", ("A",)),
    ]
    streaks = failure_streaks(records, "w:en", "index")
    assert set(streaks) == {"A"} and len(streaks["A"].starts) == 3
    assert streaks["A"].last_error == "breaker"


def test_an_edit_by_someone_else_resets_the_count() -> None:
    streak = Streak("A", ("2026-12-01T06:00:00+00:00", "2026-12-01T04:00:00+00:00",
                          "2026-12-01T03:00:00+00:00"), "breaker")
    person = PageSnapshot("A", 0, True, revid=9, timestamp="2026-12-01T05:00:00Z",
                          user="Tester1")
    bot = PageSnapshot("A", 0, True, revid=9, timestamp="2026-12-01T05:00:00Z",
                       user="AdvocacyBot")
    assert counted_failures(streak, person, "AdvocacyBot") == 1
    assert counted_failures(streak, bot, "AdvocacyBot") == 3


def test_the_note_goes_on_top_of_each_region_once() -> None:
    text = "Intro\n{{Advocacy case index}}\nrows\n{{Advocacy case index end}}\nOutro"
    noted = with_note(text, "NOTE", "Advocacy case index", "Advocacy case index end") or ""
    assert noted.startswith("Intro\n{{Advocacy case index}}\n<!-- advocacy-hub")
    assert "NOTE\nrows\n{{Advocacy case index end}}\nOutro" in noted
    assert with_note(noted, "NOTE", "Advocacy case index", "Advocacy case index end") is None
    assert with_note("no markers", "NOTE", "Advocacy case index", "Advocacy case index end") is None


def test_a_refresh_request_refreshes_the_pages_it_names_in_every_job() -> None:
    plan = plan_for([Touched(CONFIG.watch.request_page or "Refresh", 4)], CONFIG,
                    requested=["Advocacy/Lessons"])
    assert plan == {"index": frozenset({"Advocacy/Lessons"}), "translations": ALL_PAGES,
                    "knowledge": frozenset({"Advocacy/Lessons"})}
