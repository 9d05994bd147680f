"""Faults of the wiki itself, produced for real: read-only, server down, bot blocked, session
lost or swapped (issue 8, items 1-4, for the index job; the digest's share of item 2 is in
test_digest_faults.py).

Each test starts a real index run on two index pages, lets the fault happen just before the
bot's first (or second) edit, and then checks the wiki page by page: the exact text, the bot's
revisions, the requests the server received, the job's report and its run-log record.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Any

import pytest

from bots.config.model import Config
from bots.operations.runlog import read_run_records
from tests.faults.helpers import (
    BOT,
    EditHook,
    bot_blocked,
    bot_edits,
    bot_revisions,
    bot_writes,
    case,
    expire_bot_session,
    index_page,
    indexed_text,
    is_bot_agent,
    open_session,
    run,
)
from tests.support import (
    ApiError,
    Devwiki,
    RequestLog,
    WikiClient,
    import_pages,
    set_readonly,
    start_server,
    stop_server,
)


def two_cases_two_indexes(devwiki: Devwiki, prefix: str) -> list[Any]:
    """Case pages A and B, index pages Index1 and Index2; returns the rows a run must write."""
    import_pages(devwiki, [
        {"title": f"{prefix}A", "text": case("Case A", "europe", "copyright", "active",
                                             start="2021-03-01")},
        {"title": f"{prefix}B", "text": case("Case B", "africa", "privacy", "success")},
        {"title": f"{prefix}Index1", "text": index_page(before="First index.")},
        {"title": f"{prefix}Index2", "text": index_page(before="Second index.")},
    ])
    return [
        (f"{prefix}A", "Case A", "Europe", "Copyright reform", "Active", "2021-03-01"),
        (f"{prefix}B", "Case B", "Africa", "Privacy and data protection", "Success", ""),
    ]


def assert_untouched(admin: WikiClient, prefix: str) -> None:
    for n, before in ((1, "First index."), (2, "Second index.")):
        title = f"{prefix}Index{n}"
        assert admin.page_text(title) == index_page(before=before), title
        assert bot_revisions(admin, title) == [], title


def assert_complete(admin: WikiClient, prefix: str, rows: list[Any]) -> None:
    for n, before in ((1, "First index."), (2, "Second index.")):
        title = f"{prefix}Index{n}"
        assert admin.page_text(title) == indexed_text(rows, before=before), title
        assert len(bot_revisions(admin, title)) == 1, title


def last_record(cfg: Config) -> Any:
    return list(read_run_records(cfg))[-1]


# ---------------------------------------------------------------------------------------------
# 1. Read-only


def test_readonly_mid_run_retries_within_budget_then_stops_and_the_next_run_completes(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, request_log: RequestLog,
    before_edit: EditHook,
) -> None:
    rows = two_cases_two_indexes(devwiki, prefix)
    session = open_session(fcfg)  # MediaWiki refuses logins while read-only
    reason = "Database maintenance for a fault test"
    before_edit.at(1, lambda _title: set_readonly(devwiki, reason))
    mark = request_log.mark()
    t0 = time.monotonic()
    try:
        result = run("index", fcfg, session)
    finally:
        set_readonly(devwiki, None)
    elapsed = time.monotonic() - t0

    # bounded retries: the first edit and max_retries more, with back-off, then a clear stop
    attempts = bot_edits(request_log, mark)
    assert [r.params["title"] for r in attempts] == [f"{prefix}Index1"] * 3
    assert all(r.status == 200 and r.user == BOT for r in attempts)
    assert 0.2 + 0.4 <= elapsed < 20
    assert result.exit_code == 1
    assert result.error.startswith("the wiki is read-only"), result.error
    assert reason in result.error
    assert result.report.edits == []
    record = last_record(fcfg)
    assert (record.outcome, record.exit_code, record.edits) == ("failed", 1, 0)
    assert record.errors == [result.error]
    # nothing half-written: the second page was never attempted, neither page changed
    assert_untouched(admin, prefix)

    # the next run, with the wiki writable again, does all the work
    again = run("index", fcfg)
    assert again.exit_code == 0, again.error
    assert sorted(s.title for s in again.report.edits) == [f"{prefix}Index1", f"{prefix}Index2"]
    assert_complete(admin, prefix, rows)


def test_readonly_before_the_run_stops_before_any_write(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, request_log: RequestLog
) -> None:
    two_cases_two_indexes(devwiki, prefix)
    session = open_session(fcfg)
    mark = request_log.mark()
    set_readonly(devwiki, "Read-only since before the run")
    try:
        result = run("index", fcfg, session)
    finally:
        set_readonly(devwiki, None)
    assert result.exit_code == 1
    assert "read-only" in result.error and "Read-only since before the run" in result.error
    # reads are allowed while read-only; the first write attempt finds out, and nothing else
    assert {r.params["title"] for r in bot_edits(request_log, mark)} == {f"{prefix}Index1"}
    assert_untouched(admin, prefix)


# ---------------------------------------------------------------------------------------------
# 2. The web server stopped mid-run, then restarted


def test_server_stopped_mid_run_fails_cleanly_and_the_rerun_finishes(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, request_log: RequestLog,
    before_edit: EditHook,
) -> None:
    rows = two_cases_two_indexes(devwiki, prefix)
    before_edit.at(2, lambda _title: stop_server(devwiki))
    mark = request_log.mark()
    t0 = time.monotonic()
    try:
        result = run("index", fcfg)
    finally:
        start_server(devwiki)
    elapsed = time.monotonic() - t0

    assert result.exit_code == 1
    assert result.error.startswith("the wiki did not answer (connection refused)"), result.error
    assert elapsed < 30
    # the first page was saved before the outage, the second never reached the server
    assert [r.params["title"] for r in bot_edits(request_log, mark)] == [f"{prefix}Index1"]
    assert admin.page_text(f"{prefix}Index1") == indexed_text(rows, before="First index.")
    assert admin.page_text(f"{prefix}Index2") == index_page(before="Second index.")
    assert last_record(fcfg).outcome == "failed"

    # the sessions live in the wiki's database: the rerun (new process state) finishes the work
    mark = request_log.mark()
    again = run("index", fcfg)
    assert again.exit_code == 0, again.error
    assert [s.title for s in again.report.edits] == [f"{prefix}Index2"]
    assert [u.title for u in again.report.unchanged] == [f"{prefix}Index1"]
    assert [r.params["title"] for r in bot_edits(request_log, mark)] == [f"{prefix}Index2"]
    assert_complete(admin, prefix, rows)


def test_server_down_at_start_fails_without_a_traceback_loop(
    devwiki: Devwiki, fcfg: Config, prefix: str
) -> None:
    two_cases_two_indexes(devwiki, prefix)
    session = open_session(fcfg)
    stop_server(devwiki)
    t0 = time.monotonic()
    try:
        result = run("index", fcfg, session)
    finally:
        start_server(devwiki)
    assert result.exit_code == 1
    assert result.error.startswith("the wiki did not answer"), result.error
    # 1 try + 2 retries, waiting 0.2 s and 0.4 s: a few seconds, not a tight loop or a hang
    assert time.monotonic() - t0 < 20


# ---------------------------------------------------------------------------------------------
# 3. The bot account blocked


def test_blocked_before_the_run_no_write_is_attempted(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, request_log: RequestLog
) -> None:
    two_cases_two_indexes(devwiki, prefix)
    session = open_session(fcfg)
    mark = request_log.mark()
    with bot_blocked(admin, "Fault test: malfunctioning bot"):
        result = run("index", fcfg, session)
    assert result.exit_code == 1
    assert result.error == (
        "the bot account is blocked by Admin: Fault test: malfunctioning bot"
    )
    assert bot_writes(request_log, mark) == []
    assert_untouched(admin, prefix)
    assert last_record(fcfg).errors == [result.error]


def test_blocked_mid_run_is_seen_before_the_next_write(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, request_log: RequestLog,
    before_edit: EditHook,
) -> None:
    rows = two_cases_two_indexes(devwiki, prefix)
    # a pre-write check before every write (shutoff.check_max_edits = 1); with the default bound
    # a check stands for several edits and the wiki refuses the blocked account's edit itself
    # (test_blocked_error_on_the_edit_itself_stops_without_retrying)
    fcfg = dataclasses.replace(fcfg, shutoff=dataclasses.replace(fcfg.shutoff, check_max_edits=1))
    before_edit.at(2, lambda _title: admin.block(BOT, reason="Fault test: blocked mid-run"))
    mark = request_log.mark()
    try:
        result = run("index", fcfg)
    finally:
        admin.unblock(BOT, reason="fault test over")
    assert result.exit_code == 1
    assert result.error == "the bot account is blocked by Admin: Fault test: blocked mid-run"
    assert [r.params["title"] for r in bot_edits(request_log, mark)] == [f"{prefix}Index1"]
    assert admin.page_text(f"{prefix}Index1") == indexed_text(rows, before="First index.")
    assert admin.page_text(f"{prefix}Index2") == index_page(before="Second index.")


def test_blocked_error_on_the_edit_itself_stops_without_retrying(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, request_log: RequestLog,
    before_edit: EditHook, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The block lands after the pre-write check: the `blocked` error of the edit itself
    must stop the job at once (one request, no retry loop, no second page)."""
    two_cases_two_indexes(devwiki, prefix)
    session = open_session(fcfg)
    real_preflight = session.preflight
    calls: list[int] = []

    def preflight_then_block(*, write: bool = True) -> None:
        real_preflight(write=write)
        calls.append(1)
        if len(calls) == 2:  # the job's own check, then the check before the first edit
            admin.block(BOT, reason="Fault test: blocked between check and edit")

    monkeypatch.setattr(session, "preflight", preflight_then_block)
    mark = request_log.mark()
    try:
        result = run("index", fcfg, session)
    finally:
        admin.unblock(BOT, reason="fault test over")
    attempts = bot_edits(request_log, mark)
    assert [(r.params["title"], r.user) for r in attempts] == [(f"{prefix}Index1", BOT)]
    assert result.exit_code == 1
    assert result.error.startswith("the bot account is blocked"), result.error
    assert "Fault test: blocked between check and edit" in result.error
    assert_untouched(admin, prefix)


