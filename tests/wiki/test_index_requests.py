"""What one index run asks of the real local wiki (issue 15, performance), from the web
server's request log: the index pages read with the listing, one pre-write check for the
run's edits, and no look at the revisions around a save that went on the revision read.
"""

from __future__ import annotations

import dataclasses

from bots.config.model import Config
from tests.support.devwiki import Devwiki, import_pages
from tests.support.mwapi import WikiClient
from tests.support.requestlog import RequestLog, RequestRecord
from tests.wiki.test_index_support import START, index_config, marker, run_index

BOT = "AdvocacyBot"
SHUTOFF = "User:AdvocacyBot/Run"


def case_text(title: str, region: str) -> str:
    return (f"{{{{Advocacy case\n|title = {title}\n|region = {region}\n|status = active\n"
            f"|start = 2021\n}}}}")  # fmt: skip


def bot_api(log: RequestLog, mark: int) -> list[RequestRecord]:
    return [r for r in log.since(mark) if r.is_api and r.user == BOT]


def test_an_index_run_reads_its_pages_with_the_listing_and_checks_once_for_its_edits(
    config: Config, prefix: str, devwiki: Devwiki, admin: WikiClient, request_log: RequestLog
) -> None:
    iconfig = index_config(config, case_prefix=prefix, edit_prefix=prefix)
    # the age bound is tested in test_preflight_throttle.py; here a slow machine must not
    # split the run's edits over two checks
    iconfig = dataclasses.replace(iconfig, shutoff=dataclasses.replace(
        iconfig.shutoff, check_max_age_seconds=600.0))
    pages = [f"{prefix}Index {i}" for i in range(3)]
    import_pages(devwiki, [
        {"title": f"{prefix}Kenya", "text": case_text("Access in Kenya", "africa")},
        {"title": f"{prefix}France", "text": case_text("Panorama in France", "europe")},
        *({"title": t, "text": f"Intro.\n{marker('region=europe')}\n", "user": "Tester1"}
          for t in pages),
    ])  # fmt: skip
    mark = request_log.mark()
    result = run_index(iconfig)
    assert result.exit_code == 0, result.error
    assert sorted(s.title for s in result.report.edits) == pages
    requests = bot_api(request_log, mark)

    edits = [r for r in requests if r.action == "edit"]
    assert sorted(r.params["title"] for r in edits) == pages
    # the pre-write check (account and shutoff page together): once, before the job, and it
    # stands for the three edits
    checks = [r for r in requests if "userinfo" in r.params.get("meta", "")
              and SHUTOFF in r.params.get("titles", "")]  # fmt: skip
    assert len(checks) == 1
    first_edit = requests.index(edits[0])
    assert requests.index(checks[0]) < first_edit
    # the index pages come with their text in the listing; none is read again by title
    listings = [r for r in requests if r.params.get("generator") == "embeddedin"
                and r.params.get("geititle") == f"Template:{START}"]  # fmt: skip
    assert len(listings) == 1 and "content" in listings[0].params.get("rvprop", "")
    assert not [r for r in requests if "content" in r.params.get("rvprop", "")
                and any(t in r.params.get("titles", "") for t in pages)]  # fmt: skip
    # each save went on the revision read (its answer says so): no look at the revisions
    # around it for a merged manual edit
    assert not [r for r in requests if "rvstartid" in r.params]
    for title in pages:
        assert admin.page_text(title) is not None
        assert "Panorama in France" in (admin.page_text(title) or "")
