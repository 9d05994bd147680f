"""The pre-write check (shutoff page, account, block, talk message), and how long one stands.

One check is a query for the account (``meta=userinfo`` with its block and talk-message state)
and the shutoff page's text. It stands for the writes that follow while it is younger than
``shutoff.check_max_age_seconds`` and fewer than ``shutoff.check_max_edits`` writes went on it
(:class:`CheckClock`); then the next write makes a new one. Another read may carry the check
(:func:`preflight_params`, evaluated by :func:`evaluate`), so that it costs no request of its
own. :class:`bots.wiki.session.WikiSession` holds the clock and sends the requests.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bots.config.model import Config
from bots.errors import BlockedError, ShutoffError, TalkMessageStop, WrongUserError
from bots.wiki.records import block_message, content_of, shutoff_state


def preflight_params(shutoff_page: str) -> dict[str, str]:
    """The query parameters of one check: the account and the shutoff page's text."""
    return {
        "meta": "userinfo",
        "uiprop": "blockinfo|hasmsg",
        "titles": shutoff_page,
        "prop": "revisions",
        "rvprop": "content",
        "rvslots": "main",
    }


def shutoff_record(query: Mapping[str, Any], shutoff_page: str) -> Mapping[str, Any] | None:
    """The shutoff page's record in a query answer (its title as asked or as normalised)."""
    wanted = {shutoff_page}
    for item in query.get("normalized", []) or []:
        if isinstance(item, Mapping) and item.get("from") in wanted:
            wanted.add(str(item.get("to")))
    for page in query.get("pages", []) or []:
        if isinstance(page, Mapping) and page.get("title") in wanted:
            return page
    return None


def evaluate(query: Mapping[str, Any], config: Config) -> bool:
    """Whether a query answer carrying the check says go on (True).

    Raises :class:`WrongUserError`, :class:`BlockedError`, :class:`ShutoffError` or
    :class:`TalkMessageStop` when it says stop. False when the answer does not settle it: no
    account part, no record of the shutoff page, or a record without its text (a part of a
    response cut short by the API's size limit); the caller must then ask itself (fail closed).
    """
    shutoff = config.shutoff
    user = query.get("userinfo")
    if not isinstance(user, Mapping):
        return False
    if user.get("anon") or user.get("name") != config.wiki.user:
        raise WrongUserError(
            f"refusing to write: the session is {user.get('name')!r}, not {config.wiki.user!r}"
        )
    if "blockid" in user:
        raise BlockedError(block_message(user))
    page = shutoff_record(query, shutoff.page)
    if page is None or not (page.get("missing") or content_of(page) is not None):
        return False
    state = shutoff_state(content_of(page), shutoff.run_value)
    if state is not None:
        raise ShutoffError(f"shutoff page {shutoff.page} says stop ({state})")
    if shutoff.stop_on_talk_message and user.get("messages"):
        raise TalkMessageStop("the bot's talk page has a new message; stopping as configured")
    return True


@dataclass
class CheckClock:
    """The last check that said go on (``time.monotonic()`` when its request was sent) and the
    writes made on it since."""

    checked_at: float | None = None
    writes: int = 0

    def fresh(self, now: float, max_age_seconds: float, max_edits: int) -> bool:
        """Whether the check may stand for one more write."""
        return (self.checked_at is not None and now - self.checked_at < max_age_seconds
                and self.writes < max_edits)  # fmt: skip

    def record(self, sent_at: float) -> None:
        self.checked_at = sent_at
        self.writes = 0

    def forget(self) -> None:
        self.checked_at = None
        self.writes = 0
