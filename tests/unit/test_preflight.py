"""The pre-write check's answer and how long it stands (bots.wiki.preflight): pure parts.

The requests themselves, and a run stopped by the shutoff page, are tested against the real
wiki in tests/wiki/test_preflight_throttle.py.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from bots.config.load import load_config, parse_config
from bots.config.model import Config, ConfigError
from bots.errors import BlockedError, ShutoffError, TalkMessageStop, WrongUserError
from bots.wiki.preflight import CheckClock, evaluate, preflight_params, shutoff_record

REPO = Path(__file__).resolve().parents[2]
DEVWIKI = REPO / "config" / "devwiki.toml"
PAGE = "User:AdvocacyBot/Run"


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(DEVWIKI)


def answer(text: str | None = "run", **user: Any) -> dict[str, Any]:
    page: dict[str, Any] = {"title": PAGE, "ns": 2}
    if text is None:
        page["missing"] = True
    else:
        page["revisions"] = [{"slots": {"main": {"content": text}}}]
    return {"userinfo": {"id": 1, "name": "AdvocacyBot", **user}, "pages": [page]}


def test_a_check_that_says_run_goes_on(config: Config) -> None:
    assert evaluate(answer(), config) is True


@pytest.mark.parametrize(
    ("query", "error"),
    [
        (answer("stop"), ShutoffError),
        (answer(None), ShutoffError),  # a deleted shutoff page stops the bot too
        (answer(name="Somebody"), WrongUserError),
        (answer(anon=True, name="127.0.0.1"), WrongUserError),
        (answer(blockid=3, blockedby="Admin", blockreason="test"), BlockedError),
    ],
)
def test_a_check_that_says_stop_raises(
    config: Config, query: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        evaluate(query, config)


def test_a_talk_message_stops_only_when_configured(config: Config) -> None:
    assert evaluate(answer(messages=True), config) is True
    strict = parse_config(
        {**_data(), "shutoff": {**_data()["shutoff"], "stop_on_talk_message": True}}
    )
    with pytest.raises(TalkMessageStop):
        evaluate(answer(messages=True), strict)


@pytest.mark.parametrize(
    "query",
    [
        {},  # nothing
        {"pages": answer()["pages"]},  # no account part
        {"userinfo": answer()["userinfo"]},  # no shutoff page
        {"userinfo": answer()["userinfo"], "pages": [{"title": PAGE, "ns": 2}]},  # no text
        {"userinfo": answer()["userinfo"], "pages": [{"title": "Other", "revisions": [
            {"slots": {"main": {"content": "run"}}}]}]},  # another page's text
    ],
)
def test_an_answer_that_does_not_settle_it_is_not_a_check(
    config: Config, query: dict[str, Any]
) -> None:
    assert evaluate(query, config) is False


def test_the_shutoff_page_is_found_under_its_normalised_title() -> None:
    query = {"normalized": [{"from": "user:AdvocacyBot/Run", "to": PAGE}],
             "pages": [{"title": "Other"}, {"title": PAGE, "missing": True}]}  # fmt: skip
    assert shutoff_record(query, "user:AdvocacyBot/Run") == {"title": PAGE, "missing": True}
    assert shutoff_record(query, "User:Else") is None


def test_the_params_read_the_account_and_the_page() -> None:
    params = preflight_params(PAGE)
    assert params["titles"] == PAGE and "userinfo" in params["meta"]
    assert "blockinfo" in params["uiprop"] and "content" in params["rvprop"]


def test_a_check_stands_for_a_bounded_number_of_writes_and_seconds() -> None:
    clock = CheckClock()
    assert not clock.fresh(100.0, 10.0, 10)  # no check yet
    clock.record(100.0)
    assert clock.fresh(109.9, 10.0, 10)
    assert not clock.fresh(110.0, 10.0, 10)  # too old
    clock.writes = 9
    assert clock.fresh(101.0, 10.0, 10)
    clock.writes = 10
    assert not clock.fresh(101.0, 10.0, 10)  # ten writes went on it
    clock.forget()
    assert not clock.fresh(101.0, 10.0, 10)
    clock.record(200.0)
    assert clock.writes == 0 and clock.fresh(200.0, 10.0, 1)
    assert not clock.fresh(200.0, 0.0, 10)  # 0 seconds: a check per write


def _data() -> dict[str, Any]:
    return tomllib.loads(DEVWIKI.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("key", "value", "reason"),
    [("check_max_age_seconds", -1.0, "must not be negative"),
     ("check_max_edits", 0, "at least 1")],
)  # fmt: skip
def test_bad_bounds_are_refused(key: str, value: float, reason: str) -> None:
    data = _data()
    data["shutoff"] = {**data["shutoff"], key: value}
    with pytest.raises(ConfigError) as caught:
        parse_config(data, "some/file.toml")
    assert caught.value.key == f"shutoff.{key}" and reason in caught.value.reason


def test_the_bounds_default_to_twenty_edits_and_ten_seconds(config: Config) -> None:
    assert config.shutoff.check_max_edits == 20
    assert config.shutoff.check_max_age_seconds == 10.0
