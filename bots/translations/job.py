"""`advocacy-hub run translations`: keep every translation status table on the wiki current.

On-wiki contract: between ``{{<translation_start>|...}}`` and ``{{<translation_end>}}`` (names
from ``config.templates``; parameters in ``bots.translations.view``) the bot keeps a table of
how far the selected pages are translated. It writes the inner content of those regions and
nothing else, only on pages the configuration allows.

The recipe: **collect** (``bots.translations.collect``: site facts, marker pages, then the
statuses of every page the markers select, read together) -> **build**
(``bots.translations.build``: each region rendered once; pure) -> **publish**
(``bots.translations.publish``: one guarded save per page; nothing read or rendered).
"""

from __future__ import annotations

from bots.config.model import Config
from bots.i18n.messages import Messages
from bots.outcomes import Failed, JobReport
from bots.progress import progress
from bots.run_options import RunOptions
from bots.translations.build import build_updates
from bots.translations.collect import collect
from bots.translations.publish import publish
from bots.wiki.session import WikiSession


def run(
    session: WikiSession, config: Config, options: RunOptions, report: JobReport | None = None
) -> JobReport:
    """Update every translation status table on the wiki (the job contract of
    ``bots.operations.jobs``)."""
    # run_job passes the report in, so what was done before a mid-run stop is still reported
    report = report if report is not None else JobReport(job="translations")
    collected = collect(session, config, options)
    if isinstance(collected, Failed):
        report.record(collected)
        return report
    report.pages_read += collected.pages_read
    for skipped in collected.skipped:
        report.record(skipped)
    report.notes.extend(collected.notes)

    messages = Messages.load()
    updates = build_updates(collected, messages)

    saving = progress(updates, label="saving status pages", enabled=options.progress)
    for update in saving:
        report.notes.extend(update.notes)
        outcome, notes = publish(
            session,
            update,
            collected.markers,
            messages,
            options,
            content_language=collected.facts.content_language,
        )
        report.notes.extend(notes)
        report.record(outcome)
    return report
