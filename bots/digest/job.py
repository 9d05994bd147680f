"""`advocacy-hub run digest`: what changed in advocacy, posted to each subscriber, exactly once.

Collect (reads only): the template names and the subscribers (``targets``) -> the period, read
back from the archive pages (``period``) -> the revisions that changed in it (``collect``), on
each source wiki from its own period (``sources``) -> the deliverable targets and where the
digest already arrived (``targets``).
Build (pure): the content (``changes``), a message per kind of reader, who gets which (``plan``).
Publish: the archive page in state ``delivering``, one new section per target, the archive in
state ``complete`` (``publish``). The wikitext is in ``message`` and ``archive``.
"""

from __future__ import annotations

from bots.config.model import Config
from bots.digest.changes import digest_content
from bots.digest.collect import collect_revisions
from bots.digest.ledger import DeliveryLedger, RunStop
from bots.digest.message import RenderContext
from bots.digest.period import find_period
from bots.digest.plan import plan_deliveries
from bots.digest.publish import Freshness, publish, rerun_settled
from bots.digest.sources import with_sources
from bots.digest.targets import (
    digest_templates,
    evidence_query,
    read_subscribers,
    targets_and_evidence,
)
from bots.i18n.messages import Messages
from bots.outcomes import Failed, JobReport
from bots.run_options import RunOptions
from bots.wiki.languageinfo import language_data
from bots.wiki.session import WikiSession


def run(
    session: WikiSession, config: Config, options: RunOptions, report: JobReport | None = None
) -> JobReport:
    """The job entry point (see ``bots.operations.jobs``)."""
    # run_job passes the report in, so what was done before a mid-run stop is still reported
    report = report if report is not None else JobReport(job="digest")
    if options.simulate and not session.simulate:
        # writes obey the session's flag only; never risk a "dry run" that posts
        report.record(Failed(config.digest.subscriber_page,
                             "--simulate needs a simulating session; nothing done"))
        return report
    messages = Messages.load(languages=language_data(session, config.state_path))
    ledger = DeliveryLedger(report, messages)
    templates, site = digest_templates(session, config)
    rules = templates.rules(config.wiki.user, config.digest.send_empty)
    try:
        subscribers = read_subscribers(session, config, templates, ledger)
        period = find_period(session, config, report, now=subscribers.read_at)
        found = targets_and_evidence(session, config, ledger, subscribers, site, period) \
            if period.resumed else None  # a resumed digest looks at its targets first
        if found and period.complete and rerun_settled(ledger, period.digest_id, *found, rules):
            return report  # a same-day rerun: every target has it or is kept off it
        revisions = collect_revisions(session, config, period, report, languages=sorted(
            {s.lang for s in subscribers.subscribers}), case_names=templates.case,
            position_names=templates.position, names=site.namespaces)
        content = with_sources(session, config, period, report, digest_content(
            revisions, config, templates.case, report.notes))
    except RunStop:
        return report
    report.notes.append(f"digest {period.digest_id}: {period.start} to {period.end}"
                        f"{' (resumed)' if period.resumed else ''}, {content.item_count} items")
    if not content.item_count and not config.digest.send_empty and not period.resumed:
        report.notes.append("nothing new in the period: no digest sent, no archive")
        return report
    targets, delivered = found or targets_and_evidence(session, config, ledger, subscribers,
                                                       site, period)
    ctx = RenderContext(messages, config.digest.subscriber_page, config.digest.unsubscribe_page,
                        period.archive_page, next(iter(config.digest.hub_pages), ""),
                        revisions.hub_versions)
    plan = plan_deliveries(content, targets, delivered, ctx, rules)
    fresh = Freshness(site, evidence_query(config, targets, period))
    publish(session, options, ctx, ledger, content, plan, period.archive_page, fresh)
    return report
