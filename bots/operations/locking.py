"""Per-job locks, so two runs of one job never work at once on one account.

MediaWiki does not report edit conflicts between edits of the same account, so two concurrent
runs could silently overwrite each other; an exclusive `flock` on
`<state_dir>/locks/<family>-<code>-<job>.lock` makes the second run wait (up to
`runtime.lock_wait_seconds`) or stop with a clear message. The kernel releases the lock when a
process dies, so a crash never leaves a stale lock. On NFS (Toolforge) Linux maps `flock` to
NFS byte-range locks, so runs in different containers exclude each other too, as long as the
state folder is on the shared file system.

A scheduler also holds `<family>-<code>-scheduler.lock` for its whole life: a second scheduler
for the same wiki and state folder is refused at start instead of firing every job twice.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bots.config.model import Config
from bots.errors import LockBusyError

# A lock held for less than this is not "busy": it covers a `status` probe or the moment
# another run needs to release it, so that `lock_wait_seconds = 0` never fails by bad timing.
MIN_WAIT_SECONDS = 0.5


def lock_path(config: Config, name: str) -> Path:
    return config.state_path / "locks" / f"{config.wiki.family}-{config.wiki.code}-{name}.lock"


def _open(path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)


def _holder(fd: int) -> str:
    return os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "unknown holder"


@contextmanager
def _exclusive(
    path: Path, what: str, wait_seconds: float, outcome: str = "this run stops without editing"
) -> Iterator[None]:
    fd = _open(path)
    try:
        deadline = time.monotonic() + max(wait_seconds, MIN_WAIT_SECONDS)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    waited = f" after waiting {wait_seconds:g} s" if wait_seconds else ""
                    raise LockBusyError(
                        f"{what} is already running ({_holder(fd)}; lock {path}){waited}; "
                        f"{outcome}"
                    ) from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        os.pwrite(fd, f"pid {os.getpid()} on {os.uname().nodename} since {since}".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


@contextmanager
def job_lock(config: Config, job: str, *, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold the job's lock; raise LockBusyError when another run keeps it past the wait."""
    with _exclusive(lock_path(config, job), f"another run of job {job!r}", wait_seconds):
        yield


@contextmanager
def scheduler_lock(config: Config) -> Iterator[None]:
    """Hold the scheduler's lock for this wiki; a second scheduler is refused at once."""
    with _exclusive(
        lock_path(config, "scheduler"), "a scheduler for this wiki", 0.0,
        "this one exits; stop the other first (SIGTERM) or use it",
    ):
        yield


def lock_holder(config: Config, name: str) -> str | None:
    """Who holds a lock right now ("pid 12 on host since ..."), or None when it is free."""
    path = lock_path(config, name)
    if not path.exists():
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        try:
            # a shared lock conflicts with a holder's exclusive one and is released at once
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _holder(fd)
        return None
    finally:
        os.close(fd)
