"""Settle the wiki's language data in the bench's state folder before the measured runs.

    PYWIKIBOT_DIR=... python -m benchlib.languages --config BENCH.toml

Every job reads the wiki's language data (``meta=languageinfo``, a few dozen continued parts
on a fresh wiki) and keeps it in its state folder for a week (``bots.wiki.languageinfo``). A
bot that runs every hour pays that once a week; the bench settles it once per size, like the
log-in cookie (``advocacy-hub check``), and reports its cost apart. Prints the number of
languages.
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="languages")
    parser.add_argument("--config", required=True)
    args = parser.parse_args(argv)

    from bots.config.load import load_config
    from bots.wiki.languageinfo import language_data
    from bots.wiki.session import WikiSession

    config = load_config(args.config)
    session = WikiSession(config)
    session.login()
    data = language_data(session, config.state_path)
    print(f"languages: {data.source}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
