"""The pre-write check, throttled (issue 15): a check stands for a bounded number of writes and
seconds, a check carried by another read counts, and the shutoff page still stops a run.

Against the real local wiki: the checks are counted in the web server's request log (a
`meta=userinfo` query that reads the shutoff page), and the shutoff page is edited by a person.
"""

from __future__ import annotations

import dataclasses
import time

import pytest

from bots.config.model import Config
from bots.errors import ShutoffError
from bots.outcomes import Saved
from bots.wiki.saves import save_page
from bots.wiki.session import WikiSession
from tests.support import Devwiki, RequestLog, WikiClient

SHUTOFF = "User:AdvocacyBot/Run"


def bounded(config: Config, *, edits: int, seconds: float) -> Config:
    return dataclasses.replace(config, shutoff=dataclasses.replace(
        config.shutoff, check_max_edits=edits, check_max_age_seconds=seconds))


def checks(log: RequestLog, mark: int) -> int:
    """Pre-write checks the bot sent since `mark`: the account and the shutoff page together."""
    return sum(
        1 for r in log.since(mark)
        if r.is_api and r.user == "AdvocacyBot" and "userinfo" in r.params.get("meta", "")
        and SHUTOFF in r.params.get("titles", "")
    )  # fmt: skip


def session_for(config: Config) -> WikiSession:
    session = WikiSession(config)
    session.login()
    return session


def save(session: WikiSession, title: str, text: str) -> Saved:
    outcome = save_page(session, title, lambda _base: text, "throttle test", may_create=True)
    assert isinstance(outcome, Saved), outcome
    return outcome


def test_writes_within_the_bound_share_one_check_and_the_next_makes_a_new_one(
    devwiki: Devwiki, config: Config, prefix: str, request_log: RequestLog, admin: WikiClient
) -> None:
    session = session_for(bounded(config, edits=3, seconds=600))
    mark = request_log.mark()
    for i in range(3):
        save(session, f"{prefix}P{i}", f"Edit {i}.")
    assert checks(request_log, mark) == 1
    save(session, f"{prefix}P3", "Edit 3.")  # the fourth write: the check stood for three
    assert checks(request_log, mark) == 2
    assert [admin.page_text(f"{prefix}P{i}") for i in range(4)] == [
        f"Edit {i}." for i in range(4)]


def test_a_check_older_than_the_bound_is_made_again(
    devwiki: Devwiki, config: Config, prefix: str, request_log: RequestLog
) -> None:
    session = session_for(bounded(config, edits=100, seconds=1.0))
    mark = request_log.mark()
    save(session, f"{prefix}A", "One.")
    save(session, f"{prefix}B", "Two.")  # well within a second on the local wiki
    assert checks(request_log, mark) == 1
    time.sleep(1.2)
    save(session, f"{prefix}C", "Three.")
    assert checks(request_log, mark) == 2


def test_a_check_carried_by_another_read_counts(
    devwiki: Devwiki, config: Config, prefix: str, request_log: RequestLog, admin: WikiClient
) -> None:
    admin.edit(f"{prefix}Target", "A target.", "throttle test")
    session = session_for(bounded(config, edits=10, seconds=600))
    mark = request_log.mark()
    params = session.preflight_params()
    answer = session.api(action="query", **{
        **params, "titles": [f"{prefix}Target", params["titles"]],
        "prop": "revisions|info", "rvprop": "ids|content",
    })  # fmt: skip
    assert session.accept_preflight(answer["query"]) is True
    assert checks(request_log, mark) == 1  # the read itself
    save(session, f"{prefix}Target", "Changed.")
    assert checks(request_log, mark) == 1  # the save went on the carried check
    assert admin.page_text(f"{prefix}Target") == "Changed."


def test_an_answer_without_the_shutoff_page_does_not_count(
    devwiki: Devwiki, config: Config, prefix: str, request_log: RequestLog
) -> None:
    session = session_for(bounded(config, edits=10, seconds=600))
    answer = session.api(action="query", meta="userinfo", uiprop="blockinfo|hasmsg")
    assert session.accept_preflight(answer["query"]) is False
    mark = request_log.mark()
    save(session, f"{prefix}P", "One.")
    assert checks(request_log, mark) == 1  # fail closed: the save asked itself


def test_the_shutoff_page_stops_the_run_within_the_bound_of_writes(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient, tester1: WikiClient
) -> None:
    session = session_for(bounded(config, edits=2, seconds=600))
    save(session, f"{prefix}P0", "Edit 0.")  # checked: run
    try:
        tester1.edit(SHUTOFF, "stop: throttle test", "throttle test: stop")
        save(session, f"{prefix}P1", "Edit 1.")  # the second write on the same check
        with pytest.raises(ShutoffError):
            save_page(session, f"{prefix}P2", lambda _b: "Edit 2.", "throttle test",
                      may_create=True)  # fmt: skip
        # a stop is never remembered as a check: the next write asks again, and stops again
        with pytest.raises(ShutoffError):
            save_page(session, f"{prefix}P3", lambda _b: "Edit 3.", "throttle test",
                      may_create=True)  # fmt: skip
    finally:
        admin.edit(SHUTOFF, "run", "throttle test: run again")
    assert admin.page_text(f"{prefix}P2") is None and admin.page_text(f"{prefix}P3") is None


def test_a_carried_check_that_says_stop_stops(
    devwiki: Devwiki, config: Config, prefix: str, admin: WikiClient, tester1: WikiClient
) -> None:
    session = session_for(bounded(config, edits=10, seconds=600))
    save(session, f"{prefix}P0", "Edit 0.")
    try:
        tester1.edit(SHUTOFF, "stop: carried", "throttle test: stop")
        answer = session.api(action="query", **session.preflight_params())
        with pytest.raises(ShutoffError):
            session.accept_preflight(answer["query"])
        with pytest.raises(ShutoffError):  # the earlier check no longer stands
            save_page(session, f"{prefix}P1", lambda _b: "Edit 1.", "throttle test",
                      may_create=True)  # fmt: skip
    finally:
        admin.edit(SHUTOFF, "run", "throttle test: run again")
    assert admin.page_text(f"{prefix}P1") is None
