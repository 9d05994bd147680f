"""Exceptions that end a run, each mapped to the exit code operators see.

0 success, 1 a job failed, 2 usage or config error, 3 refused by the shutoff page.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_JOB_FAILED = 1
EXIT_USAGE = 2
EXIT_SHUTOFF = 3


class BotStop(Exception):
    """Base class: a condition that stops the current job before its next write."""

    exit_code = EXIT_JOB_FAILED


class ShutoffError(BotStop):
    """The on-wiki shutoff page no longer says the configured run value."""

    exit_code = EXIT_SHUTOFF


class BlockedError(BotStop):
    """The bot account is blocked: stop at once, never retry in a loop."""


class WrongUserError(BotStop):
    """Logged out, or logged in as another account than the configured one."""


class TalkMessageStop(BotStop):
    """The bot's talk page has a new message and the config asks to stop on it."""

    exit_code = EXIT_SHUTOFF


class WikiUnavailableError(BotStop):
    """The wiki is read-only, lagged past the retry budget, or unreachable."""


class LockBusyError(BotStop):
    """Another run of the same job holds the lock."""

