"""A genuine crash of `advocacy-hub` (issue 15): recorded in the run log, exit 1, one line on
stderr saying so. Real processes against the local wiki, with an operator's real mistakes in
the Pywikibot directory (nothing patched): a typo in `user-config.py`, which Pywikibot runs
when it is imported, and a family file that does not compile, which it loads at login."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bots.errors import EXIT_JOB_FAILED
from tests.faults.cli_runs import run_cli, write_config
from tests.support import Devwiki


def pywikibot_copy(devwiki: Devwiki, folder: Path) -> Path:
    copy = folder / "pwb"
    shutil.copytree(devwiki.pywikibot_dir, copy, ignore=shutil.ignore_patterns(
        "*.lwp", "logs", "apicache*", "throttle.ctrl"))  # fmt: skip
    return copy


def run_log(folder: Path) -> list[dict[str, object]]:
    path = folder / "state" / "runs.jsonl"
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


@pytest.mark.parametrize(("command", "jobs", "simulate"), [
    (("run", "index", "translations", "--simulate"), ["index", "translations"], True),
    (("check",), ["check"], False),
])  # fmt: skip
def test_a_typo_in_user_config_is_a_crash_in_the_run_log(
    devwiki: Devwiki, tmp_path: Path, prefix: str, command: tuple[str, ...], jobs: list[str],
    simulate: bool,
) -> None:
    cfg = write_config(tmp_path, prefix)
    copy = pywikibot_copy(devwiki, tmp_path)
    with (copy / "user-config.py").open("a", encoding="utf-8") as fh:
        fh.write("put_throttle = O  # the letter, not zero\n")
    proc = run_cli(devwiki, cfg, *command, PYWIKIBOT_DIR=str(copy))
    assert proc.returncode == EXIT_JOB_FAILED, proc.stderr
    assert ("advocacy-hub: crashed: NameError: name 'O' is not defined (recorded in the run "
            "log; the traceback is in the log above)") in proc.stderr  # fmt: skip
    assert "user-config.py" in proc.stderr  # the traceback says where
    logged = run_log(tmp_path)
    assert [(r["job"], r["outcome"], r["exit_code"], r["simulate"]) for r in logged] == [
        (job, "failed", 1, simulate) for job in jobs]
    assert logged[0]["errors"] == ["crashed: NameError: name 'O' is not defined"]


def test_a_family_file_that_does_not_compile_crashes_check_and_is_logged(
    devwiki: Devwiki, tmp_path: Path, prefix: str
) -> None:
    cfg = write_config(tmp_path, prefix)
    copy = pywikibot_copy(devwiki, tmp_path)
    family = copy / "families" / "advocacydev_family.py"
    family.write_text(family.read_text("utf-8") + "\ndef broken(:\n", "utf-8")
    proc = run_cli(devwiki, cfg, "check", PYWIKIBOT_DIR=str(copy))
    assert proc.returncode == EXIT_JOB_FAILED, proc.stderr
    assert "advocacy-hub: crashed: SyntaxError" in proc.stderr
    (record,) = run_log(tmp_path)
    assert (record["job"], record["outcome"], record["exit_code"]) == ("check", "failed", 1)
    assert str(record["errors"]).startswith("['crashed: SyntaxError: ")
    assert "advocacydev_family.py" in str(record["errors"])
