"""The digest's archive page: its title, the delivery report it carries, and saving it.

The archive page is ``config.digest.archive_prefix`` + the digest's id. It is saved before the
deliveries (state ``delivering``, the targets still to post to marked pending) and after them
(state ``complete``); its first line is the record ``bots.digest.period`` reads the period back
from. The delivery report says, per subscriber line, who received the digest and who was skipped
and why; :class:`DeliveryLedger` builds it while the run goes.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

from bots.config.model import Config
from bots.digest.content import (
    DeliveryLine,
    DeliveryReport,
    DigestContent,
    RenderContext,
    reason_text,
    render_archive,
)
from bots.digest.recipients import Target
from bots.digest.subscribers import Subscriber
from bots.i18n.messages import Messages
from bots.outcomes import JobReport, Skipped
from bots.wiki.saves import save_page
from bots.wiki.session import WikiSession
from bots.wikitext.problems import Problem


class RunStop(Exception):
    """Ends a digest run early with a failure already recorded in the report."""


def archive_prefix(session: WikiSession, config: Config) -> tuple[str, int]:
    """The archive pages' title prefix as the wiki spells it, and its namespace."""
    prefix = config.digest.archive_prefix
    full, namespace = session.normalize(prefix)
    if prefix.endswith("/") and not full.endswith("/"):
        full += "/"
    return full, namespace


class DeliveryLedger:
    """What happened to each subscriber line, and the job report it is also recorded in."""

    def __init__(self, report: JobReport, messages: Messages) -> None:
        self.report = report
        self.messages = messages
        self.lines: dict[int, DeliveryLine] = {}  # by subscriber line
        self.warnings: list[tuple[int, str, Problem]] = []

    def plain(self, problem: Problem) -> str:
        """A reason for the console and run log (the wiki gets the escaped form)."""
        return html.unescape(reason_text(self.messages, problem))

    def skip(self, sub: Subscriber, problem: Problem, delivered_to: str = "") -> None:
        self.lines[sub.line] = DeliveryLine(
            sub.page, sub.line, sub.lang, delivered_to, reason=problem
        )
        self.report.record(Skipped(delivered_to or sub.page, self.plain(problem)))

    def received(self, target: Target) -> None:
        self.lines[target.subscriber.line] = DeliveryLine(
            target.subscriber.page, target.subscriber.line, target.subscriber.lang, target.page
        )

    def delivery_report(self, pending: Iterable[Target] = ()) -> DeliveryReport:
        lines = dict(self.lines)
        for t in pending:
            lines[t.subscriber.line] = DeliveryLine(
                t.subscriber.page, t.subscriber.line, t.subscriber.lang, t.page, pending=True
            )
        return DeliveryReport(tuple(lines[k] for k in sorted(lines)), tuple(self.warnings))


def save_archive(
    session: WikiSession, config: Config, options: Any, ctx: RenderContext,
    ledger: DeliveryLedger, content: DigestContent, pending: Sequence[Target], *,
    complete: bool,
) -> None:
    """Save the archive page with the delivery report so far (``pending``: still to post)."""
    report = ledger.delivery_report(pending)
    text = render_archive(content, report, ctx, complete=complete)
    full, _ns = archive_prefix(session, config)
    summary = ledger.messages.msg(
        "advocacyhub-digest-archive-summary", "en", content.digest_id,
        len(report.received), len(report.skipped),
    )
    outcome = save_page(
        session, f"{full}{content.digest_id}", lambda _base: text, summary,
        may_create=True, show_diff=options.diff, diff_out=options.out,
    )
    ledger.report.record(outcome)
