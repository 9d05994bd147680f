"""Opening a session: for a run, for one firing of the scheduler, for a quick status probe.

Every session starts the same way: the credential files are checked (a readable or symlinked
password file is refused before Pywikibot reads it), then the account logs in and must be the
configured one. A long-lived process (the scheduler) opens a new session for every firing, and
the login asks the server again instead of trusting Pywikibot's cached login state.
"""

from __future__ import annotations

from dataclasses import replace

from bots.config.model import Config
from bots.wiki import runtime
from bots.wiki.credentials import check_pywikibot_credentials
from bots.wiki.records import ShutoffReading
from bots.wiki.session import WikiSession

# `status` must answer at once even when the wiki is down: one retry, short waits and timeouts.
PROBE_RETRIES = 1
PROBE_RETRY_WAIT = 1.0
PROBE_RETRY_MAX_WAIT = 2.0
PROBE_SOCKET_TIMEOUT = (5.0, 15.0)  # connect, read (seconds)


def open_session(config: Config, simulate: bool = False) -> WikiSession:
    """A new session, logged in as the configured account (see :meth:`WikiSession.login`)."""
    check_pywikibot_credentials()  # before Pywikibot opens the site and its cookie files
    session = WikiSession(config, simulate=simulate)
    session.login()
    return session


def probe_shutoff(config: Config) -> ShutoffReading:
    """What the shutoff page says, read quickly and without logging in (for `status`)."""
    quick = replace(config, wiki=replace(config.wiki, max_retries=PROBE_RETRIES,
                                         retry_wait=PROBE_RETRY_WAIT,
                                         retry_max_wait=PROBE_RETRY_MAX_WAIT))
    with runtime.socket_timeout(*PROBE_SOCKET_TIMEOUT):
        return WikiSession(quick).shutoff_status()


def wiki_description(session: WikiSession) -> str:
    """``family:code URL (MediaWiki version)``: which wiki the session talks to (for `check`)."""
    site = session.site
    return f"{site.family.name}:{site.code} {site.base_url('')} (MediaWiki {site.mw_version})"
