"""Shared fixtures: the local development wiki, per-test page prefixes and configs.

The wiki comes up in `pytest_configure`, before any test module is imported, because Pywikibot
reads PYWIKIBOT_DIR (and needs a user-config.py there) at import time.

Environment:
    ADVOCACY_SKIP_WIKI=1       unit tests only: no wiki, tests marked `wiki` are skipped
    ADVOCACY_DEVWIKI_REUSE=1   use a running wiki as it is (no re-seed)
    ADVOCACY_DEVWIKI_DIR/PORT  which wiki (default var/wiki on port 8321)
"""

from __future__ import annotations

import dataclasses
import os
import re
import secrets
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

REPO = Path(__file__).resolve().parent.parent
# `tests.support` must be importable however pytest was started (the repo is not a package).
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.support.devwiki import (  # noqa: E402
    Devwiki,
    DevwikiCommandError,
    bring_up,
    devwiki_status,
)
from tests.support.mwapi import ApiError, WikiClient  # noqa: E402
from tests.support.requestlog import RequestLog  # noqa: E402

if TYPE_CHECKING:
    from bots.config.model import Config

DEVWIKI_CONFIG = REPO / "config" / "devwiki.toml"
WIKI_TEST_DIRS = (REPO / "tests" / "wiki", REPO / "tests" / "faults")
UNIT_TEST_DIR = REPO / "tests" / "unit"
SHUTOFF_PAGE = "User:AdvocacyBot/Run"

_state: dict[str, Any] = {"devwiki": None, "error": None, "skip": None}


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes")


def _only_unit_tests(args: list[str]) -> bool:
    """True when every path on the command line is inside tests/unit (no wiki needed)."""
    paths = [a.split("::", 1)[0] for a in args if a and not a.startswith("-")]
    if not paths:
        return False
    for raw in paths:
        path = Path(raw).resolve()
        if path != UNIT_TEST_DIR and UNIT_TEST_DIR not in path.parents:
            return False
    return True


def _bring_up_wiki() -> Devwiki:
    if _flag("ADVOCACY_DEVWIKI_REUSE"):
        status = devwiki_status()
        if status.get("up"):
            return Devwiki.from_status(status)
    devwiki, _output = bring_up(seed=True)
    return devwiki


def _ensure_bot_may_run(devwiki: Devwiki) -> None:
    """A test that stopped the bot through its shutoff page and failed before restoring it
    would fail every later session; start each session with the page saying `run`."""
    if (WikiClient.anonymous(devwiki).page_text(SHUTOFF_PAGE) or "").strip() != "run":
        WikiClient.login_as(devwiki, "Admin").edit(SHUTOFF_PAGE, "run", "test session start")


def pytest_configure(config: pytest.Config) -> None:
    if config.pluginmanager.hasplugin("rerunfailures"):
        # A rerun hides a race instead of finding it (issue 11.8): the suite runs once.
        raise pytest.UsageError(
            "pytest-rerunfailures is installed: uninstall it (scripts/lib/venv.sh does)"
        )
    if _flag("ADVOCACY_SKIP_WIKI"):
        _state["skip"] = "ADVOCACY_SKIP_WIKI=1"
    elif _only_unit_tests(list(config.args)):
        _state["skip"] = "only unit tests were selected"
    if _state["skip"] is None:
        try:
            devwiki = _bring_up_wiki()
            _ensure_bot_may_run(devwiki)
        except (DevwikiCommandError, ApiError, OSError) as exc:
            # Reported by every test that needs the wiki; unit tests still run.
            _state["error"] = str(exc)
        else:
            _state["devwiki"] = devwiki
            os.environ["PYWIKIBOT_DIR"] = str(devwiki.pywikibot_dir)
            # Subprocesses (the CLI, scripts/devwiki) find the same wiki.
            os.environ["ADVOCACY_DEVWIKI_DIR"] = str(devwiki.dir)
            os.environ["ADVOCACY_DEVWIKI_PORT"] = str(devwiki.port)
            return
    # No wiki: let `import pywikibot` work without a user-config.py (2 = without a warning).
    os.environ.setdefault("PYWIKIBOT_NO_USER_CONFIG", "2")


def pytest_report_header(config: pytest.Config) -> str:
    devwiki: Devwiki | None = _state["devwiki"]
    if devwiki is not None:
        return f"devwiki: {devwiki.base_url} (dir {devwiki.dir})"
    return f"devwiki: not used ({_state['skip'] or 'failed to start'})"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        path = Path(str(item.path)).resolve()
        if any(d == path.parent or d in path.parents for d in WIKI_TEST_DIRS):
            item.add_marker(pytest.mark.wiki)
        if _state["skip"] and item.get_closest_marker("wiki"):
            item.add_marker(pytest.mark.skip(reason=f"no wiki: {_state['skip']}"))


# ---------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="session")
def devwiki() -> Devwiki:
    """The running development wiki: URLs, folder, port, Pywikibot dir, credentials."""
    if _state["error"]:
        pytest.fail(f"the development wiki did not come up:\n{_state['error']}", pytrace=False)
    if _state["devwiki"] is None:
        pytest.skip(f"no wiki: {_state['skip']}")
    return _state["devwiki"]


@pytest.fixture
def prefix(request: pytest.FixtureRequest) -> str:
    """A page prefix of this test alone, e.g. `Advocacy/T-index-rebuild-3f9a1c/`."""
    name = re.sub(r"^test_?", "", getattr(request.node, "originalname", "") or request.node.name)
    short = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")[:28].strip("-") or "test"
    return f"Advocacy/T-{short}-{secrets.token_hex(3)}/"


@pytest.fixture
def config(prefix: str, tmp_path: Path) -> Config:
    """config/devwiki.toml with cases read only under this test's prefix and state in tmp."""
    from bots.config.load import load_config

    cfg = load_config(DEVWIKI_CONFIG)
    return dataclasses.replace(
        cfg,
        permissions=dataclasses.replace(cfg.permissions, case_prefixes=(prefix,)),
        runtime=dataclasses.replace(cfg.runtime, state_dir=str(tmp_path / "state")),
    )


@pytest.fixture
def request_log(devwiki: Devwiki) -> RequestLog:
    return RequestLog(devwiki)


@pytest.fixture(scope="session")
def admin(devwiki: Devwiki) -> WikiClient:
    """An API session logged in as Admin (sysop, bureaucrat)."""
    return WikiClient.login_as(devwiki, "Admin")


@pytest.fixture(scope="session")
def tester1(devwiki: Devwiki) -> WikiClient:
    """An API session logged in as the ordinary user Tester1."""
    return WikiClient.login_as(devwiki, "Tester1")


@pytest.fixture(scope="session")
def tester2(devwiki: Devwiki) -> WikiClient:
    """An API session logged in as the ordinary user Tester2."""
    return WikiClient.login_as(devwiki, "Tester2")
