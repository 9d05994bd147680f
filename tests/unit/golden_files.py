"""The one golden-file convention of the pure tests.

A golden case is a folder entry ``tests/unit/golden/<suite>/<name>.toml`` (the input: page
texts, parameters, settings) beside ``<name>.wiki`` (the expected wikitext) or ``<name>.json``
(expected records). Files whose name starts with ``_`` are shared inputs, not cases. Add a
case by adding its TOML file and running ``ADVOCACY_UPDATE_GOLDEN=1 scripts/test tests/unit``
once; read the new expected file before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN_ROOT = Path(__file__).parent / "golden"
UPDATE = os.environ.get("ADVOCACY_UPDATE_GOLDEN") == "1"


def golden_cases(suite: str) -> list[Path]:
    """The input files of one suite's cases, sorted by name."""
    folder = GOLDEN_ROOT / suite
    return sorted(p for p in folder.glob("*.toml") if not p.name.startswith("_"))


def check_golden(expected: Path, got: str) -> None:
    """Compare ``got`` with the expected file, or (re)write it under ADVOCACY_UPDATE_GOLDEN=1."""
    if UPDATE or not expected.exists():
        if not UPDATE:
            raise AssertionError(
                f"{expected} is missing: run with ADVOCACY_UPDATE_GOLDEN=1 and review it"
            )
        expected.write_text(got, encoding="utf-8")
        return
    assert got == expected.read_text(encoding="utf-8"), f"golden mismatch: {expected.name}"
