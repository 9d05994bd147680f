"""Credentials hygiene: refuse unsafe Pywikibot secret files, keep secrets out of every log.

Pywikibot reads the bot's password from `password_file` in its directory (`PYWIKIBOT_DIR`) and
keeps session cookies in `pywikibot-<user>.lwp` there. When the password file is readable by
group or others, Pywikibot quietly changes its mode and logs in anyway, but by then the secret
may have been read by anyone on the machine. So before login the bot refuses such files, and
symlinks too (a link can be pointed at another file later). On Toolforge no password file is
needed in the tool's home: `password_file_from_environment()` writes a private one inside the
container from Toolforge environment variables.

`redact()` removes passwords, tokens, cookies and every registered secret value from text;
`install_log_redaction()` applies it to every log record of the process, tracebacks included,
and `bots.operations.runlog` applies it to everything it writes.
"""

from __future__ import annotations

import atexit
import logging
import os
import re
import shutil
import stat
import tempfile
from ast import literal_eval
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from bots.errors import EXIT_USAGE, BotStop
from bots.wiki.runtime import secret_file_settings

log = logging.getLogger(__name__)

REDACTED = "***"

# Toolforge environment variables read by password_file_from_environment().
ENV_BOTPASSWORD_NAME = "ADVOCACY_HUB_BOTPASSWORD_NAME"
ENV_BOTPASSWORD = "ADVOCACY_HUB_BOTPASSWORD"

# Environment variables whose values are secrets, whatever tool set them.
_SECRET_ENV_NAME = re.compile(r"PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|COOKIE", re.IGNORECASE)


class InsecureCredentialsError(BotStop):
    """A secret file is a symlink, not ours, or readable by others: fix it, then run again."""

    exit_code = EXIT_USAGE


