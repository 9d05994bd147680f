"""Suspension (issue 15) against the real local wiki: a page whose region failed three runs in a
row gets a visible note and a tracking category and is left alone; only an edit to the page by
someone else resumes it. Failures come from the run log, the resuming edit from the wiki."""

from __future__ import annotations

import json
from pathlib import Path

from bots.errors import EXIT_JOB_FAILED, EXIT_OK
from bots.wikitext.markers import inner_was_edited_by_human
from tests.faults.cli_runs import run_cli
from tests.support import Devwiki, WikiClient
from tests.wiki.test_status_page_wiki import (
    INDEX,
    add_cases,
    blank_three,
    bot_revisions,
    status_config,
)

CATEGORY = "Advocacy Hub suspended pages"


def last_record(folder: Path) -> dict[str, object]:
    lines = (folder / "state" / "runs.jsonl").read_text("utf-8").splitlines()
    return dict(json.loads(lines[-1]))


def test_three_failures_suspend_and_an_edit_by_someone_else_resumes(
    devwiki: Devwiki, tmp_path: Path, prefix: str, admin: WikiClient, tester1: WikiClient
) -> None:
    index, status = f"{prefix}Index", f"{prefix}Bot status"
    cfg = status_config(tmp_path, prefix, status)
    add_cases(admin, prefix)
    admin.edit(index, INDEX, "index page")
    assert run_cli(devwiki, cfg, "run", "index").returncode == EXIT_OK

    blank_three(admin, prefix)  # the circuit breaker holds the page: a failure per run
    for n in range(3):
        proc = run_cli(devwiki, cfg, "run", "index")
        assert proc.returncode == EXIT_JOB_FAILED, proc.stdout
        text = admin.page_text(index) or ""
        assert ("The bot has suspended updates of this list" in text) == (n == 2)
    note_edit = bot_revisions(admin, index)[0]
    assert note_edit["comment"] == ("Advocacy Hub: updates suspended after 3 failed runs in a "
                                    "row; edit the page to resume")
    assert f"Category:{CATEGORY}" in admin.categories(index)
    text = admin.page_text(index) or ""
    region = text.split("{{Advocacy case index}}")[1].split("{{Advocacy case index end}}")[0]
    assert "circuit breaker" in region and "Case 2" in region  # the list is kept under the note
    # the note and its category are inside the bot's markers, stamped as the bot's own
    # content (the next run does not take it for a human edit); nothing outside them changed
    assert region.count('<div class="advocacy-hub-suspended">') == 1
    assert f"[[Category:{CATEGORY}]]" in region and not inner_was_edited_by_human(region)
    outside = text.replace(region, "")
    assert outside.strip() == "{{Advocacy case index}}{{Advocacy case index end}}"
    assert (f"Pages the bot has suspended after repeated failures (an edit to the page resumes "
            f"it):\n* [[:{index}|{index}]]") in (admin.page_text(status) or "")

    # suspended: left alone, the run no longer fails on it; mending the cases is not enough
    add_cases(admin, prefix)
    revisions = len(admin.revisions(index))
    proc = run_cli(devwiki, cfg, "run", "index")
    assert proc.returncode == EXIT_OK, proc.stdout
    assert len(admin.revisions(index)) == revisions
    assert last_record(tmp_path)["suspended_pages"] == [index]

    # a person edits the page: resumed, the list is current again, note and category gone
    tester1.edit(index, (admin.page_text(index) or "") + "\nThanks, bot.", "looked at it")
    proc = run_cli(devwiki, cfg, "run", "index")
    assert proc.returncode == EXIT_OK, proc.stdout
    text = admin.page_text(index) or ""
    assert "suspended" not in text and text.endswith("Thanks, bot.")
    assert all(f"Case {n}" in text for n in range(4))
    assert f"Category:{CATEGORY}" not in admin.categories(index)
    assert last_record(tmp_path)["suspended_pages"] == []
    assert "suspended after repeated failures" not in (admin.page_text(status) or "")
