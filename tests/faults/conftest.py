"""Fixtures of the fault suite; the helpers they use are in tests/faults/helpers.py.

* `fcfg`: the test's config, cases read and pages edited under its own prefix only, and a
  small retry budget (see `helpers.narrowed`).
* `before_edit`: run an action just before the bot submits its n-th edit, or its first edit of
  a page, i.e. between its read of the page and its save (`helpers.EditHook`).
* `blacklist`: add lines to `MediaWiki:Spam-blacklist` / `MediaWiki:Titleblacklist`; the pages
  are restored afterwards.
* `_wiki_restored` (automatic): after every test the wiki is writable, unlagged, its clock
  running, its maximum page size the default, up, and the bot unblocked, whatever the test did
  or where it failed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from bots.config.model import Config
from bots.wiki.session import WikiSession
from tests.faults.helpers import EditHook, narrowed, server_answers, unblock_bot
from tests.support import Devwiki, WikiClient


@pytest.fixture
def fcfg(config: Config, prefix: str) -> Config:
    return narrowed(config, prefix)


@pytest.fixture
def before_edit(monkeypatch: pytest.MonkeyPatch) -> EditHook:
    """Arrange a fault between the bot's read of a page and its save (see EditHook)."""
    import bots.wiki.saves as wiki_save

    hook = EditHook()
    real = wiki_save._submit_edit

    def submit(session: WikiSession, base: Any, *args: Any, **kwargs: Any) -> Any:
        hook.fire(base.title)
        return real(session, base, *args, **kwargs)

    monkeypatch.setattr(wiki_save, "_submit_edit", submit)
    return hook


@pytest.fixture
def blacklist(admin: WikiClient) -> Iterator[Callable[[str, str], None]]:
    """`blacklist("MediaWiki:Spam-blacklist", line)` adds a line; the page is restored after."""
    saved: dict[str, str | None] = {}

    def add(page: str, line: str) -> None:
        if page not in saved:
            saved[page] = admin.page_text(page)
        current = admin.page_text(page) or ""
        admin.edit(page, (current.rstrip("\n") + "\n" + line).lstrip("\n"), "fault test")

    yield add
    for page, text in saved.items():
        with contextlib.suppress(Exception):
            if text is None:
                admin.delete(page, "fault test over")
            else:
                admin.edit(page, text or "#", "fault test over")


@pytest.fixture(autouse=True)
def _wiki_restored(request: pytest.FixtureRequest) -> Iterator[None]:
    """Whatever a fault test did to the wiki itself, the next test starts with it healthy."""
    yield
    if "devwiki" not in request.fixturenames:
        return
    from tests.support import set_clock, set_max_page_size, set_maxlag, set_readonly, start_server

    devwiki: Devwiki = request.getfixturevalue("devwiki")
    set_readonly(devwiki, None)
    set_maxlag(devwiki, None)
    set_clock(devwiki, None)
    set_max_page_size(devwiki, None)
    if not server_answers(devwiki):
        start_server(devwiki)
    if "admin" in request.fixturenames:
        unblock_bot(request.getfixturevalue("admin"))
