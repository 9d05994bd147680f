"""The one golden-file convention of the pure tests.

A golden case is a folder entry ``tests/unit/golden/<suite>/<name>.toml`` (the input: page
texts, parameters, settings) beside ``<name>.wiki`` (the expected wikitext) or ``<name>.json``
(expected records). Files whose name starts with ``_`` are shared inputs, not cases. Add a
case by adding its TOML file and running ``ADVOCACY_UPDATE_GOLDEN=1 scripts/test tests/unit``
once; read the new expected file before committing it.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any

GOLDEN_ROOT = Path(__file__).parent / "golden"
UPDATE = os.environ.get("ADVOCACY_UPDATE_GOLDEN") == "1"


def golden_cases(suite: str) -> list[Path]:
    """The input files of one suite's cases, sorted by name."""
    folder = GOLDEN_ROOT / suite
    return sorted(p for p in folder.glob("*.toml") if not p.name.startswith("_"))


def read_case(path: Path) -> dict[str, Any]:
    """A case's TOML input."""
    return tomllib.loads(path.read_text(encoding="utf-8"))


def check_golden(expected: Path, got: str) -> None:
    """Compare ``got`` with the expected file, or (re)write it under ADVOCACY_UPDATE_GOLDEN=1."""
    if UPDATE or not expected.exists():
        if not UPDATE:
            raise AssertionError(
                f"{expected} is missing: run with ADVOCACY_UPDATE_GOLDEN=1 and review it"
            )
        with expected.open("w", encoding="utf-8", newline="") as f:
            f.write(got)
        return
    with expected.open(encoding="utf-8", newline="") as f:  # "\r\n" stays as it is
        want = f.read()
    assert got == want, f"golden mismatch: {expected.name}"


def check_golden_json(expected: Path, got: Any) -> None:
    """``check_golden`` for records: compared as JSON values, written indented."""
    if UPDATE or not expected.exists():
        check_golden(expected, json.dumps(got, indent=1, ensure_ascii=False) + "\n")
        return
    want = json.loads(expected.read_text(encoding="utf-8"))
    assert got == want, f"golden mismatch: {expected.name}"
