"""Pywikibot's process-wide state, set in one place: its directory, global options, settings.

Pywikibot reads its directory (``PYWIKIBOT_DIR``) and ``user-config.py`` the moment it is first
imported. So it is imported only inside the functions of the wiki layer, never at module level:
a command line's ``-dir:PATH`` is applied first, and importing any ``bots`` module (the command
line, the scheduler, a job) does not load Pywikibot.

Pywikibot's settings are global to the process: every session sets all of those it relies on
(:func:`configure`), so a dry run or a short timeout never leaks into a later run of the same
process (the scheduler, tests).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from bots.config.model import WikiConfig
from bots.wiki.pywikibot_dir import family_problem


class ApiRequest(Protocol):
    """The part of Pywikibot's ``api.Request`` this package uses."""

    max_retries: int

    def submit(self) -> dict[str, Any]: ...


class Site(Protocol):
    """The part of Pywikibot's ``APISite`` the wiki layer's functions use (Pywikibot ships no
    types; a session's ``site`` attribute is the real object)."""

    def simple_request(self, **params: str) -> ApiRequest: ...


@dataclass(frozen=True)
class GlobalOptions:
    """What Pywikibot made of the single-dash global options of one command line."""

    simulate: bool  # -simulate was given
    unknown: tuple[str, ...]  # options Pywikibot does not know either


def apply_global_options(args: Sequence[str]) -> GlobalOptions:
    """Hand Pywikibot's global options (``-dir:``, ``-simulate``, ``-user:`` ...) to it."""
    for arg in args:
        if arg.startswith("-dir:"):
            # Pywikibot reads its directory when it is imported: set it before the import
            os.environ["PYWIKIBOT_DIR"] = arg.split(":", 1)[1]
    import pywikibot
    from pywikibot import config as pwb_config

    pwb_config.simulate = False  # only this command line's -simulate counts
    # handle_args() falls back to sys.argv when given nothing, so only call it with options
    rest = pywikibot.handle_args(list(args)) if args else []
    return GlobalOptions(simulate=bool(pwb_config.simulate), unknown=tuple(rest))


def configure(wiki: WikiConfig, *, simulate: bool) -> None:
    """Set every Pywikibot setting a session relies on, from the wiki's configuration."""
    from pywikibot import config as pwb_config

    pwb_config.simulate = simulate
    pwb_config.put_throttle = wiki.put_throttle
    pwb_config.write_maxlag = wiki.maxlag
    pwb_config.max_retries = wiki.max_retries
    pwb_config.retry_wait = wiki.retry_wait
    pwb_config.retry_max = wiki.retry_max_wait
    pwb_config.solve_captcha = False
    pwb_config.user_agent_format = wiki.user_agent + " {pwb}"
    if "PYWIKIBOT_TEST_TIMEOUT" in os.environ:  # fault tests shorten the socket timeout
        timeout = float(os.environ["PYWIKIBOT_TEST_TIMEOUT"])
        pwb_config.socket_timeout = (timeout, timeout)


@contextmanager
def socket_timeout(connect: float, read: float) -> Iterator[None]:
    """Pywikibot's socket timeout for the requests inside the block (a quick probe)."""
    from pywikibot import config as pwb_config

    previous = pwb_config.socket_timeout
    pwb_config.socket_timeout = (connect, read)
    try:
        yield
    finally:
        pwb_config.socket_timeout = previous


def open_site(wiki: WikiConfig) -> Any:
    """Pywikibot's site object for the configured wiki and account (one per process)."""
    import pywikibot
    from pywikibot.exceptions import SiteDefinitionError

    try:
        return pywikibot.Site(wiki.code, wiki.family, user=wiki.user)
    except SiteDefinitionError as exc:  # a traceback would hide a setup error: exit 2
        raise family_problem(wiki.family, wiki.code, str(exc)) from exc


def page_name(site: Site, title: str) -> tuple[str, int]:
    """The canonical title and namespace number, from the site's cached namespace data."""
    import pywikibot

    page = pywikibot.Page(site, title)
    return str(page.title()), int(page.namespace().id)


def secret_file_settings() -> tuple[Path, str]:
    """Pywikibot's directory and its ``password_file`` setting ("" when none is set)."""
    from pywikibot import config as pwb_config

    return Path(pwb_config.base_dir), str(pwb_config.password_file or "")
