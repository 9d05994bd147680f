"""How one run of a job was asked for (``--simulate``, ``--diff``, ``--force``, progress): passed
from the command line or the scheduler to every job.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TextIO


@dataclass(frozen=True)
class RunOptions:
    simulate: bool = False
    diff: bool = False
    force: bool = False
    out: TextIO = field(default=sys.stdout, compare=False)
    progress: bool | None = None  # None: only when stderr is a terminal
    # test hook: stop a digest after this many deliveries, as a crash would
    stop_after: int | None = None
    # watch mode and refresh requests: update only these pages (titles as the wiki spells
    # them); empty: every page of the job
    only_pages: frozenset[str] = frozenset()
    # pages suspended after repeated failures (bots.operations.suspension): never written
    skip_pages: frozenset[str] = frozenset()

    def writes(self, title: str) -> bool:
        """Whether this run may write ``title`` (``only_pages``, ``skip_pages``)."""
        return (not self.only_pages or title in self.only_pages) and title not in self.skip_pages