# ---------------------------------------------------------------------------------------------
# 4. Session lost, or another account's session


def test_session_expired_on_the_server_the_bot_logs_in_again_never_edits_anonymously(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, request_log: RequestLog,
    before_edit: EditHook,
) -> None:
    rows = two_cases_two_indexes(devwiki, prefix)
    session = open_session(fcfg)
    expired: list[int] = []
    before_edit.at(2, lambda _title: expired.append(expire_bot_session(devwiki)))
    mark = request_log.mark()
    result = run("index", fcfg, session)
    assert expired and expired[0] >= 1  # the server really forgot the session
    assert result.exit_code == 0, result.error
    records = [r for r in request_log.since(mark) if r.is_api and is_bot_agent(r)]
    # The server saw the bot's process as anonymous: the first request after the loss is the
    # second edit itself when the first edit's pre-write check still stands (the default:
    # one check for up to 20 edits), or that check. An anonymous edit is refused by the wiki
    # (`assert=user`); Pywikibot logged in again with the configured BotPassword (when its own
    # re-login fails on the lost session's login token, WikiSession logs in afresh), the edit
    # sent again with the lost session's token is refused too (badtoken), and the save checks
    # afresh and sends it with a new token: only then was it saved, once.
    anonymous = [r for r in records if r.user == "127.0.0.1"]
    assert anonymous and {r.action for r in anonymous} <= {"query", "login", "edit"}
    logins = [i for i, r in enumerate(records) if r.action in ("login", "clientlogin")]
    last_edit = [i for i, r in enumerate(records) if r.action == "edit"][-1]
    assert 1 <= len(logins) <= 2 and logins[-1] < last_edit
    edits = bot_edits(request_log, mark)
    assert next(r.params["title"] for r in edits if r.user == BOT) == f"{prefix}Index1"
    assert {r.params["title"] for r in edits} == {f"{prefix}Index1", f"{prefix}Index2"}
    assert all(r.params["assert"] == "user" and r.params["assertuser"] == BOT for r in edits)
    assert records[last_edit].user == BOT
    assert_complete(admin, prefix, rows)  # each page saved once, by the bot


