"""Languages of case pages and index pages, from their titles. Pure.

A case translated by hand lives on subpages named by language code (``Page/fr``, ``Page/zh``);
an index page on such a subpage speaks that language.
"""

from __future__ import annotations

from collections.abc import Iterable

from bots.config.model import Config
from bots.i18n.languages import is_language_code
from bots.i18n.messages import Messages
from bots.wiki.records import PageSnapshot


def is_translation_language(code: str, config: Config, messages: Messages) -> bool:
    """Whether a subpage named ``code`` is a translation: a language code that the
    configuration translates into or whose language the bot can name."""
    if not is_language_code(code):
        return False
    return code in config.translations.languages or messages.autonym(code) != code


def split_translation_subpages(
    titles: Iterable[str], existing: Iterable[str], config: Config, messages: Messages
) -> tuple[list[str], dict[str, list[str]]]:
    """Case pages proper, and base title -> language codes of its subpages that exist.

    ``titles`` are the pages carrying the case template, ``existing`` every page under the case
    prefixes. ``Page/zh`` is a translation (not a case) when ``Page`` carries a case itself; a
    case on the ``/zh`` subpage of a page without one is the only copy of that case, so it
    counts as a case of its own rather than vanishing.
    """
    with_template = set(titles)
    case_titles: list[str] = []
    languages: dict[str, list[str]] = {}
    for title in sorted(with_template):
        base, _, last = title.rpartition("/")
        if base and base in with_template and is_translation_language(last, config, messages):
            continue  # a translation of another case page, not a case of its own
        case_titles.append(title)
    case_set = set(case_titles)
    for title in existing:
        base, _, last = title.rpartition("/")
        if base in case_set and is_translation_language(last, config, messages):
            languages.setdefault(base, []).append(last)
    return case_titles, {k: sorted(v) for k, v in languages.items()}


def page_language(snap: PageSnapshot, config: Config, messages: Messages, default: str) -> str:
    """A `/xx` language subpage speaks xx; otherwise the page's content language."""
    last = snap.title.rpartition("/")[2]
    if "/" in snap.title and is_translation_language(last, config, messages):
        return last
    return snap.language or default
