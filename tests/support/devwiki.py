"""The local development wiki as tests see it, and the switches fault tests flip.

Everything here drives `scripts/devwiki` or the files in its wiki folder; nothing imports
Pywikibot, so tests can act on the wiki independently of the bot.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DEVWIKI_SCRIPT = REPO / "scripts" / "devwiki"
MEDIAWIKI = Path("/usr/share/mediawiki")


class DevwikiCommandError(RuntimeError):
    """`scripts/devwiki` failed; the message carries its output."""


@dataclass(frozen=True)
class Credentials:
    """Passwords from the wiki folder's credentials.json (generated once per wiki)."""

    users: Mapping[str, str]  # user name -> main-account password
    bot_user: str
    bot_app: str
    bot_password: str  # the BotPassword secret (log in as f"{bot_user}@{bot_app}")

    def password(self, user: str) -> str:
        try:
            return self.users[user]
        except KeyError:
            raise KeyError(f"no password for {user!r}; known: {sorted(self.users)}") from None

    @property
    def bot_login_name(self) -> str:
        return f"{self.bot_user}@{self.bot_app}"

    @classmethod
    def load(cls, path: Path) -> Credentials:
        data = json.loads(path.read_text("utf-8"))
        bot = data["bot_password"]
        return cls(
            users=dict(data["users"]),
            bot_user=bot["user"],
            bot_app=bot["app"],
            bot_password=bot["password"],
        )


@dataclass(frozen=True)
class Devwiki:
    """Where the running development wiki is and how to reach it."""

    base_url: str
    api_url: str
    index_url: str
    dir: Path
    port: int
    pywikibot_dir: Path
    config_path: Path
    request_log: Path
    credentials_path: Path

    @property
    def credentials(self) -> Credentials:
        # Read fresh each time: imports may add accounts for new revision authors.
        return Credentials.load(self.credentials_path)

    def page_url(self, title: str) -> str:
        from urllib.parse import quote

        return f"{self.index_url}?title={quote(title.replace(' ', '_'), safe='/:')}"

    @classmethod
    def from_status(cls, status: Mapping[str, Any]) -> Devwiki:
        """Build from the JSON of `scripts/devwiki status --json`."""
        return cls(
            base_url=status["base_url"],
            api_url=status["api_url"],
            index_url=status["index_url"],
            dir=Path(status["dir"]),
            port=int(status["port"]),
            pywikibot_dir=Path(status["pywikibot_dir"]),
            config_path=Path(status["config"]),
            request_log=Path(status["request_log"]),
            credentials_path=Path(status["credentials"]),
        )


