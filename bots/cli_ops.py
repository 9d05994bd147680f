"""Operations commands of `advocacy-hub` (scheduler, status, Toolforge), added to the CLI here."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from bots.config import Config
from bots.errors import EXIT_USAGE


def add_commands(sub: Any) -> None:
    """Register the operations subcommands on the main parser's subparsers."""


def dispatch(args: argparse.Namespace, config: Config, simulate: bool, out: TextIO) -> int:
    print(f"advocacy-hub: unknown command {args.command!r}", file=out)
    return EXIT_USAGE
