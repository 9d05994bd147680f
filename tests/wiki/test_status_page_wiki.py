"""The on-wiki status page (issue 15) against the real local wiki: created with its markers,
updated only when a job's state changes (never for a timestamp), failed pages listed, dry runs
ignored, a page without markers left alone, a page outside the allowed ones refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from bots.errors import EXIT_JOB_FAILED, EXIT_OK, EXIT_USAGE
from tests.faults.cli_runs import run_cli, write_config
from tests.support import Devwiki, RequestLog, WikiClient

CASE = ("{{Advocacy case\n|title = Library opening hours\n|region = europe\n"
        "|status = active\n|topic = access-to-knowledge\n}}")
INDEX = "{{Advocacy case index}}\n{{Advocacy case index end}}\n"


def case(name: str) -> str:
    return CASE.replace("Library opening hours", name)


def add_cases(admin: WikiClient, prefix: str, text: str | None = None) -> None:
    for n in range(4):
        admin.edit(f"{prefix}Case {n}", text or case(f"Case {n}"), "case")


def blank_three(admin: WikiClient, prefix: str) -> None:
    """Three of four cases gone at once: the index's circuit breaker fails the page."""
    for n in range(1, 4):
        admin.edit(f"{prefix}Case {n}", "Not a case any more.", "blanked")


def status_config(folder: Path, prefix: str, page: str, **extra: str) -> Path:
    cfg = write_config(folder, prefix)
    lines = [f'page = "{page}"', *(f'{k} = "{v}"' for k, v in extra.items())]
    cfg.write_text(cfg.read_text("utf-8") + "\n[status_page]\n" + "\n".join(lines) + "\n",
                   "utf-8")
    return cfg


def bot_revisions(admin: WikiClient, title: str) -> list[dict[str, object]]:
    return [r for r in admin.revisions(title) if r["user"] == "AdvocacyBot"]


def test_status_page_changes_only_when_the_state_changes(
    devwiki: Devwiki, tmp_path: Path, prefix: str, admin: WikiClient, request_log: RequestLog
) -> None:
    status = f"{prefix}Bot status"
    cfg = status_config(tmp_path, prefix, status)
    add_cases(admin, prefix)
    admin.edit(f"{prefix}Index", INDEX, "index page")

    first = run_cli(devwiki, cfg, "run", "index")
    assert first.returncode == EXIT_OK, first.stdout + first.stderr
    text = admin.page_text(status) or ""
    assert text.startswith("{{Advocacy bot status}}") and text.rstrip().endswith(
        "{{Advocacy bot status end}}")
    row = next(line for line in text.splitlines() if line.startswith("| Case index"))
    assert "|| OK ||" in row and "1 edit, 0 skipped, 0 failed" in row, row
    assert "| Translation status tables || No run recorded yet" in text
    [created] = bot_revisions(admin, status)
    assert created["comment"] == ("Advocacy Hub: bot status changed (Case index, Translation "
                                  "status tables, Digest, Knowledge views (lessons, partners, "
                                  "whom to ask, positions))")

    # the same state again: no edit, and not even a request for the status page
    mark = request_log.mark()
    again = run_cli(devwiki, cfg, "run", "index")
    assert again.returncode == EXIT_OK
    assert len(bot_revisions(admin, status)) == 1
    asked = [str(dict(r.params)).replace("_", " ") for r in request_log.since(mark)
             if "AdvocacyHubBot" in (r.user_agent or "")]
    assert asked and not any(status in a for a in asked)

    # a dry run changes nothing on the status page
    blank_three(admin, prefix)
    dry = run_cli(devwiki, cfg, "run", "index", "--simulate")
    assert dry.returncode == EXIT_JOB_FAILED
    assert len(bot_revisions(admin, status)) == 1

    # a failure: outcome, error and the failed page, once
    for _ in range(2):
        failed = run_cli(devwiki, cfg, "run", "index")
        assert failed.returncode == EXIT_JOB_FAILED
    revisions = bot_revisions(admin, status)
    assert len(revisions) == 2
    assert revisions[0]["comment"] == "Advocacy Hub: bot status changed (Case index)"
    text = admin.page_text(status) or ""
    row = next(line for line in text.splitlines() if line.startswith("| Case index"))
    assert "|| Failed ||" in row and "circuit breaker" in row
    assert (f"Pages that failed in the last run of \"Case index\":\n"
            f"* [[:{prefix}Index|{prefix}Index]]") in text

    # mended: OK again, one more edit
    add_cases(admin, prefix)
    assert run_cli(devwiki, cfg, "run", "index").returncode == EXIT_OK
    assert len(bot_revisions(admin, status)) == 3
    assert "Pages that failed" not in (admin.page_text(status) or "")


def test_a_status_page_without_markers_is_left_alone(
    devwiki: Devwiki, tmp_path: Path, prefix: str, admin: WikiClient
) -> None:
    status = f"{prefix}Bot status"
    admin.edit(status, "Notes by people. No markers.", "human page")
    cfg = status_config(tmp_path, prefix, status)
    proc = run_cli(devwiki, cfg, "run", "translations")
    assert proc.returncode == EXIT_OK, proc.stdout + proc.stderr
    assert admin.page_text(status) == "Notes by people. No markers."
    assert "has no {{Advocacy bot status}}" in proc.stderr

    # with the markers placed by a person, the bot writes between them and nowhere else
    admin.edit(status, "Above.\n{{Advocacy bot status}}{{Advocacy bot status end}}\nBelow.",
               "markers")
    assert run_cli(devwiki, cfg, "run", "translations").returncode == EXIT_OK
    text = admin.page_text(status) or ""
    assert text.startswith("Above.\n{{Advocacy bot status}}\n<!-- advocacy-hub")
    assert text.endswith("{{Advocacy bot status end}}\nBelow.")
    assert "| Translation status tables || OK ||" in text


@pytest.mark.parametrize(("key", "value", "reason"), [
    ("page", "User:Someone/Bot status", "may not edit it"),
    ("language", "qqq", "is not the code of a language the bot knows"),
])
def test_a_status_page_config_the_bot_may_not_use_is_refused(
    devwiki: Devwiki, tmp_path: Path, prefix: str, key: str, value: str, reason: str
) -> None:
    page = value if key == "page" else f"{prefix}Bot status"
    extra = {key: value} if key != "page" else {}
    cfg = status_config(tmp_path, prefix, page, **extra)
    proc = run_cli(devwiki, cfg, "run", "index")
    assert proc.returncode == EXIT_USAGE
    assert f"status_page.{key}" in proc.stderr and reason in proc.stderr
    assert str(cfg) in proc.stderr and "Traceback" not in proc.stderr
