"""The status page's state and rendering (pure): since when a state holds, what is shown, in
which language; the text only changes when a state changes."""

from __future__ import annotations

from bots.config.load import load_config
from bots.i18n.messages import Messages
from bots.operations.runlog import RunOutcome, RunRecord
from bots.operations.status_page import job_states, render_status_body, status_page_text
from tests.unit.test_config import DEVWIKI


def record(start: str, outcome: str = "ok", *, failed: tuple[str, ...] = (), edits: int = 0,
           simulate: bool = False, only: tuple[str, ...] = ()) -> RunRecord:
    return RunRecord(
        job="index", wiki="w:en", start=start, end=start, seconds=1.0,
        outcome=RunOutcome(outcome), exit_code=0 if outcome == "ok" else 1, simulate=simulate,
        pages_read=10, edits=edits, skipped=0, api_requests=5,
        errors=[f"{t}: circuit breaker" for t in failed], failed_pages=list(failed),
        only_pages=list(only))


def test_since_is_the_first_run_of_the_current_state() -> None:
    records = [
        record("2026-12-01T10:00:00+00:00", edits=3),
        record("2026-12-01T11:00:00+00:00", "failed", failed=("A",)),
        record("2026-12-01T12:00:00+00:00", "failed", failed=("A",)),
        record("2026-12-01T12:30:00+00:00", "failed", failed=("B",), simulate=True),
        record("2026-12-01T12:40:00+00:00", "failed", failed=("C",), only=("C",)),
        record("2026-12-01T13:00:00+00:00", "failed", failed=("A",)),
    ]
    [state, never] = job_states(records, "w:en", ["index", "digest"])
    assert state.outcome == RunOutcome.FAILED and state.since == "2026-12-01 11:00 UTC"
    assert state.failed_pages == ("A",) and never.outcome is None
    # the rendering of runs 2, 3 and 6 is the same: no edit for a run that changed nothing
    messages = Messages.load()
    bodies = {render_status_body(job_states(records[:n], "w:en", ["index"]), [], messages, "en")
              for n in (3, 6)}
    assert len(bodies) == 1
    assert render_status_body(job_states(records[:1], "w:en", ["index"]), [], messages,
                              "en") not in bodies


def test_rendered_in_the_wikis_language_with_escaped_values() -> None:
    french = {
        "advocacyhub-status-intro": "Intro FR",
        "advocacyhub-status-col-job": "Tâche",
        "advocacyhub-status-outcome-failed": "Échec",
        "advocacyhub-status-job-index": "Index des cas",
    }
    base = Messages.load()
    catalog = {lang: {k: base.text(k, lang) or "" for k in base.keys(None)} for lang in ("en",)}
    messages = Messages({**catalog, "fr": french})
    states = job_states([record("2026-12-01T11:00:00+00:00", "failed", failed=("[[X]]{{Y}}",))],
                        "w:en", ["index"])
    body = render_status_body(states, ["Suspended page"], messages, "fr")
    assert body.startswith("Intro FR\n") and "! Tâche !!" in body
    assert "| Index des cas || Échec ||" in body
    assert "{{Y}}" not in body and "[[X]]" not in body.replace("[[:", "")
    assert "* [[:Suspended page|Suspended page]]" in body


def test_markers_are_kept_and_a_page_without_them_is_left_alone() -> None:
    config = load_config(DEVWIKI)
    created = status_page_text(None, "BODY", config) or ""
    assert created.startswith("{{Advocacy bot status}}\n<!-- advocacy-hub")
    assert created.endswith("BODY\n{{Advocacy bot status end}}\n")
    page = "Above\n" + created + "Below {{Advocacy bot status end}}?"
    assert status_page_text(page, "NEW", config) is None  # an end marker without a start
    page = "Above\n" + created + "Below"
    updated = status_page_text(page, "NEW", config) or ""
    assert updated.startswith("Above\n{{Advocacy bot status}}") and updated.endswith("}}\nBelow")
    assert "NEW" in updated and "BODY" not in updated
    assert status_page_text("Only people's text.", "NEW", config) is None
