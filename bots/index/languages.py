"""Languages of case pages and index pages, from their titles. Pure.

A case translated by hand lives on subpages named by language code (``Page/fr``, ``Page/zh``);
an index page on such a subpage speaks that language. Which subpage is a translation and which
a case of its own is decided by :func:`bots.cases.scope.case_title`, the notion every job shares.
"""

from __future__ import annotations

from collections.abc import Iterable

from bots.cases.scope import TitleKind, case_title
from bots.cases.scope import is_translation_language as _is_translation_language
from bots.config.model import Config
from bots.i18n.messages import Messages
from bots.wiki.records import PageSnapshot


def is_translation_language(code: str, config: Config, messages: Messages) -> bool:
    """Whether a subpage named ``code`` is a translation (``bots.cases.scope``'s rule)."""
    del config, messages  # kept for the callers: the rule is the shared one
    return _is_translation_language(code)


def split_translation_subpages(
    titles: Iterable[str], existing: Iterable[str], config: Config, messages: Messages
) -> tuple[list[str], dict[str, list[str]]]:
    """Case pages proper, and base title -> language codes of its subpages that exist.

    ``titles`` are the pages carrying the case template (listed in the case namespaces),
    ``existing`` every page under the case prefixes. Each is judged by
    :func:`bots.cases.scope.case_title`: ``Page/zh`` is a translation when ``Page`` carries a
    case itself; a case on the ``/zh`` subpage of a page without one counts as a case.
    """
    del messages  # the shared rule needs no messages
    with_template = set(titles)
    case_titles: list[str] = []
    languages: dict[str, list[str]] = {}
    for title in sorted(with_template):
        if case_title(title, None, config, with_template).kind is TitleKind.CASE:
            case_titles.append(title)
    case_set = set(case_titles)
    for title in existing:
        kind = case_title(title, None, config, case_set)
        if kind.kind is TitleKind.TRANSLATION:
            languages.setdefault(kind.case_page, []).append(kind.language)
    return case_titles, {k: sorted(v) for k, v in languages.items()}


def page_language(snap: PageSnapshot, config: Config, messages: Messages, default: str) -> str:
    """A `/xx` language subpage speaks xx; otherwise the page's content language."""
    last = snap.title.rpartition("/")[2]
    if "/" in snap.title and is_translation_language(last, config, messages):
        return last
    return snap.language or default
