"""Something wrong on a page, as data (:class:`Problem`) and in the reader's words.

Every problem the bot reports (a case page's field, an index or status marker's parameter, a
subscriber line) is a ``Problem(code, params)``; its text is the message
``advocacyhub-problem-<code>`` with the parameters as ``$1``, ``$2``. :func:`problem_text` is
the one rendering: parameters are escaped and cut to one length, numbers stay bare so that
``{{PLURAL:$1|...}}`` can read them, and text is isolated with ``<bdi>`` so that a right-to-left
value cannot reorder the sentence around it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bots.i18n.messages import Messages
from bots.wikitext.escape import escape_inline

PROBLEM_MESSAGE_PREFIX = "advocacyhub-problem-"
PROBLEM_PARAM_LIMIT = 120  # characters of one parameter shown in a problem's text


@dataclass(frozen=True)
class Problem:
    """Something wrong on a page; the reader-facing text is ``advocacyhub-problem-<code>``."""

    code: str
    params: tuple[str, ...] = ()

    @property
    def message_key(self) -> str:
        return PROBLEM_MESSAGE_PREFIX + self.code

    def to_json(self) -> list[Any]:
        return [self.code, list(self.params)]

    @classmethod
    def from_json(cls, data: Any) -> Problem:
        code, params = data
        if not isinstance(code, str) or not all(isinstance(p, str) for p in params):
            raise ValueError(f"bad problem record: {data!r}")
        return cls(code, tuple(params))


def problem_text(problem: Problem, messages: Messages, lang: str) -> str:
    """The problem in ``lang``, its parameters escaped and bounded."""
    params = [
        p if p.isascii() and p.isdigit() else f"<bdi>{escape_inline(p, PROBLEM_PARAM_LIMIT)}</bdi>"
        for p in problem.params
    ]
    return messages.msg(problem.message_key, lang, *params)
