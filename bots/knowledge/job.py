"""The knowledge job: lessons, partners, whom to ask and positions, kept current on the wiki.

Recipe: collect (cases, partner and position pages, the pages with knowledge markers:
``bots.knowledge.collect``) -> build (the partners directory merged from the cases; each marker
page rendered once, below the wiki's maximum page size: ``bots.knowledge.build``) -> publish
(guarded saves, only between markers, only on change: ``bots.knowledge.publish``). The views'
on-wiki contract is in ``bots.knowledge.views``; editors' and operators' guide:
docs/knowledge.md.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bots.config.model import Config
from bots.i18n.messages import Messages
from bots.knowledge.build import KnowledgeContent, build_pages, page_budget
from bots.knowledge.collect import collect
from bots.knowledge.partners import alias_map, build_partners
from bots.knowledge.publish import publish_pages
from bots.outcomes import Failed, JobReport
from bots.run_options import RunOptions
from bots.wiki.limits import max_page_bytes
from bots.wiki.session import WikiSession

__all__ = ["ask_page", "run"]


def ask_page(config: Config) -> str:
    """Where to ask when a region has no contact: the configured page, or the hub's talk page."""
    if config.knowledge.ask_page:
        return config.knowledge.ask_page
    hub = config.digest.hub_pages[0] if config.digest.hub_pages else ""
    return f"Talk:{hub}" if hub and ":" not in hub else ""


def run(
    session: WikiSession, config: Config, options: RunOptions, report: JobReport | None = None
) -> JobReport:
    # run_job passes the report in, so what was done before a mid-run stop is still reported
    report = report if report is not None else JobReport(job="knowledge")
    messages = Messages.load()
    settings = config.knowledge
    today = datetime.now(UTC).date()

    # collect
    collected = collect(session, config, messages)
    report.pages_read += collected.pages_read
    report.notes.extend(collected.notes)
    for title, reason in collected.refused:  # a bad partner or position page fails the run
        report.record(Failed(title, reason))
    if not collected.others.report(report):  # a source wiki not refreshed: pages left alone
        return report

    # build
    aliases = alias_map(settings.partner_aliases, collected.partner_pages)
    report.notes.extend(f"{title}: {reason}" for title, reason in aliases.conflicts)
    partners = build_partners(
        collected.cases, collected.partner_pages, aliases, today=today,
        dormant_years=settings.dormant_years, active_statuses=settings.active_statuses,
    )  # fmt: skip
    content = KnowledgeContent(
        config=config, messages=messages, markers=collected.markers, cases=collected.cases,
        partners=tuple(partners), positions=collected.positions, today=today,
        ask_page=ask_page(config), budget=page_budget(max_page_bytes(session)),
        wikis=collected.others.wikis,
    )  # fmt: skip
    # watch mode, refresh requests and suspended pages narrow what this run writes
    pages = tuple(p for p in collected.pages if options.writes(p.snapshot.title))
    builds = build_pages(content, pages)

    # publish
    publish_pages(session, options, content, pages, builds, report)
    return report
