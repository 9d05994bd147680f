"""Message lookups of one index view: labels in the view's language, vocabulary codes as
labels, problems as text. Pure."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

from bots.config.model import VocabularyConfig
from bots.i18n.messages import Messages
from bots.wikitext.escape import escape_inline as _escape_inline
from bots.wikitext.problems import Problem, problem_text

# The same values are escaped again for every list of a page (and for a shortened rendering of
# a page too big for the wiki): remember them. Pure function of its arguments; bounded memory.
escape_inline = functools.lru_cache(maxsize=10_000)(_escape_inline)

VOCABULARIES = {"region": "regions", "topic": "topics", "status": "statuses", "method": "methods"}


class ViewText:
    """Message lookups for one language, with the vocabulary labels of the configuration."""

    def __init__(self, messages: Messages, lang: str, vocabulary: VocabularyConfig) -> None:
        self.messages = messages
        self.lang = lang
        self.vocabulary = vocabulary
        self.separator = self.msg("advocacyhub-label-separator")

    def msg(self, key: str, *params: str | int) -> str:
        return self.messages.msg(key, self.lang, *params)

    def vocabulary_label(self, kind: str, code: str) -> str:
        """Wikitext label of a vocabulary code; an unknown value is shown escaped as written.

        A translation in the view's language (or its fallbacks before English) wins; otherwise
        the configuration's English label, which the operator may have changed.
        """
        vocabulary: Mapping[str, str] = getattr(self.vocabulary, VOCABULARIES[kind])
        if code not in vocabulary:
            return escape_inline(code)
        key = f"advocacyhub-{kind}-{code}"
        for lang in self.messages.fallback_chain(self.lang):
            if lang == "en":
                break
            if self.messages.has(key, lang):
                return self.msg(key)
        return escape_inline(vocabulary[code])

    def join(self, items: Iterable[str]) -> str:
        return self.separator.join(items)

    def problem(self, problem: Problem) -> str:
        return problem_text(problem, self.messages, self.lang)
