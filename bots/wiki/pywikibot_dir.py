"""Where Pywikibot's directory is, checked before Pywikibot is imported.

Pywikibot quietly falls back to the current folder when ``PYWIKIBOT_DIR`` names a folder that
does not exist, and runs without a ``user-config.py``; the first sign of a missing setup is then
a traceback about an unknown family. Commands that talk to the wiki call
:func:`check_pywikibot_dir` first, which names the folder, where its name came from and what
is missing, as a :class:`PywikibotSetupError` (exit 2, a setup error like a config error).

The folder is looked for as Pywikibot does: ``-dir:PATH`` on the command line, then
``PYWIKIBOT_DIR``, then the current folder, then ``~/.pywikibot``. ``PYWIKIBOT_NO_USER_CONFIG``
(Pywikibot's own switch for running without the file) turns the ``user-config.py`` check off.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bots.errors import EXIT_USAGE, BotStop

USER_CONFIG = "user-config.py"
_HELP = ("copy user-config.py.sample from the Advocacy Hub folder to DIR/user-config.py and "
         "set PYWIKIBOT_DIR=DIR or pass -dir:DIR (README: Running against Meta-Wiki)")


class PywikibotSetupError(BotStop):
    """Pywikibot's directory, ``user-config.py`` or family file is missing (exit 2)."""

    exit_code = EXIT_USAGE


@dataclass(frozen=True)
class PywikibotDir:
    path: Path
    source: str  # "-dir:", "PYWIKIBOT_DIR", "the current folder", "~/.pywikibot"

    def describe(self) -> str:
        return f"{self.path} (from {self.source})"


def _explicit(args: Sequence[str], env: Mapping[str, str]) -> PywikibotDir | None:
    for arg in args:
        if arg.startswith("-dir:"):
            return PywikibotDir(Path(arg.split(":", 1)[1]).expanduser(), "-dir:")
    if env.get("PYWIKIBOT_DIR"):
        return PywikibotDir(Path(env["PYWIKIBOT_DIR"]).expanduser(), "PYWIKIBOT_DIR")
    return None


def find_pywikibot_dir(
    args: Sequence[str] = (), env: Mapping[str, str] | None = None, cwd: Path | None = None,
) -> PywikibotDir:
    """The folder Pywikibot will use; raises :class:`PywikibotSetupError` when it is missing."""
    env = os.environ if env is None else env
    found = _explicit(args, env)
    if found is not None:
        if not found.path.is_dir():
            raise PywikibotSetupError(
                f"the Pywikibot directory {found.describe()} does not exist; {_HELP}")
    else:
        here = cwd or Path.cwd()
        home = Path("~/.pywikibot").expanduser()
        candidates = (PywikibotDir(here, "the current folder"),
                      PywikibotDir(home, "~/.pywikibot"))
        found = next((c for c in candidates if (c.path / USER_CONFIG).is_file()), None)
        if found is None:
            if env.get("PYWIKIBOT_NO_USER_CONFIG", "0") != "0":
                return candidates[0]
            raise PywikibotSetupError(
                f"no Pywikibot directory: PYWIKIBOT_DIR is not set, no -dir: was given, and "
                f"neither {here} nor {home} holds a {USER_CONFIG}; {_HELP}")
    if env.get("PYWIKIBOT_NO_USER_CONFIG", "0") == "0" and not (
            found.path / USER_CONFIG).is_file():
        raise PywikibotSetupError(
            f"no {USER_CONFIG} in the Pywikibot directory {found.describe()}; {_HELP}")
    return found


def check_pywikibot_dir(args: Sequence[str] = ()) -> PywikibotDir:
    """As :func:`find_pywikibot_dir` for this process's command line and environment."""
    return find_pywikibot_dir(args)


def family_problem(family: str, code: str, error: str) -> PywikibotSetupError:
    """Pywikibot knows no such family or site: the config and the Pywikibot folder disagree."""
    return PywikibotSetupError(
        f"Pywikibot does not know the wiki {family}:{code} of the config's [wiki] family and "
        f"code ({error}); the Pywikibot directory's user-config.py must register that family "
        "(family_files) or a file families/<family>_family.py must exist there")
