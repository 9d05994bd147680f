"""Credentials (issue 8, item 17), end to end through `advocacy-hub` processes: a Pywikibot
password file that others can read, or a symlink, is refused before any login request; no
password or token ever appears in the console output, the run log or the server's log.

Each test copies the wiki's Pywikibot directory (user-config.py, the BotPassword file, the
family) to a folder of its own, so the real directory's modes are never touched.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from bots.config.load import load_config
from bots.operations.runlog import run_log_path
from tests.faults.cli_runs import run_cli, write_config
from tests.faults.helpers import bot_api, case, index_page
from tests.support import Devwiki, RequestLog, WikiClient, import_pages

TOKEN_RE = re.compile(r"[0-9a-f]{32,}(\+|%2B)(\\|%5C)")


def pywikibot_copy(devwiki: Devwiki, folder: Path) -> Path:
    """A private copy of the wiki's Pywikibot directory; returns it."""
    src = devwiki.pywikibot_dir
    dst = folder / "pywikibot"
    dst.mkdir(mode=0o700)
    shutil.copytree(src / "families", dst / "families")
    password = dst / "user-password.py"
    shutil.copyfile(src / "user-password.py", password)
    password.chmod(0o600)
    config = (src / "user-config.py").read_text("utf-8")
    config = re.sub(r'(?m)^password_file = .*$', f'password_file = "{password}"', config)
    (dst / "user-config.py").write_text(config, "utf-8")
    (dst / "user-config.py").chmod(0o600)
    return dst


def secret(devwiki: Devwiki) -> str:
    return json.loads(devwiki.credentials_path.read_text("utf-8"))["bot_password"]["password"]


COMMANDS = {
    "run": ["run", "index"],
    "schedule": ["schedule", "--once", "--jobs", "index"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("fault", ["group-readable", "world-readable", "symlink"])
def test_unsafe_password_file_is_refused_before_login(
    devwiki: Devwiki, prefix: str, tmp_path: Path, admin: WikiClient, request_log: RequestLog,
    fault: str, command: str,
) -> None:
    import_pages(devwiki, [
        {"title": f"{prefix}A", "text": case("Case A", "europe", "copyright", "active")},
        {"title": f"{prefix}Index", "text": index_page()},
    ])
    pwb = pywikibot_copy(devwiki, tmp_path)
    password = pwb / "user-password.py"
    if fault == "group-readable":
        password.chmod(0o640)
        expected = f"has mode 0640 and can be read or changed by others; run `chmod 600 {password}`"
    elif fault == "world-readable":
        password.chmod(0o604)
        expected = f"has mode 0604 and can be read or changed by others; run `chmod 600 {password}`"
    else:
        real = tmp_path / "elsewhere" / "password"
        real.parent.mkdir()
        password.rename(real)
        password.symlink_to(real)
        expected = f"the Pywikibot password file {password} is a symlink"
    config_path = write_config(tmp_path / "cfg", prefix)
    mark = request_log.mark()
    proc = run_cli(devwiki, config_path, *COMMANDS[command], PYWIKIBOT_DIR=str(pwb))
    output = proc.stdout + proc.stderr
    assert proc.returncode == 2, output
    assert "refusing to log in" in output and expected in output, output
    # not one login attempt, not one write, the index page as it was
    requests = bot_api(request_log, mark)
    assert [r for r in requests if r.action in ("login", "clientlogin")] == []
    assert [r for r in requests if r.is_write] == []
    assert admin.page_text(f"{prefix}Index") == index_page()
    assert secret(devwiki) not in output
    if command == "schedule":  # the scheduler records the refused firing in the run log
        log_text = run_log_path(load_config(config_path)).read_text("utf-8")
        assert "refusing to log in" in log_text and secret(devwiki) not in log_text


def test_no_password_or_token_in_console_run_log_or_server_log(
    devwiki: Devwiki, prefix: str, tmp_path: Path, admin: WikiClient, request_log: RequestLog,
) -> None:
    """Verbose runs that log in, edit, and hit an API error (a protected page, which makes
    Pywikibot log the failed request with its parameters, the CSRF token among them)."""
    import_pages(devwiki, [
        {"title": f"{prefix}A", "text": case("Case A", "europe", "copyright", "active")},
        {"title": f"{prefix}Index", "text": index_page()},
        {"title": f"{prefix}Locked", "text": index_page(before="Locked.")},
    ])
    admin.protect(f"{prefix}Locked", edit="sysop", move="sysop", reason="fault test")
    pwb = pywikibot_copy(devwiki, tmp_path)
    config_path = write_config(tmp_path / "cfg", prefix)
    mark = request_log.mark()
    # -v: debug logging, Pywikibot's own request logging included; -debug: Pywikibot's too
    proc = run_cli(devwiki, config_path, "-v", "run", "index", "-log", "-debug",
                   PYWIKIBOT_DIR=str(pwb))
    second = run_cli(devwiki, config_path, "-v", "check", PYWIKIBOT_DIR=str(pwb))
    output = proc.stdout + proc.stderr + second.stdout + second.stderr
    assert proc.returncode == 0, output
    assert second.returncode == 0, output
    assert "protected" in output  # the refused edit was logged ...
    tokens_sent = [r for r in bot_api(request_log, mark) if r.action == "edit"]
    assert tokens_sent  # ... and edits (carrying tokens) were really made
    password = secret(devwiki)
    log_text = run_log_path(load_config(config_path)).read_text("utf-8")
    for where, text in (("console", output), ("run log", log_text),
                        ("server log", request_log.text())):
        assert password not in text, where
        assert TOKEN_RE.search(text) is None, (where, TOKEN_RE.search(text))
    # Pywikibot's own debug log (-log -debug) writes every request body: the login with its
    # password and each edit with its token went through the redaction, not around it
    pwb_log = (pwb / "logs" / "advocacy-hub-bot.log").read_text("utf-8", "replace")
    assert "action=login&lgname=AdvocacyBot%40hub&lgpassword=***&" in pwb_log
    assert "&token=***'" in pwb_log and "action=edit&" in pwb_log
    for path in pwb.rglob("*.log"):
        text = path.read_text("utf-8", "replace")
        assert password not in text and TOKEN_RE.search(text) is None, path
    cookie = pwb / "pywikibot-AdvocacyBot.lwp"
    assert cookie.exists() and (cookie.stat().st_mode & 0o077) == 0
    assert os.stat(pwb / "user-password.py").st_mode & 0o077 == 0