def test_session_lost_and_login_refused_stops_without_editing(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, request_log: RequestLog,
    before_edit: EditHook, tmp_path: Path,
) -> None:
    """The session expires and the password no longer works (revoked BotPassword): the bot
    must stop, not carry on as an anonymous user."""
    from pywikibot import config as pwb_config

    rows = two_cases_two_indexes(devwiki, prefix)
    session = open_session(fcfg)
    wrong = tmp_path / "password"
    wrong.write_text("('AdvocacyBot', BotPassword('hub', 'not-the-password-any-more'))\n")
    wrong.chmod(0o600)
    real_file = pwb_config.password_file

    def revoke(_title: str) -> None:
        pwb_config.password_file = str(wrong)
        expire_bot_session(devwiki)

    before_edit.at(2, revoke)
    mark = request_log.mark()
    try:
        result = run("index", fcfg, session)
    finally:
        pwb_config.password_file = real_file
        open_session(fcfg)
    edits = bot_edits(request_log, mark)
    # the only edit by the bot is the first; the second, sent on the first's pre-write check
    # after the session was lost, went as anonymous and the wiki refused it (`assert=user`)
    assert [(r.params["title"], r.user) for r in edits if r.user != "127.0.0.1"] == [
        (f"{prefix}Index1", BOT)]
    assert all(r.params["assert"] == "user" and r.params["assertuser"] == BOT for r in edits)
    assert result.exit_code == 1
    assert "AdvocacyBot" in result.error, result.error
    assert admin.page_text(f"{prefix}Index1") == indexed_text(rows, before="First index.")
    assert admin.page_text(f"{prefix}Index2") == index_page(before="Second index.")
    assert [r["user"] for r in admin.revisions(f"{prefix}Index2")] == ["Admin"]


