"""Stopping on request: SIGTERM and Ctrl-C let the running edit finish, then stop cleanly.

The first SIGTERM or SIGINT only sets a process-wide flag. Code that is about to write calls
`raise_if_stop_requested()` (the save gate does it before every edit, the scheduler before every
job), so an edit already sent to the wiki completes and the next one never starts. A second
signal means "now": the process exits at once with 128 + the signal number. Cutting an edit off
then is safe for the wiki, which saves an edit completely or not at all.

This is the operator's stop. The community's stop is the on-wiki shutoff page (`bots.wiki.session`).
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from bots.errors import EXIT_JOB_FAILED, BotStop

log = logging.getLogger(__name__)

# A signal handler as `signal.signal` returns it: a function, SIG_DFL/SIG_IGN, or None.
_Handler = Callable[[int, FrameType | None], Any] | int | None

_stop = threading.Event()
_reason = ""


class StopRequested(BotStop):
    """The operator asked the process to stop (SIGTERM, Ctrl-C): no further edit is made."""

    exit_code = EXIT_JOB_FAILED


def request_stop(reason: str = "stop requested") -> None:
    """Ask every job in this process to stop before its next edit."""
    global _reason
    if not _stop.is_set():
        _reason = reason
    _stop.set()


def stop_requested() -> bool:
    return _stop.is_set()


def stop_reason() -> str:
    return _reason if _stop.is_set() else ""


def raise_if_stop_requested() -> None:
    """Raise :class:`StopRequested` when a stop was asked for; call it before each write."""
    if _stop.is_set():
        raise StopRequested(f"{_reason}; stopped before the next edit")


def wait_for_stop(timeout: float | None = None) -> bool:
    """Block until a stop is requested (True) or the timeout passes (False)."""
    return _stop.wait(timeout)


def reset() -> None:
    """Forget an earlier stop request (a new run in the same process, and tests)."""
    global _reason
    _stop.clear()
    _reason = ""


def _on_signal(signum: int, frame: FrameType | None) -> None:
    name = signal.Signals(signum).name
    if _stop.is_set():
        # os._exit skips cleanup on purpose: the operator insisted, and waiting is what they
        # asked not to do. Locks are released by the kernel when the process ends.
        log.warning("%s received again: stopping now", name)
        os._exit(128 + signum)
    log.warning(
        "%s received: finishing the running edit, then stopping (send it again to stop now)",
        name,
    )
    request_stop(f"{name} received")


@contextmanager
def graceful_stop(*, handle_signals: bool = True) -> Iterator[None]:
    """Within the block, SIGTERM and SIGINT request a stop instead of killing the process.

    Entering the block clears an earlier request. Signal handlers can only be installed from
    the main thread; elsewhere (tests driving a scheduler in a thread) only the flag is used.
    """
    reset()
    install = handle_signals and threading.current_thread() is threading.main_thread()
    previous: dict[signal.Signals, _Handler] = {}
    if install:
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, _on_signal)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
