"""Connections to several wikis in one run: the central wiki and each source wiki (issue 16).

A source wiki is named in the configuration by a Pywikibot family and code, or by its API URL
(``bots.config.sources``). Its session is an ordinary :class:`WikiSession` whose ``[wiki]`` is
the source's: same account, same retry budget, same request counting. Only reads are made
through it (the bot writes nowhere but on the central wiki).

A wiki that cannot be reached while logging in is a :class:`WikiUnavailableError`, as any
request to it later in the run, so the caller can mark that one wiki as not refreshed and go on.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from bots.config.model import Config
from bots.config.source_model import SourceWiki
from bots.errors import WikiUnavailableError
from bots.wiki.connect import open_session
from bots.wiki.session import WikiSession

log = logging.getLogger(__name__)

# Pywikibot's exceptions (and requests') of a wiki that does not answer, by class name: they
# come from several modules and are matched like bots.wiki.request matches them.
UNREACHABLE = frozenset({
    "ServerError", "ApiTimeoutError", "MaxlagTimeoutError", "ConnectionError",
    "ConnectTimeout", "ReadTimeout", "TimeoutError", "ConnectionRefusedError",
})  # fmt: skip


def source_family(source: SourceWiki) -> tuple[str, str]:
    """The Pywikibot family and code of a source (a wiki given by URL: its id for both, as
    Pywikibot's ``AutoFamily`` names such a wiki)."""
    if source.api_url:
        return source.id, source.id
    return source.family, source.code


def source_config(config: Config, source: SourceWiki) -> Config:
    """The configuration with ``[wiki]`` pointing at the source wiki (same account)."""
    family, code = source_family(source)
    return replace(config, wiki=replace(config.wiki, family=family, code=code))


def make_known(source: SourceWiki) -> None:
    """Let Pywikibot find the source's family: an API URL becomes an ``AutoFamily``; family
    files added to ``PYWIKIBOT_DIR/families`` after Pywikibot was imported are registered."""
    from pywikibot import config as pwb_config

    if source.api_url:
        pwb_config.family_files.setdefault(source.id, source.api_url)
        return
    if source.family not in pwb_config.family_files:
        folder = Path(pwb_config.base_dir) / "families"
        pwb_config.register_families_folder(folder, not_exists_ok=True)


def open_source_session(central: WikiSession, source: SourceWiki) -> WikiSession:
    """A logged-in session on the source wiki, for the run of ``central`` (the central wiki's
    session); :class:`WikiUnavailableError` when the wiki does not answer (or Pywikibot knows
    no such wiki).

    Pywikibot's settings are process-wide and a session sets them when it opens: the source
    session gets the central session's configuration and its ``simulate`` flag, so opening
    it can never turn a dry run into a real one. Responses are counted through one
    process-wide hook, which a new session takes over: it goes back to the central session,
    so the run's request count covers every wiki it read."""
    from pywikibot.exceptions import UnknownFamilyError, UnknownSiteError

    make_known(source)
    try:
        session = open_session(source_config(central.config, source), simulate=central.simulate)
    except (UnknownFamilyError, UnknownSiteError) as exc:
        known = source_family(source)
        raise WikiUnavailableError(f"Pywikibot knows no wiki {known}: {exc}") from exc
    except Exception as exc:
        if type(exc).__name__ in UNREACHABLE or isinstance(exc, OSError):
            raise WikiUnavailableError(f"the wiki did not answer the login: {exc}") from exc
        raise
    finally:
        central._install_counter()  # the hook back to the run's central session
    # the login's requests went to the new session's counter: the run counts them too
    central.counter.requests += session.counter.requests
    central.counter.bytes += session.counter.bytes
    return session