def test_every_edit_asserts_the_configured_account_and_mediawiki_enforces_it(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, tester1: WikiClient,
    request_log: RequestLog,
) -> None:
    """What the bot sends with each edit (`assert=user`, `assertuser=AdvocacyBot`) makes
    MediaWiki refuse the edit from any other session: replayed with Tester1's session, and
    logged out, the same request is refused and the page keeps its text."""
    rows = two_cases_two_indexes(devwiki, prefix)
    mark = request_log.mark()
    assert run("index", fcfg).exit_code == 0
    edits = bot_edits(request_log, mark)
    assert len(edits) == 2
    for r in edits:
        assert (r.params["assert"], r.params["assertuser"], r.user) == ("user", BOT, BOT)
    title = f"{prefix}Index1"
    params = {"action": "edit", "title": title, "text": "replaced", "assert": "user",
              "assertuser": BOT}
    with pytest.raises(ApiError) as as_tester:
        tester1.write(**params)
    assert as_tester.value.code == "assertnameduserfailed"
    anonymous = WikiClient.anonymous(devwiki)
    with pytest.raises(ApiError) as as_anon:
        anonymous.post(token="+\\", **params)
    assert as_anon.value.code == "assertuserfailed"
    assert admin.page_text(title) == indexed_text(rows, before="First index.")


def test_run_log_counts_the_edits_saved_before_a_mid_run_stop(
    devwiki: Devwiki, fcfg: Config, prefix: str, admin: WikiClient, before_edit: EditHook,
) -> None:
    two_cases_two_indexes(devwiki, prefix)
    before_edit.at(2, lambda _title: admin.block(BOT, reason="Fault test: count the edits"))
    try:
        result = run("index", fcfg)
    finally:
        admin.unblock(BOT, reason="fault test over")
    assert result.exit_code == 1
    assert len(bot_revisions(admin, f"{prefix}Index1")) == 1
    assert [s.title for s in result.report.edits] == [f"{prefix}Index1"]
    assert last_record(fcfg).edits == 1
