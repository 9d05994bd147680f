"""`--simulate` (and Pywikibot's `-simulate`) across full runs of every job (issue 8, item 11):
zero write requests reach the server, by the server's own request log, and nothing is recorded
as delivered, while the same runs without the flag do write.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bots.config.load import load_config
from bots.operations.runlog import read_run_records
from tests.faults.cli_runs import run_cli, write_config
from tests.faults.helpers import BOT, bot_revisions, case, index_page
from tests.support import Devwiki, RequestLog, WikiClient, import_pages, write_requests


def world(devwiki: Devwiki, prefix: str) -> str:
    """Work for every job: an index page, a translation status table, a digest subscriber."""
    user = f"DSimCli-{prefix.rstrip('/').rsplit('-', 1)[1]}"
    import_pages(devwiki, [
        {"title": f"{prefix}A", "text": case("Case A", "europe", "copyright", "active"),
         "age_days": 1},
        {"title": f"{prefix}Index", "text": index_page()},
        {"title": f"{prefix}Translated", "text": "Source page.", "age_days": 3},
        {"title": f"{prefix}Translated/fr", "text": "Page source.", "age_days": 2},
        {"title": f"{prefix}Status", "text":
            f"{{{{Advocacy translation status|prefix={prefix}|languages=fr,zh}}}}\n"
            "{{Advocacy translation status end}}"},
        {"title": f"{prefix}Hub", "text": "Hub.", "age_days": 20},
        {"title": f"{prefix}Digest/Subscribers", "text": f"{{{{Target|page=User talk:{user}}}}}",
         "age_days": 5},
        {"title": f"User talk:{user}", "revisions": [
            {"text": "Hello.", "user": user, "age_days": 40}]},
    ])
    return user


@pytest.mark.parametrize("flag", ["--simulate", "-simulate"])
def test_simulate_runs_every_job_and_writes_nothing(
    devwiki: Devwiki, prefix: str, tmp_path: Path, admin: WikiClient, request_log: RequestLog,
    flag: str,
) -> None:
    user = world(devwiki, prefix)
    config_path = write_config(tmp_path, prefix)
    cfg = load_config(config_path)
    before = {t: admin.page_text(t) for t in (f"{prefix}Index", f"{prefix}Status",
                                              f"User talk:{user}")}
    mark = request_log.mark()
    proc = run_cli(devwiki, config_path, "run", "all", flag)
    records = request_log.since(mark)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # every job ran and would have written
    lines = proc.stdout.splitlines()
    assert any(line.startswith("index: ") and " 1 edited" in line and "(simulated)" in line
               for line in lines), proc.stdout
    assert any(line.startswith("translations: ") and " 1 edited" in line
               and "(simulated)" in line for line in lines), proc.stdout
    assert any(line.startswith("digest: ") and "(simulated)" in line and " 0 edited" not in line
               for line in lines), proc.stdout
    # the server's own log: the runs read (many requests) and wrote nothing at all
    assert len([r for r in records if r.is_api]) > 10
    assert write_requests(records, include_helpers=True) == []
    assert [r for r in records if r.method == "POST" and r.action == "edit"] == []
    # nothing changed, nothing recorded as delivered
    for title, text in before.items():
        assert admin.page_text(title) == text, title
        assert bot_revisions(admin, title) == [], title
    assert admin.prefix_pages(f"{prefix}Digest/Archive/") == []
    runs = list(read_run_records(cfg))
    assert [(r.job, r.simulate, r.outcome) for r in runs] == [
        ("index", True, "ok"), ("translations", True, "ok"), ("digest", True, "ok"),
        ("knowledge", True, "ok")]

    if flag != "--simulate":
        return
    # the same command without the flag writes: the simulated runs had real work to do
    mark = request_log.mark()
    real = run_cli(devwiki, config_path, "run", "all")
    assert real.returncode == 0, real.stdout + real.stderr
    edits = [r for r in write_requests(request_log.since(mark)) if r.user == BOT]
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    assert {r.params["title"] for r in edits} == {
        f"{prefix}Index", f"{prefix}Status", f"User talk:{user}",
        f"{prefix}Digest/Archive/{today}"}
