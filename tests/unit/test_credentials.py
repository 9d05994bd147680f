"""Fault item 17 without a wiki: unsafe secret files are refused, secrets never reach a log.

The same refusal and redaction against the real wiki (a real login, real edits) are in
tests/wiki/test_ops.py.
"""

from __future__ import annotations

import io
import logging
import os
import stat
from ast import literal_eval
from pathlib import Path

import pytest

from bots.errors import EXIT_USAGE
from bots.wiki.credentials import (
    ENV_BOTPASSWORD,
    ENV_BOTPASSWORD_NAME,
    InsecureCredentialsError,
    check_private_file,
    check_pywikibot_credentials,
    install_log_redaction,
    password_file_from_environment,
    redact,
    register_environment_secrets,
    register_secret,
)

LINE = "('AdvocacyBot', BotPassword('hub', 'Unit-Test-Secret-42'))\n"


def secret_file(tmp_path: Path, mode: int, name: str = "passwordfile") -> Path:
    path = tmp_path / name
    path.write_text(LINE, "utf-8")
    path.chmod(mode)
    return path


def test_a_private_file_is_accepted(tmp_path: Path) -> None:
    check_private_file(secret_file(tmp_path, 0o600), "password file")
    check_private_file(secret_file(tmp_path, 0o400, "ro"), "password file")


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660, 0o644, 0o606, 0o620])
def test_a_file_others_can_read_or_change_is_refused(tmp_path: Path, mode: int) -> None:
    path = secret_file(tmp_path, mode)
    with pytest.raises(InsecureCredentialsError) as err:
        check_private_file(path, "Pywikibot password file")
    assert f"mode {mode:04o}" in str(err.value) and f"chmod 600 {path}" in str(err.value)
    assert err.value.exit_code == EXIT_USAGE
    assert stat.S_IMODE(path.stat().st_mode) == mode  # refused, not silently "fixed"
    assert "Unit-Test-Secret-42" not in str(err.value)


def test_a_symlink_is_refused_even_to_a_private_file(tmp_path: Path) -> None:
    target = secret_file(tmp_path, 0o600)
    link = tmp_path / "link"
    link.symlink_to(target)
    with pytest.raises(InsecureCredentialsError, match="is a symlink"):
        check_private_file(link, "Pywikibot password file")


def test_a_folder_is_refused_and_a_missing_file_left_to_pywikibot(tmp_path: Path) -> None:
    with pytest.raises(InsecureCredentialsError, match="is not a file"):
        check_private_file(tmp_path, "Pywikibot password file")
    check_private_file(tmp_path / "missing", "Pywikibot password file")


def test_pywikibot_files_are_checked_where_pywikibot_looks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pywikibot import config as pwb_config

    monkeypatch.setattr(pwb_config, "base_dir", str(tmp_path))
    monkeypatch.setattr(pwb_config, "password_file", "passwordfile")
    secret_file(tmp_path, 0o600)
    cookie = tmp_path / "pywikibot-AdvocacyBot.lwp"
    cookie.write_text("#LWP-Cookies-2.0\n", "utf-8")
    cookie.chmod(0o600)
    check_pywikibot_credentials()
    assert "Unit-Test-Secret-42" not in redact("the secret Unit-Test-Secret-42 leaked")

    cookie.chmod(0o644)
    with pytest.raises(InsecureCredentialsError, match="cookie file"):
        check_pywikibot_credentials()
    cookie.chmod(0o600)
    (tmp_path / "passwordfile").chmod(0o640)
    with pytest.raises(InsecureCredentialsError, match="password file"):
        check_pywikibot_credentials()


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("action=login&lgname=AdvocacyBot&lgpassword=hunter22&lgtoken=abc%2B%5C", "hunter22"),
        ('{"edit": {"token": "0123456789abcdef0123456789abcdef+\\\\"}}', "0123456789abcdef"),
        ("token=fedcba9876543210fedcba9876543210+\\", "fedcba9876543210"),
        ("csrf 00112233445566778899aabbccddeeff%2B%5C sent", "00112233445566778899"),
        ("Cookie: my_wiki_session=k2s9d8f7; path=/", "k2s9d8f7"),
        ("Set-Cookie: centralauth_Token=zz9yy8xx7; secure", "zz9yy8xx7"),
        ("('AdvocacyBot', BotPassword('hub', 'abc def'))", "abc def"),
        ("Authorization: Bearer eyJ0eXAiOiJKV1Qi.payload.sig", "eyJ0eXAiOiJKV1Qi"),
        ("oauth_signature=\"c2lnbmF0dXJl\", oauth_token=\"dG9rZW4\"", "c2lnbmF0dXJl"),
        ("password: 'letmein99'", "letmein99"),
    ],
)
def test_redact_removes_credential_shaped_values(text: str, gone: str) -> None:
    assert gone not in redact(text)
    assert "***" in redact(text)


@pytest.mark.parametrize(
    "text",
    ["the token was refreshed", "password_file = 'passwordfile'", "User:AdvocacyBot/Run says run",
     "edited Advocacy/Hub (revision 1234)"],
)
def test_redact_leaves_ordinary_text_alone(text: str) -> None:
    assert redact(text) == text


def test_registered_secrets_are_redacted_anywhere() -> None:
    register_secret("Zq7-longer-secret")
    register_secret("ab")  # too short to redact without damaging ordinary text
    assert redact("x Zq7-longer-secretZq7-longer-secret y") == "x ****** y"
    assert redact("ab cab") == "ab cab"


def test_every_log_record_is_redacted_with_tracebacks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOME_TOOL_PASSWORD", "from-the-environment-1")
    install_log_redaction()
    install_log_redaction()  # idempotent
    # read at install time in a real process; here an earlier test may have installed it
    register_environment_secrets()
    register_secret("Log-Secret-777")  # registered after install: still applies
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    parent = logging.getLogger("redaction-test")
    parent.addHandler(handler)
    parent.setLevel(logging.DEBUG)
    child = logging.getLogger("redaction-test.child.pywiki")
    try:
        child.debug("request: %s", {"action": "login", "lgpassword": "Log-Secret-777"})
        child.info("env %s", os.environ["SOME_TOOL_PASSWORD"])
        try:
            raise RuntimeError("edit failed with token=0123456789abcdef0123456789abcdef+\\")
        except RuntimeError:
            child.exception("crashed")
    finally:
        parent.removeHandler(handler)
    out = stream.getvalue()
    assert "Log-Secret-777" not in out and "from-the-environment-1" not in out
    assert "0123456789abcdef" not in out
    assert "Traceback" in out and "RuntimeError: edit failed with token=***" in out


def test_password_file_from_toolforge_envvars(tmp_path: Path) -> None:
    env = {ENV_BOTPASSWORD_NAME: "hub", ENV_BOTPASSWORD: "Env-Secret-9000"}
    path = Path(password_file_from_environment("AdvocacyBot", env=env, directory=str(tmp_path)))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    check_private_file(path, "Pywikibot password file")
    # the line is what Pywikibot's password file reader accepts
    entry = literal_eval(path.read_text("utf-8").strip().replace("BotPassword", ""))
    assert entry == ("AdvocacyBot", ("hub", "Env-Secret-9000"))
    assert redact("Env-Secret-9000") == "***"
    assert password_file_from_environment("AdvocacyBot", env={}) is None
