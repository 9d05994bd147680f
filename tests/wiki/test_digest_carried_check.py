"""The digest's pre-write check carried by its chunked re-read (issue 15, performance): the
re-read of a chunk of targets just before posting to them also reads the shutoff page and the
account, so the chunk's posts make no check of their own, and a stop found there stops the
deliveries. Counted in the web server's request log, on the real local wiki."""

from __future__ import annotations

import dataclasses
import io
from typing import Any

import pytest

from bots.config.model import Config
from bots.digest.recipients import EXCLUSION_TEMPLATES
from bots.errors import ShutoffError
from bots.operations.jobs import run_job
from bots.run_options import RunOptions
from bots.wiki.digest_reads import DigestSite, EvidenceQuery, read_recipients
from bots.wiki.session import WikiSession
from tests.support import Devwiki, RequestLog, WikiClient, by_user, import_pages, write_requests

BOT = "AdvocacyBot"
SHUTOFF = "User:AdvocacyBot/Run"


def bounded(config: Config, edits: int = 10) -> Config:
    """The check's bound in edits; its age bound out of the way of a busy test machine."""
    return dataclasses.replace(config, shutoff=dataclasses.replace(
        config.shutoff, check_max_edits=edits, check_max_age_seconds=600))


def checks(log: RequestLog, mark: int) -> tuple[int, int]:
    """(checks of their own, checks carried by another read) the bot sent since ``mark``."""
    own = carried = 0
    for r in log.since(mark):
        if r.is_api and r.user == BOT and "userinfo" in r.params.get("meta", "") \
                and SHUTOFF in r.params.get("titles", ""):
            if r.params.get("titles") == SHUTOFF:
                own += 1
            else:
                carried += 1
    return own, carried


def session_for(config: Config) -> WikiSession:
    session = WikiSession(config)
    session.login()
    return session


def talk(user: str) -> dict[str, Any]:
    return {"title": f"User talk:{user}", "revisions": [{"text": "Hello.", "user": user,
                                                          "age_days": 40}]}


def test_the_reread_carries_the_check_and_keeps_the_shutoff_page_out_of_the_targets(
    devwiki: Devwiki, config: Config, prefix: str, request_log: RequestLog
) -> None:
    user = f"CReader-{prefix.rstrip('/').rsplit('-', 1)[1]}"
    import_pages(devwiki, [talk(user)])
    session = session_for(bounded(config))
    mark = request_log.mark()
    pages, _ = read_recipients(
        session, [f"User talk:{user}", f"User_talk:{user}"], site=DigestSite(),
        exclusion_templates=EXCLUSION_TEMPLATES, carry_check=True,
        with_evidence=EvidenceQuery(BOT, (3,), "2026-01-01T00:00:00Z"))
    assert set(pages) == {f"User talk:{user}", f"User_talk:{user}"}  # no shutoff page
    assert pages[f"User talk:{user}"].snapshot.text == "Hello."
    assert checks(request_log, mark) == (0, 1)
    session.preflight()  # a write's check: the carried one stands
    assert checks(request_log, mark) == (0, 1)
    assert len([r for r in request_log.since(mark) if r.is_api and r.user == BOT]) == 1


def test_a_reread_that_finds_stop_stops_before_any_post(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient, tester1: WikiClient
) -> None:
    session = session_for(bounded(config))
    session.preflight()  # a check that said run, standing
    try:
        tester1.edit(SHUTOFF, "stop: digest chunk", "carried check test: stop")
        with pytest.raises(ShutoffError):
            read_recipients(session, ["User talk:Tester1"], site=DigestSite(),
                            exclusion_templates=EXCLUSION_TEMPLATES, carry_check=True)
        with pytest.raises(ShutoffError):  # the check that stood before no longer does
            session.preflight()
    finally:
        admin.edit(SHUTOFF, "run", "carried check test: run again")


def test_a_digest_makes_one_check_per_chunk_of_posts(
    devwiki: Devwiki, config: Config, prefix: str, request_log: RequestLog, admin: WikiClient
) -> None:
    tag = prefix.rstrip("/").rsplit("-", 1)[1]
    readers = [f"CR{i}-{tag}" for i in range(12)]
    case = "{{Advocacy case\n|title=Chunked news\n|region=europe\n|status=active\n}}"
    import_pages(devwiki, [
        {"title": f"{prefix}News", "text": case, "age_days": 1},
        {"title": f"{prefix}Digest/Subscribers", "age_days": 5,
         "text": "\n".join(f"{{{{Target|page=User talk:{r}}}}}" for r in readers)},
        *(talk(r) for r in readers),
    ])
    cfg = bounded(dataclasses.replace(config, digest=dataclasses.replace(
        config.digest, subscriber_page=f"{prefix}Digest/Subscribers",
        archive_prefix=f"{prefix}Digest/Archive/", hub_pages=(f"{prefix}Hub",),
        unsubscribe_page=f"{prefix}Digest/Subscribers", require_self_subscription=False)))
    session = session_for(cfg)
    mark = request_log.mark()
    result = run_job("digest", session, cfg, RunOptions(out=io.StringIO()))
    assert result.exit_code == 0, (result.error, result.report.notes)
    edits = [r for r in write_requests(by_user(request_log.since(mark), BOT))
             if r.action == "edit"]
    assert len(edits) == 14  # 12 posts and the archive twice
    # the job's own check (which the first archive save uses) and one carried per chunk of
    # 10 targets, which also stands for the last archive save: no post checks by itself
    assert checks(request_log, mark) == (1, 2)
    for reader in readers:
        assert "Chunked news" in (admin.page_text(f"User talk:{reader}") or "")
