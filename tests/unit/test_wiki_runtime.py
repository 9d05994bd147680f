"""Pywikibot is loaded by the wiki layer only, and only when a session needs it.

Pywikibot reads ``PYWIKIBOT_DIR`` and ``user-config.py`` when it is first imported, so the
command line must be able to apply ``-dir:PATH`` after importing every ``bots`` module.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

IMPORT_ALL = """
import sys
import bots.operations.cli, bots.operations.scheduler, bots.wiki.connect, bots.wiki.saves
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("pywikibot", "apscheduler"))
print(",".join(loaded))
"""


def test_importing_the_command_line_does_not_load_pywikibot() -> None:
    proc = subprocess.run([sys.executable, "-c", IMPORT_ALL], capture_output=True, text=True,
                          cwd=REPO, timeout=60, check=True)
    assert proc.stdout.strip() == "", proc.stdout
