"""Operator fixes (issue 15), tried as a new operator would: the command line as a real process
against the local wiki, with a config of the test's own (tests/faults/cli_runs.py).

* a missing Pywikibot folder, `user-config.py` or family: a clear message, exit 2, no traceback;
* a run that cannot start or that crashes is in the run log;
* `status` counts simulated edits apart from saved ones;
* `check` says where the state folder resolves (and refuses one it cannot write);
* `--simulate` prints the edit summary of each edit it would make: the one the real run saves.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
from pathlib import Path

import pytest

from bots.errors import EXIT_JOB_FAILED, EXIT_OK, EXIT_USAGE
from tests.faults.cli_runs import run_cli, write_config
from tests.support import Devwiki, WikiClient

CASE = ("{{Advocacy case\n|title = Library opening hours\n|region = europe\n"
        "|status = active\n|topic = access-to-knowledge\n}}")
INDEX = "Intro.\n{{Advocacy case index}}\nThe bot will fill this in.\n{{Advocacy case index end}}\n"


def runs(folder: Path) -> list[dict[str, object]]:
    path = folder / "state" / "runs.jsonl"
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


@pytest.fixture
def cfg(tmp_path: Path, prefix: str) -> Path:
    return write_config(tmp_path, prefix)


def pywikibot_copy(devwiki: Devwiki, folder: Path) -> Path:
    copy = folder / "pwb"
    shutil.copytree(devwiki.pywikibot_dir, copy, ignore=shutil.ignore_patterns(
        "*.lwp", "logs", "apicache*", "throttle.ctrl"))
    return copy


@pytest.mark.parametrize("command", [("check",), ("run", "index"), ("schedule", "--once")])
def test_a_missing_pywikibot_folder_is_a_setup_error(
    devwiki: Devwiki, cfg: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    missing = tmp_path / "no-such-folder"
    proc = run_cli(devwiki, cfg, *command, PYWIKIBOT_DIR=str(missing))
    assert proc.returncode == EXIT_USAGE, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"the Pywikibot directory {missing} (from PYWIKIBOT_DIR) does not exist" in proc.stderr
    assert "user-config.py.sample" in proc.stderr


def test_a_folder_without_user_config_and_the_dir_option(
    devwiki: Devwiki, cfg: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = run_cli(devwiki, cfg, "check", PYWIKIBOT_DIR=str(empty))
    assert proc.returncode == EXIT_USAGE and "Traceback" not in proc.stderr
    assert f"no user-config.py in the Pywikibot directory {empty} (from PYWIKIBOT_DIR)" in (
        proc.stderr)
    # -dir: is Pywikibot's own option and wins over the environment, as in Pywikibot
    proc = run_cli(devwiki, cfg, "check", f"-dir:{tmp_path / 'gone'}")
    assert proc.returncode == EXIT_USAGE and "Traceback" not in proc.stderr
    assert f"{tmp_path / 'gone'} (from -dir:) does not exist" in proc.stderr


def test_a_user_config_without_the_wikis_family(
    devwiki: Devwiki, cfg: Path, tmp_path: Path
) -> None:
    copy = pywikibot_copy(devwiki, tmp_path)
    shutil.rmtree(copy / "families")
    proc = run_cli(devwiki, cfg, "run", "index", PYWIKIBOT_DIR=str(copy))
    assert proc.returncode == EXIT_USAGE, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "Pywikibot does not know the wiki advocacydev:en" in proc.stderr


def test_runs_that_cannot_start_are_in_the_run_log(
    devwiki: Devwiki, cfg: Path, tmp_path: Path
) -> None:
    # an account the wiki does not know
    text = cfg.read_text("utf-8")
    cfg.write_text(re.sub(r'(?m)^user = .*$', 'user = "NoSuchBotAccount"', text), "utf-8")
    proc = run_cli(devwiki, cfg, "run", "index", "translations", "--simulate")
    assert proc.returncode == EXIT_JOB_FAILED and "Traceback" not in proc.stderr
    logged = runs(tmp_path)
    assert [(r["job"], r["outcome"], r["simulate"]) for r in logged] == [
        ("index", "failed", True), ("translations", "failed", True)]
    assert "NoSuchBotAccount" in str(logged[0]["errors"])
    # the wiki unreachable: the web server's port answers nothing
    cfg.write_text(text, "utf-8")
    copy = pywikibot_copy(devwiki, tmp_path)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    for family in (copy / "families").glob("*.py"):
        family.write_text(re.sub(r"127\.0\.0\.1:\d+", f"127.0.0.1:{port}",
                                 family.read_text("utf-8")), "utf-8")
    proc = run_cli(devwiki, cfg, "run", "digest", PYWIKIBOT_DIR=str(copy))
    assert proc.returncode == EXIT_JOB_FAILED
    last = runs(tmp_path)[-1]
    assert (last["job"], last["outcome"], last["exit_code"]) == ("digest", "failed", 1)
    assert "could not open a session" in str(last["errors"])


def test_simulate_shows_each_summary_and_status_counts_it_apart(
    devwiki: Devwiki, cfg: Path, tmp_path: Path, prefix: str, admin: WikiClient
) -> None:
    admin.edit(f"{prefix}Library", CASE, "case")
    admin.edit(f"{prefix}Index", INDEX, "index page")
    dry = run_cli(devwiki, cfg, "run", "index", "--simulate")
    assert dry.returncode == EXIT_OK, dry.stdout + dry.stderr
    [line] = [x for x in dry.stdout.splitlines() if x.startswith("  would edit ")]
    title, summary = line.removeprefix("  would edit ").split(": ", 1)
    assert title == f"{prefix}Index" and summary
    assert admin.revisions(f"{prefix}Index")[0]["user"] == "Admin"  # nothing written

    real = run_cli(devwiki, cfg, "run", "index")
    assert real.returncode == EXIT_OK, real.stdout + real.stderr
    assert "would edit" not in real.stdout
    saved = admin.revisions(f"{prefix}Index")[0]
    assert (saved["user"], saved["comment"]) == ("AdvocacyBot", summary)

    status = run_cli(devwiki, cfg, "status", "--offline")
    assert status.returncode == EXIT_OK
    assert "edits in these runs: 1 saved, 1 simulated (dry runs, never saved)" in status.stdout
    rows = [x.split() for x in status.stdout.splitlines() if re.match(r"  \d{4}-", x)]
    # newest first: the real run (1 saved, 0 simulated), then the dry run (0 saved, 1 simulated)
    pairs = [(r[3], r[4]) if r[2] == "(sim)" else (r[2], r[3]) for r in rows]
    assert pairs == [("1", "0"), ("0", "1")]
    data = json.loads(run_cli(devwiki, cfg, "status", "--offline", "--json").stdout)
    index = next(e for e in data["jobs"] if e["job"] == "index")
    assert (index["edits_saved"], index["edits_simulated"]) == (1, 1)


def test_check_says_where_the_state_folder_resolves(
    devwiki: Devwiki, tmp_path: Path, prefix: str
) -> None:
    # a relative state folder: taken from the config folder's parent, and said so
    folder = tmp_path / "tool" / "config"
    cfg = write_config(folder, prefix)
    text = cfg.read_text("utf-8")
    cfg.write_text(re.sub(r'(?m)^state_dir = .*$', 'state_dir = "var/state"', text), "utf-8")
    proc = run_cli(devwiki, cfg, "check")
    assert proc.returncode == EXIT_OK, proc.stdout + proc.stderr
    expected = tmp_path / "tool" / "var" / "state"
    assert (f"state dir:  {expected} (runtime.state_dir = 'var/state', relative to "
            f"{tmp_path / 'tool'}, the config folder's parent); created at the first run in "
            f"{tmp_path / 'tool'}") in proc.stdout
    assert f"pywikibot:  {devwiki.pywikibot_dir} (from PYWIKIBOT_DIR)" in proc.stdout
    # a state folder that cannot be made: exit 2 with the reason
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", "utf-8")
    cfg.write_text(re.sub(r'(?m)^state_dir = .*$', f'state_dir = "{blocker}/state"', text),
                   "utf-8")
    proc = run_cli(devwiki, cfg, "check")
    assert proc.returncode == EXIT_USAGE
    assert f"state dir:  {blocker}/state (runtime.state_dir = '{blocker}/state'); NOT USABLE" in (
        proc.stdout)
