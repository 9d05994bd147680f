"""`advocacy-hub run digest`: what changed in advocacy, posted to each subscriber, exactly once.

The recipe, one step per module, no local state:
  the subscribers (``bots.digest.targets``) -> the period, read back from the archive pages
  (``bots.digest.period``) -> what changed in it (``bots.digest.collect``; content and wikitext
  are pure, in ``bots.digest.content``) -> the targets: redirects, users, duplicates
  (``bots.digest.targets``) -> which targets still miss the digest (``bots.digest.delivery``)
  -> the archive page with its delivery report, state ``delivering`` (``bots.digest.archive``)
  -> one new section per target (``bots.digest.delivery``) -> the archive, state ``complete``.

Writes: a new section on each target, and the archive page ``config.digest.archive_prefix`` +
id, before the deliveries and after them. Each module lists the reads it makes.
"""

from __future__ import annotations

from typing import Any

from bots.config.model import Config
from bots.digest.archive import DeliveryLedger, RunStop, save_archive
from bots.digest.collect import collect_content
from bots.digest.content import RenderContext
from bots.digest.delivery import Delivery
from bots.digest.period import find_period
from bots.digest.targets import read_subscribers, resolve_targets
from bots.i18n.messages import Messages
from bots.outcomes import Failed, JobReport
from bots.wiki.session import WikiSession


def run(
    session: WikiSession, config: Config, options: Any, report: JobReport | None = None
) -> JobReport:
    """The job entry point (see ``bots.operations.jobs``)."""
    # run_job passes the report in, so what was done before a mid-run stop is still reported
    report = report if report is not None else JobReport(job="digest")
    messages = Messages.load()
    ctx = RenderContext(messages, config.digest.subscriber_page, config.digest.unsubscribe_page)
    ledger = DeliveryLedger(report, messages)
    if getattr(options, "simulate", False) and not session.simulate:
        # writes obey the session's flag only; never risk a "dry run" that posts
        report.record(Failed(config.digest.subscriber_page,
                             "--simulate needs a simulating session; nothing done"))
        return report

    try:
        subscribers = read_subscribers(session, config, ledger)
        period = find_period(session, config, report)
    except RunStop:
        return report

    content = collect_content(
        session, config, period, report,
        languages=sorted({s.lang for s in subscribers}), message_langs=messages.languages(),
    )
    report.notes.append(
        f"digest {period.digest_id}: {period.start} to {period.end}"
        f"{' (resumed)' if period.resumed else ''}, {content.item_count} items"
    )
    if not content.item_count and not config.digest.send_empty and not period.resumed:
        report.notes.append("nothing new in the period: no digest sent, no archive")
        return report

    targets = resolve_targets(session, ledger, subscribers)
    delivery = Delivery(session, config, options, ctx, ledger, content)
    todo = delivery.plan(targets)
    if todo:
        save_archive(session, config, options, ctx, ledger, content, todo, complete=False)
    delivery.deliver(todo)
    save_archive(session, config, options, ctx, ledger, content, (), complete=True)
    return report