def run_devwiki(*args: str, wiki_dir: Path | None = None, port: int | None = None) -> str:
    """Run `scripts/devwiki ARGS` (with --dir/--port when given); return stdout or raise."""
    cmd = [sys.executable, str(DEVWIKI_SCRIPT), *args]
    if wiki_dir is not None:
        cmd += ["--dir", str(wiki_dir)]
    if port is not None:
        cmd += ["--port", str(port)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=REPO)
    if proc.returncode != 0 and not (args and args[0] == "status"):
        raise DevwikiCommandError(
            f"{' '.join(cmd)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        )
    return proc.stdout


def devwiki_status(wiki_dir: Path | None = None, port: int | None = None) -> dict[str, Any]:
    """`scripts/devwiki status --json` as a dict (its `up` says whether the server answers)."""
    return json.loads(run_devwiki("status", "--json", wiki_dir=wiki_dir, port=port))


def bring_up(
    *, seed: bool = True, wiki_dir: Path | None = None, port: int | None = None
) -> tuple[Devwiki, str]:
    """`scripts/devwiki up [--seed]`, then its status. Returns the wiki and up's output."""
    out = run_devwiki("up", *(["--seed"] if seed else []), wiki_dir=wiki_dir, port=port)
    return Devwiki.from_status(devwiki_status(wiki_dir=wiki_dir, port=port)), out


def import_pages(devwiki: Devwiki, pages: Sequence[Mapping[str, Any]]) -> None:
    """Import pages with real authors and past timestamps through importDump.php.

    Same shape as config/seed/seed.toml: each page has `title` and `revisions` (oldest first),
    each revision `text` and optional `user` (default Admin; unknown users are created),
    `age_days` (float, days before now) and `comment`. A page may instead give `text`, `user`,
    `age_days`, `comment` directly for a single revision. Links tables, categories and recent
    changes are current when this returns.
    """
    cmd = [
        sys.executable,
        str(DEVWIKI_SCRIPT),
        "import",
        "-",
        "--dir",
        str(devwiki.dir),
        "--port",
        str(devwiki.port),
    ]
    proc = subprocess.run(
        cmd,
        input=json.dumps({"page": list(pages)}),
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    if proc.returncode != 0:
        raise DevwikiCommandError(f"import failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}")


def _toggle(path: Path, content: str | None) -> None:
    if content is None:
        path.unlink(missing_ok=True)
    else:
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(content, "utf-8")
        os.replace(tmp, path)  # the server never sees a half-written toggle


def set_readonly(devwiki: Devwiki, reason: str | None) -> None:
    """Make the wiki read-only with `reason` (from the next request on), or writable with None.

    Note: MediaWiki refuses logins while read-only, so log clients in before switching.
    """
    if reason is not None and len(reason.strip()) < 2:
        # MediaWiki ignores a read-only file of one byte or less.
        reason = "Read-only for a fault test"
    _toggle(devwiki.dir / "readonly.txt", reason)


def set_maxlag(devwiki: Devwiki, seconds: float | None) -> None:
    """Fake a replication lag of `seconds` (requests with a lower maxlag get `maxlag` errors),
    or remove it with None."""
    _toggle(devwiki.dir / "maxlag.txt", None if seconds is None else f"{seconds}\n")


def set_clock(devwiki: Devwiki, unix_time: int | None) -> None:
    """Stop the wiki's clock at `unix_time` (every edit and log entry gets that second, as
    edits made within one second do), or let it run again with None."""
    _toggle(devwiki.dir / "clock.txt", None if unix_time is None else f"{unix_time}\n")


def set_max_page_size(devwiki: Devwiki, kib: int | None) -> None:
    """Lower the wiki's maximum page size to `kib` KiB (from the next request on), or restore
    the default with None."""
    _toggle(devwiki.dir / "maxarticlesize.txt", None if kib is None else f"{kib}\n")


@contextlib.contextmanager
def frozen_clock(devwiki: Devwiki) -> Iterator[int]:
    """`with frozen_clock(devwiki) as second: ...` - every edit inside the block is made in
    the same second (the current one), as on a busy wiki."""
    second = int(time.time())
    set_clock(devwiki, second)
    try:
        yield second
    finally:
        set_clock(devwiki, None)


@contextlib.contextmanager
def readonly(devwiki: Devwiki, reason: str = "Read-only for a fault test") -> Iterator[None]:
    """`with readonly(devwiki): ...` - read-only inside the block, writable again after it."""
    set_readonly(devwiki, reason)
    try:
        yield
    finally:
        set_readonly(devwiki, None)


@contextlib.contextmanager
def maxlag(devwiki: Devwiki, seconds: float) -> Iterator[None]:
    """`with maxlag(devwiki, 30): ...` - fake lag inside the block."""
    set_maxlag(devwiki, seconds)
    try:
        yield
    finally:
        set_maxlag(devwiki, None)


def stop_server(devwiki: Devwiki) -> None:
    """Stop the web server (the wiki's files stay); requests then fail to connect."""
    run_devwiki("down", wiki_dir=devwiki.dir, port=devwiki.port)


def start_server(devwiki: Devwiki) -> None:
    """Start the web server again on the same port; sessions survive (they live in SQLite)."""
    run_devwiki("up", wiki_dir=devwiki.dir, port=devwiki.port)


@contextlib.contextmanager
def server_stopped(devwiki: Devwiki) -> Iterator[None]:
    """`with server_stopped(devwiki): ...` - the server is down inside the block."""
    stop_server(devwiki)
    try:
        yield
    finally:
        start_server(devwiki)


def run_jobs(devwiki: Devwiki) -> None:
    """Run the job queue now (API writes already do this; imports do too)."""
    env = dict(os.environ, MW_CONFIG_FILE=str(devwiki.dir / "LocalSettings.php"))
    proc = subprocess.run(
        ["php", str(MEDIAWIKI / "maintenance" / "runJobs.php"), "--quiet"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise DevwikiCommandError(f"runJobs.php failed:\n{proc.stdout}{proc.stderr}")


SECOND_LANG = "fr"


def second_wiki_location(central: Devwiki) -> tuple[Path, int]:
    """Folder and port of the second (French) wiki beside ``central``: the folder's name with
    ``-fr``, the port from ``ADVOCACY_DEVWIKI_SECOND_PORT`` or the central port plus one."""
    port = int(os.environ.get("ADVOCACY_DEVWIKI_SECOND_PORT") or central.port + 1)
    return central.dir.with_name(f"{central.dir.name}-{SECOND_LANG}"), port


def bring_up_second(central: Devwiki, *, seed: bool = True) -> Devwiki:
    """`scripts/devwiki up --lang fr --central <central> [--seed]`: a second wiki, content
    language French, seeded from config/seed/fr/, whose family and BotPassword the central
    wiki's Pywikibot directory then knows (one bot process reads both)."""
    wiki_dir, port = second_wiki_location(central)
    args = ["up", "--lang", SECOND_LANG, "--central", str(central.dir)]
    run_devwiki(*args, *(["--seed"] if seed else []), wiki_dir=wiki_dir, port=port)
    if "pywikibot" in sys.modules:
        # Pywikibot lists its families folder once, when it is first imported: a family file
        # written there later (this registration) is unknown to a test process until then.
        from pywikibot import config as pwb_config

        families = central.dir / "pywikibot" / "families"
        if families.is_dir():
            pwb_config.register_families_folder(str(families))
    return Devwiki.from_status(devwiki_status(wiki_dir=wiki_dir, port=port))
