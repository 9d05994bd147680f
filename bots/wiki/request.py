"""One API request through Pywikibot, and its failures named for the operator.

Pywikibot's own request class sends it: maxlag, retries with backoff, tokens and ``-simulate``
are Pywikibot's. What this module adds is the reason a request that gave up gave up: the wiki
is read-only (and why), lagged past the retry budget, kept refusing with an API error code, or
did not answer; the account is blocked. Each is a :class:`bots.errors.BotStop`, so a job stops
before its next write instead of failing page by page.
"""

from __future__ import annotations

from typing import Any

from bots.errors import BlockedError, WikiUnavailableError
from bots.wiki.records import block_message
from bots.wiki.retries import RetryCauses
from bots.wiki.runtime import Site


def submit(site: Site, params: dict[str, str], *, retries: int) -> dict[str, Any]:
    """Send one request (``params`` as sent); raise a BotStop for a wiki that cannot serve it.

    ``retries`` is Pywikibot's retry budget, named in the messages."""
    from pywikibot.exceptions import (
        APIError,
        ApiTimeoutError,
        MaxlagTimeoutError,
        ServerError,
    )

    seen = RetryCauses()
    try:
        with seen.watching():
            return site.simple_request(**params).submit()
    except MaxlagTimeoutError as exc:
        raise WikiUnavailableError(f"the wiki stayed lagged past the retry budget: {exc}") from exc
    except (ServerError, ApiTimeoutError, ConnectionError) as exc:
        # Pywikibot retries `readonly` errors too and then reports only "Maximum retries
        # attempted": ask the wiki whether it is read-only, so the operator reads why.
        reason = readonly_reason(site)
        if reason is not None:
            raise WikiUnavailableError(
                f"the wiki is read-only: {reason} (gave up after {retries} retries)"
            ) from exc
        if seen.api_code:
            raise WikiUnavailableError(
                f"the wiki kept refusing the request with {seen.api_code!r} "
                f"(gave up after {retries} retries): {seen.api_info}"
            ) from exc
        cause = f" ({seen.http})" if seen.http else ""
        raise WikiUnavailableError(f"the wiki did not answer{cause}: {exc}") from exc
    except APIError as exc:
        if exc.code == "readonly":
            reason = exc.other.get("readonlyreason") or exc.info
            raise WikiUnavailableError(f"the wiki is read-only: {reason}") from exc
        if exc.code in ("blocked", "autoblocked"):
            raise BlockedError(block_message(exc.other.get("blockinfo"), exc.info)) from exc
        raise
    except Exception as exc:  # requests' own connection errors surface wrapped or raw
        if type(exc).__name__ in ("ConnectionError", "ConnectTimeout", "ReadTimeout"):
            raise WikiUnavailableError(f"the wiki did not answer: {exc}") from exc
        raise


def readonly_reason(site: Site) -> str | None:
    """The wiki's read-only reason, or None when it is writable or cannot be asked.

    One request without retries: it only explains a failure that already happened."""
    try:
        request = site.simple_request(
            action="query", meta="siteinfo", siprop="general", formatversion="2"
        )
        request.max_retries = 0  # Pywikibot's WaitingMixin: give up at the first failure
        general = request.submit().get("query", {}).get("general", {})
    except Exception:
        return None
    if not general.get("readonly"):
        return None
    return str(general.get("readonlyreason") or "no reason given")
