"""Run `advocacy-hub` as real processes against the local wiki, with a config of one test's own.

The config is config/devwiki.toml with the case and edit prefixes, the digest pages and the
state folder narrowed to the test, written to a temporary TOML file; the processes get the
wiki's Pywikibot directory through PYWIKIBOT_DIR, as an operator's shell would.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.support import Devwiki

REPO = Path(__file__).resolve().parents[2]
DEVWIKI_TOML = REPO / "config" / "devwiki.toml"


def write_config(
    folder: Path, prefix: str, *, lock_wait: float = 0, max_retries: int = 2,
    max_targets: int | None = None, put_throttle: float | None = None,
) -> Path:
    """A config file for `prefix` (same keys as config/devwiki.toml); returns its path.
    ``put_throttle`` (seconds between edits) makes a run last a known minimum time."""
    text = DEVWIKI_TOML.read_text("utf-8")
    replacements = {
        "edit_prefixes": f'["{prefix}"]',
        "case_prefixes": f'["{prefix}"]',
        "state_dir": f'"{folder / "state"}"',
        "lock_wait_seconds": str(lock_wait),
        "max_retries": str(max_retries),
        "retry_wait": "0.2",
        "retry_max_wait": "1.0",
        "subscriber_page": f'"{prefix}Digest/Subscribers"',
        "archive_prefix": f'"{prefix}Digest/Archive/"',
        "hub_pages": f'["{prefix}Hub"]',
        "unsubscribe_page": f'"{prefix}Digest/Subscribers"',
    }
    if max_targets is not None:
        replacements["max_targets"] = str(max_targets)
    if put_throttle is not None:
        replacements["put_throttle"] = str(put_throttle)
    for key, value in replacements.items():
        text, n = re.subn(rf"(?m)^{key}\s*=.*$", f"{key} = {value}", text)
        assert n == 1, f"config/devwiki.toml has no single {key} line"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "advocacy-hub.toml"
    path.write_text(text, "utf-8")
    return path


def command() -> list[str]:
    """The console script of this virtualenv, else the module (same code either way)."""
    script = Path(sys.executable).parent / "advocacy-hub"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bots.operations.cli"]


def env_for(devwiki: Devwiki, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "PYWIKIBOT_DIR": str(devwiki.pywikibot_dir),
        "PYWIKIBOT_TEST_TIMEOUT": "5",
        "ADVOCACY_DEVWIKI_DIR": str(devwiki.dir),
        "ADVOCACY_DEVWIKI_PORT": str(devwiki.port),
        "PYTHONUNBUFFERED": "1",
    })
    env.update(extra)
    env.pop("ADVOCACY_HUB_CONFIG", None)
    return env


def start(devwiki: Devwiki, config: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*command(), "--config", str(config), *args],
        cwd=REPO,
        env=env_for(devwiki, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_cli(devwiki: Devwiki, config: Path, *args: str, timeout: float = 120,
            **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*command(), "--config", str(config), *args],
        cwd=REPO,
        env=env_for(devwiki, **env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
