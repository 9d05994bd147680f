"""Per-job locks, so two runs of one job never work at once on one account.

MediaWiki does not report edit conflicts between edits of the same account, so two concurrent
runs could silently overwrite each other; an exclusive `flock` on `<state_dir>/locks/<job>.lock`
makes the second run wait (up to `runtime.lock_wait_seconds`) or stop with a clear message.
The kernel releases the lock when a process dies, so a crash never leaves a stale lock.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from bots.config import Config
from bots.errors import LockBusyError


@contextmanager
def job_lock(config: Config, job: str, *, wait_seconds: float = 0.0) -> Iterator[None]:
    folder = config.state_path / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{config.wiki.family}-{config.wiki.code}-{job}.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
                    raise LockBusyError(
                        f"another run of job {job!r} holds {path} ({holder or 'unknown holder'})"
                    ) from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        os.pwrite(fd, f"pid {os.getpid()} since {since}".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
