"""Message lookups for one view's language, and the pieces every knowledge view shares. Pure.

Every value copied from a page goes through ``bots.wikitext.escape``; a value inline with other
text is isolated with ``<bdi>`` so that right-to-left text cannot reorder the sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bots.cases.record import Case
from bots.config.model import VocabularyConfig
from bots.i18n.messages import Messages
from bots.sources.keys import WikiKeys
from bots.wikitext.escape import escape_inline, internal_link
from bots.wikitext.problems import Problem, problem_text

_VOCABULARIES = {"region": "regions", "topic": "topics", "status": "statuses", "method": "methods"}


class ViewText:
    """Messages in one language, with the vocabulary labels of the configuration."""

    def __init__(
        self, messages: Messages, lang: str, vocabulary: VocabularyConfig,
        wikis: WikiKeys | None = None,
    ) -> None:  # fmt: skip
        self.messages = messages
        # a case's page is its key (bots.sources.keys): a page on another wiki is linked there
        self.wikis = wikis if wikis is not None else WikiKeys()
        self.lang = lang
        self.vocabulary = vocabulary
        self.separator = self.msg("advocacyhub-label-separator")

    def msg(self, key: str, *params: str | int) -> str:
        return self.messages.msg(key, self.lang, *params)

    def label(self, kind: str, code: str) -> str:
        """Wikitext label of a vocabulary code; an unknown value is shown escaped as written.
        A translation in the view's language wins over the configuration's English label."""
        vocabulary: Mapping[str, str] = getattr(self.vocabulary, _VOCABULARIES[kind])
        if code not in vocabulary:
            return f"<bdi>{escape_inline(code, 100)}</bdi>"
        key = f"advocacyhub-{kind}-{code}"
        for lang in self.messages.fallback_chain(self.lang):
            if lang == "en":
                break
            if self.messages.has(key, lang):
                return self.msg(key)
        return escape_inline(vocabulary[code])

    def join(self, items: Iterable[str]) -> str:
        return self.separator.join(items)

    def case_link(self, case: Case) -> str:
        """The case linked to its page on its own wiki (plain escaped text if unreachable)."""
        if not case.page.startswith(":"):
            return f"<bdi>{internal_link(case.page, case.title)}</bdi>"
        return f"<bdi>{self.wikis.link(case.page, case.title)}</bdi>"

    def case_with_status(self, case: Case) -> str:
        """The case's link and its status, as in every knowledge view."""
        link = self.case_link(case)
        if not case.status:
            return link
        return self.msg(
            "advocacyhub-knowledge-case-status", link, self.label("status", case.status)
        )

    def problem(self, problem: Problem) -> str:
        return problem_text(problem, self.messages, self.lang)

    def user_talk_link(self, user: str, case_page: str = "") -> str:
        """A contact, linked to their user talk page on the wiki of the case's page (a case
        on another wiki: that wiki's user, shown as plain escaped text if unreachable)."""
        if not case_page.startswith(":"):
            return f"<bdi>{internal_link('User talk:' + user, user, max_len=60)}</bdi>"
        wiki_id = self.wikis.wiki_of(case_page)
        return f"<bdi>{self.wikis.link(f':{wiki_id}:User talk:{user}', user)}</bdi>"


def error_box(problems: Iterable[Problem], text: ViewText) -> str:
    """What a view shows instead of itself when its parameters are wrong."""
    items = [f"* {text.problem(p)}" for p in list(problems)[:20]]
    intro = text.msg("advocacyhub-knowledge-error-intro")
    return (
        '<div class="error advocacyhub-knowledge-error">\n'
        + intro
        + "\n"
        + "\n".join(items)
        + "\n</div>"
    )
