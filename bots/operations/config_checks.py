"""The configuration as the command line and the scheduler load it: the file's own checks
(:func:`bots.config.load.load_config`) and those that need the language data of
:mod:`bots.i18n`, which the configuration layer below it does not see.

Every key that holds a language or a list of languages is listed in :data:`LANGUAGE_KEYS` and
accepts only :func:`bots.i18n.languages.is_known_language` codes: ``qqq`` and the other
pseudo-codes, typos and made-up codes are refused with the file and the key (exit 2), like any
other configuration error. A new key holding languages is added to that list. The content
language of each source wiki (``sources[i].language``, issue 16) is checked the same way, per
table, so the error names the table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from bots.config.load import load_config
from bots.config.model import Config, ConfigError
from bots.i18n.languages import is_known_language

# config key -> the language codes it holds
LANGUAGE_KEYS: dict[str, Callable[[Config], Iterable[str]]] = {
    "translations.languages": lambda config: config.translations.languages,
    "status_page.language": lambda config: [config.status_page.language] * bool(
        config.status_page.language),
}


def check_languages(file: str, key: str, codes: Iterable[str]) -> None:
    """Refuse any code that is not a real language the bot knows (the one check for every
    key holding languages)."""
    for code in codes:
        if not is_known_language(code):
            raise ConfigError(
                file, key, f"{code!r} is not the code of a language the bot knows (pseudo-codes "
                "such as 'qqq' and unknown codes are refused; use codes such as 'fr' or "
                "'zh-hans')",
            )  # fmt: skip


def check_config(config: Config) -> None:
    """The checks of a loaded configuration that need more than the configuration layer."""
    for key, codes in LANGUAGE_KEYS.items():
        check_languages(config.path, key, codes(config))
    for i, source in enumerate(config.sources.wikis):
        check_languages(config.path, f"sources[{i}].language", [source.language])


def load_checked_config(path: str | Path) -> Config:
    """Read, validate and check a config file; raise :class:`ConfigError` on any problem."""
    config = load_config(path)
    check_config(config)
    return config