# ------------------------------------------------------------------------------ file checks
def check_private_file(path: Path, what: str) -> None:
    """Refuse a secret file that is a symlink, not a regular file, not ours, or not private."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return  # a missing file is Pywikibot's error to report, with its own message
    if stat.S_ISLNK(st.st_mode):
        raise InsecureCredentialsError(
            f"refusing to log in: the {what} {path} is a symlink; "
            "replace it by the file itself (mode 0600)"
        )
    if not stat.S_ISREG(st.st_mode):
        raise InsecureCredentialsError(f"refusing to log in: the {what} {path} is not a file")
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise InsecureCredentialsError(
            f"refusing to log in: the {what} {path} belongs to another user (uid {st.st_uid})"
        )
    if st.st_mode & 0o077:
        raise InsecureCredentialsError(
            f"refusing to log in: the {what} {path} has mode {stat.S_IMODE(st.st_mode):04o} "
            f"and can be read or changed by others; run `chmod 600 {path}` and check who may "
            "have read it (change the BotPassword if in doubt)"
        )


def pywikibot_secret_files() -> list[tuple[Path, str]]:
    """The password file and cookie files Pywikibot would use, resolved as Pywikibot does."""
    base, password_file = secret_file_settings()
    files: list[tuple[Path, str]] = []
    if password_file:
        # Pywikibot tries <base_dir>/<password_file> first and falls back to the bare path;
        # a symlink in the first place must be refused, not silently skipped.
        first = base / password_file
        second = Path(password_file)
        chosen = first if (first.is_symlink() or first.exists() or not second.exists()) else second
        files.append((chosen, "Pywikibot password file"))
    files.extend((cookie, "Pywikibot cookie file") for cookie in sorted(base.glob("*.lwp")))
    return files


def check_pywikibot_credentials() -> None:
    """Before login: refuse unsafe secret files and register the password for redaction."""
    register_environment_secrets()
    for path, what in pywikibot_secret_files():
        check_private_file(path, what)
        if what == "Pywikibot password file" and path.is_file():
            for secret in _passwords_in(path.read_text("utf-8", "replace").splitlines()):
                register_secret(secret)


def _passwords_in(lines: Iterable[str]) -> Iterator[str]:
    """The password values of a Pywikibot password file (its tuple syntax), never logged."""
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            entry = literal_eval(line.replace("BotPassword", ""))
        except Exception:  # a broken line is Pywikibot's to report; never echo it
            continue
        if isinstance(entry, tuple) and entry:
            last = entry[-1]
            if isinstance(last, tuple) and len(last) == 2:  # BotPassword(suffix, password)
                last = last[1]
            if isinstance(last, str):
                yield last


def password_file_from_environment(
    user: str, *, env: Mapping[str, str] | None = None, directory: str | None = None
) -> str | None:
    """For `user-config.py` on Toolforge: a private password file built from envvars.

    Reads ``ADVOCACY_HUB_BOTPASSWORD_NAME`` (the BotPassword's suffix) and
    ``ADVOCACY_HUB_BOTPASSWORD`` (set with `toolforge envvars create`), writes
    ``(user, BotPassword(name, password))`` to a mode-0600 file in a new private temporary
    folder inside the container (never the shared NFS home), removes it at exit, and returns
    its path; None when the variables are not set.
    """
    env = os.environ if env is None else env
    name, secret = env.get(ENV_BOTPASSWORD_NAME), env.get(ENV_BOTPASSWORD)
    if not name or not secret:
        return None
    folder = tempfile.mkdtemp(prefix="advocacy-hub-", dir=directory)  # mode 0700
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = os.path.join(folder, "password")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(f"({user!r}, BotPassword({name!r}, {secret!r}))\n")
    register_secret(secret)
    return path


# ------------------------------------------------------------------------------ redaction
_secrets: set[str] = set()

_KEYS = (
    r"(?:lg|login|csrf|edit|patrol|rollback|watch|userrights|createaccount|clientlogin|access"
    r"|refresh|oauth_)?token|lgpassword|password|passwd|secret|botpassword|api_?key"
    r"|oauth_signature|oauth_consumer_key|consumer_secret|access_secret|authorization"
)
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # before the key pattern, which would otherwise take "Bearer" for the value
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"), rf"\1 {REDACTED}"),
    # key=value (URLs, forms), key: value, "key": "value", key=%27value%27 ...
    (
        re.compile(rf"(?i)(\b(?:{_KEYS})\b[\"']?\s*[:=]\s*[\"']?)(?!\*\*\*)([^\s\"'&,;)}}\]]+)"),
        rf"\1{REDACTED}",
    ),
    # MediaWiki tokens are 32+ hex digits followed by "+\" (sometimes URL-encoded)
    (re.compile(r"(?i)\b[0-9a-f]{32,}(?:\+|%2B)(?:\\|%5C)+"), REDACTED),
    # session cookies: enwiki_session=..., centralauth_Token=..., Set-Cookie/Cookie headers
    (re.compile(r"(?i)(\b\w*(?:session|token)\w*=)(?!\*\*\*)([^;\s\"',]+)"), rf"\1{REDACTED}"),
    (re.compile(r"(?i)(BotPassword\(\s*)[^)]*\)"), rf"\1{REDACTED})"),
)


def register_secret(value: str) -> None:
    """Remember a secret value so that it is redacted wherever it appears."""
    if value and len(value) >= 4:  # shorter values would redact ordinary text
        _secrets.add(value)


def register_environment_secrets(env: Mapping[str, str] | None = None) -> None:
    for name, value in (os.environ if env is None else env).items():
        if _SECRET_ENV_NAME.search(name):
            register_secret(value)


def redact(text: str) -> str:
    """The text with every registered secret and anything shaped like a credential removed."""
    if not text:
        return text
    for secret in sorted(_secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, REDACTED)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def redact_value(value: Any) -> Any:
    """Redact strings inside JSON-like data (lists, dicts), leaving other values as they are."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list | tuple):
        return type(value)(redact_value(v) for v in value)
    if isinstance(value, dict):
        return {k: redact_value(v) for k, v in value.items()}
    return value


def redact_record(record: logging.LogRecord) -> None:
    """Rewrite a log record in place so that no formatter can reveal a secret."""
    try:
        message = record.getMessage()
    except Exception:  # leave a broken format string to logging's own error report
        return
    clean = redact(message)
    if clean != message or record.args:
        record.msg, record.args = clean, None
    if record.exc_info and not record.exc_text:
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
    elif record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


_installed = False


def install_log_redaction() -> None:
    """Redact every log record created in this process, from any logger (idempotent).

    A record factory is used rather than a filter because filters on a logger do not see
    records propagated from child loggers, and Pywikibot adds handlers of its own.
    """
    global _installed
    if _installed:
        return
    register_environment_secrets()
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        redact_record(record)
        return record

    logging.setLogRecordFactory(factory)
    _installed = True
