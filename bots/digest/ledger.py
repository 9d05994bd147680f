"""Who received a digest and who was skipped, and why: one :class:`DeliveryLine` per subscriber
line, kept by the run's :class:`DeliveryLedger` and rendered in the archive page's delivery
report (``bots.digest.archive``). No I/O.

Every skip is also recorded in the job's report, with the reason in plain words for the
console and the run log (the archive gets the escaped wikitext of the same message).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass, field

from bots.digest.recipients import Target
from bots.digest.subscribers import LineIssue, Subscriber
from bots.i18n.messages import Messages
from bots.outcomes import Failed, JobReport, Skipped
from bots.wikitext.problems import Problem, problem_text

REPORT_LANG = "en"  # the archive page and the run log are in English
# Lines whose value is no usable title: shown as text in the report, never as a link.
UNLINKABLE_CODES = frozenset(
    {"subscriber-invalid-title", "subscriber-missing-page", "subscriber-other-wiki"}
)


class RunStop(Exception):
    """Ends a digest run early with a failure already recorded in the report."""


@dataclass(frozen=True)
class DeliveryLine:
    """What happened to one subscriber line. ``reason`` is None for a delivered digest."""

    page: str  # as listed (normalised), or the raw value of an unusable line
    line: int
    lang: str = ""
    delivered_to: str = ""  # the page that holds the digest, when it is not ``page``
    reason: Problem | None = None
    pending: bool = False
    linkable: bool = True  # False for a value that is no title (shown as text)
    call: int = 1  # the call's place on its line (several calls may share one)

    @property
    def key(self) -> tuple[int, int]:
        return (self.line, self.call)


@dataclass(frozen=True)
class DeliveryReport:
    lines: tuple[DeliveryLine, ...] = ()
    warnings: tuple[tuple[int, str, Problem], ...] = field(default=())
    calls: tuple[tuple[int, int], ...] = ()  # (line, call) of warnings, in their order

    @property
    def received(self) -> tuple[DeliveryLine, ...]:
        return tuple(d for d in self.lines if d.reason is None and not d.pending)

    @property
    def pending(self) -> tuple[DeliveryLine, ...]:
        return tuple(d for d in self.lines if d.pending)

    @property
    def skipped(self) -> tuple[DeliveryLine, ...]:
        return tuple(d for d in self.lines if d.reason is not None)


def plain_problem(messages: Messages, problem: Problem) -> str:
    """A problem in plain words for the console and the run log (the wiki gets wikitext)."""
    text = problem_text(problem, messages, REPORT_LANG)
    return html.unescape(text.replace("<bdi>", "").replace("</bdi>", ""))


class DeliveryLedger:
    """What happened to each subscriber line, and the job report it is also recorded in."""

    def __init__(self, report: JobReport, messages: Messages) -> None:
        self.report = report
        self.messages = messages
        self.lines: dict[tuple[int, int], DeliveryLine] = {}  # by (line, call)
        self.warnings: list[tuple[int, str, Problem]] = []
        self.warning_calls: list[tuple[int, int]] = []

    def line_issue(self, issue: LineIssue, list_page: str) -> None:
        """A problem with a line of the subscriber list (``list_page``)."""
        if not issue.skipped:
            self.warnings.append((issue.line, issue.page, issue.problem))
            self.warning_calls.append(issue.key)
            return
        linkable = issue.problem.code not in UNLINKABLE_CODES
        self.lines[issue.key] = DeliveryLine(
            issue.page, issue.line, reason=issue.problem, linkable=linkable, call=issue.call
        )
        shown = issue.page or f"{list_page} line {issue.line}"
        self.report.record(Skipped(shown, plain_problem(self.messages, issue.problem)))

    def skip(self, sub: Subscriber, problem: Problem, delivered_to: str = "") -> None:
        self.lines[sub.key] = DeliveryLine(
            sub.page, sub.line, sub.lang, delivered_to, reason=problem, call=sub.call
        )
        self.report.record(Skipped(delivered_to or sub.page, plain_problem(self.messages, problem)))

    def received(self, target: Target) -> None:
        sub = target.subscriber
        self.lines[sub.key] = DeliveryLine(sub.page, sub.line, sub.lang, target.page,
                                           call=sub.call)

    def delivery_report(self, pending: Iterable[Target] = ()) -> DeliveryReport:
        """The report so far; ``pending``: targets still to post to."""
        lines = dict(self.lines)
        for t in pending:
            sub = t.subscriber
            lines[sub.key] = DeliveryLine(sub.page, sub.line, sub.lang, t.page, pending=True,
                                          call=sub.call)
        return DeliveryReport(tuple(lines[k] for k in sorted(lines)), tuple(self.warnings),
                              tuple(self.warning_calls))

    def not_posted(self, target: Target, outcome: Skipped | Failed) -> None:
        """The wiki did not take a post: the line says why, the job report keeps the outcome."""
        sub = target.subscriber
        self.lines[sub.key] = DeliveryLine(
            sub.page, sub.line, sub.lang, target.page,
            reason=Problem("digest-save", (outcome.reason,)), call=sub.call,
        )
        self.report.record(outcome)
