"""Run one command and report its wall time and peak memory (RSS) as one JSON line.

    python -m benchlib.child OUT.json -- COMMAND ARGS...

This wrapper is a fresh process per measured run, so `getrusage(RUSAGE_CHILDREN)` holds the
peak RSS of exactly that command (and its own children), not of earlier runs. The command's
stdout and stderr go to OUT.json's neighbours (`.out`, `.err`).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[0])
    command = argv[2:]
    with open(out.with_suffix(".out"), "wb") as stdout, open(out.with_suffix(".err"), "wb") as err:
        t0 = time.monotonic()
        proc = subprocess.run(command, stdout=stdout, stderr=err, check=False)
        wall = time.monotonic() - t0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    out.write_text(json.dumps({
        "exit": proc.returncode,
        "wall_s": round(wall, 3),
        "rss_mb": round(usage.ru_maxrss / 1024, 1),  # Linux reports KiB
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
    }) + "\n")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
