"""Vandalism on the wiki (issue 8, item 14, index side; the inflated subscriber list is in
test_digest_faults.py): many case pages blanked at once, index markers deleted, duplicated or
reordered. Done by Tester1 through the API, as a vandal would.
"""

from __future__ import annotations

import io
import re
from typing import Any

from bots.config.model import Config
from bots.operations.runlog import read_run_records
from tests.faults.helpers import (
    BOT,
    bot_edits,
    bot_revisions,
    case,
    index_page,
    row_pages,
    run,
)
from tests.support import Devwiki, RequestLog, WikiClient, import_pages

REGIONS = ["europe", "africa", "asia-pacific", "latin-america", "global"]


def world(devwiki: Devwiki, prefix: str, n: int = 10) -> list[str]:
    titles = [f"{prefix}Case{i:02d}" for i in range(n)]
    import_pages(devwiki, [
        *({"title": t, "text": case(f"Case {i:02d}", REGIONS[i % 5], "copyright", "active")}
          for i, t in enumerate(titles)),
        {"title": f"{prefix}Good", "text": index_page(before="Good.")},
        {"title": f"{prefix}NoEnd", "text": index_page(before="No end.")},
        {"title": f"{prefix}Twice", "text": index_page(before="Twice.")},
        {"title": f"{prefix}Swapped", "text": index_page(before="Swapped.")},
    ])
    return titles


def vandalise_markers(admin: WikiClient, vandal: WikiClient, prefix: str) -> dict[str, str]:
    """Break the markers of three index pages; returns each page's text after the vandal."""
    out: dict[str, str] = {}
    edits = {
        "NoEnd": lambda t: t.replace("{{Advocacy case index end}}", ""),
        "Twice": lambda t: t.replace("{{Advocacy case index}}",
                                     "{{Advocacy case index}}\n{{Advocacy case index}}", 1),
        "Swapped": lambda t: t.replace("{{Advocacy case index}}", "@@S@@")
                              .replace("{{Advocacy case index end}}", "{{Advocacy case index}}")
                              .replace("@@S@@", "{{Advocacy case index end}}"),
    }
    for name, change in edits.items():
        title = f"{prefix}{name}"
        text = change(admin.page_text(title) or "")
        vandal.edit(title, text, "vandalism")
        out[title] = admin.page_text(title) or ""
    return out


def test_blanking_many_cases_trips_the_breaker_and_broken_markers_leave_pages_untouched(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, tester1: WikiClient,
    request_log: RequestLog,
) -> None:
    titles = world(devwiki, prefix)
    first = run("index", fcfg)
    assert first.exit_code == 0, first.error
    assert len(first.report.edits) == 4
    good = f"{prefix}Good"
    healthy = admin.page_text(good) or ""
    assert row_pages(healthy) == titles

    # the vandal: blanks half the case pages, breaks the markers on three index pages
    for title in titles[:5]:
        tester1.edit(title, "lol", "blanked")
    broken = vandalise_markers(admin, tester1, prefix)

    mark = request_log.mark()
    held = run("index", fcfg)
    # the breaker holds: the good page keeps its ten rows, nothing was sent for it
    assert held.exit_code == 1
    assert [f.title for f in held.report.failures] == [good]
    assert re.fullmatch(r"circuit breaker: .*line 2 would lose 5 of (its )?10 rows "
                        r"\(more than 30%\).*--force.*", held.report.failures[0].reason)
    assert admin.page_text(good) == healthy
    assert bot_edits(request_log, mark) == []
    # pages with broken markers: untouched, and each one reported with the reason
    for title, text in broken.items():
        assert admin.page_text(title) == text, title
        assert [r["user"] for r in admin.revisions(title)][:2] == ["Tester1", BOT], title
    skipped = {s.title: s.reason for s in held.report.skipped}
    assert skipped[f"{prefix}NoEnd"].startswith("broken index markers: ")
    assert skipped[f"{prefix}Twice"].startswith("broken index markers: ")
    assert skipped[f"{prefix}Swapped"].startswith("broken index markers: ")
    record = list(read_run_records(fcfg))[-1]
    assert record.outcome == "failed" and record.edits == 0
    assert sum("markers broken, page left untouched" in n for n in record.notes) == 3

    # the operator looks and decides: --force saves the good page, the broken ones stay as is
    forced = run("index", fcfg, force=True)
    assert forced.exit_code == 0, forced.error
    assert [s.title for s in forced.report.edits] == [good]
    saved = admin.page_text(good) or ""
    assert row_pages(saved) == titles[5:]
    assert saved.startswith("Good.\n{{Advocacy case index}}\n")
    assert saved.endswith("{{Advocacy case index end}}\nOutro.")
    # ... and its needs-attention list names the three pages with broken markers
    attention = saved.split("=== Needs attention ===", 1)[1]
    for name in ("NoEnd", "Twice", "Swapped"):
        assert f"[[:{prefix}{name}|" in attention, name
    for title, text in broken.items():
        assert admin.page_text(title) == text, title
    assert len(bot_revisions(admin, good)) == 2


def test_a_run_log_or_report_names_each_broken_page_for_the_operator(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, tester1: WikiClient,
) -> None:
    """The operator's view of the same vandalism: `advocacy-hub run index` prints why."""
    from bots.operations.cli import cmd_run

    world(devwiki, prefix, n=3)
    assert run("index", fcfg).exit_code == 0
    vandalise_markers(admin, tester1, prefix)
    out = io.StringIO()
    code = cmd_run(fcfg, ["index"], simulate=False, diff=False, force=False, out=out)
    lines: list[Any] = out.getvalue().splitlines()
    assert code == 0
    for name in ("NoEnd", "Twice", "Swapped"):
        assert any(line.startswith(f"  skipped {prefix}{name}: broken index markers: ")
                   for line in lines), out.getvalue()
