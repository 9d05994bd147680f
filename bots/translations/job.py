"""`advocacy-hub run translations`: keep every translation status table on the wiki current.

On-wiki contract: between ``{{<translation_start>|...}}`` and ``{{<translation_end>}}`` (names
from ``config.templates``; parameters in ``bots.translations.view``) the bot keeps a table of
how far the selected pages are translated. It writes the inner content of those regions and
nothing else, only on pages the configuration allows.

The recipe: **collect** (``bots.translations.collect``: site facts, marker pages, then the
statuses of every page the markers select, read together) -> **build**
(``bots.translations.build``: each region rendered once; pure) -> **publish**
(``bots.translations.publish``: one guarded save per page; nothing read or rendered). A page
that fails (an error box, the circuit breaker, too large, a save refused) is reported with its
reason and fails the run; every other page is still updated.
"""

from __future__ import annotations

from bots.config.model import Config
from bots.errors import BotStop
from bots.i18n.messages import Messages
from bots.outcomes import Failed, JobReport
from bots.progress import progress
from bots.run_options import RunOptions
from bots.translations.breaker import Breaker
from bots.translations.build import build_updates, page_limit
from bots.translations.collect import collect
from bots.translations.publish import publish
from bots.wiki.languageinfo import language_data
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

    messages = Messages.load(languages=language_data(session, config.state_path))
    settings = config.translations
    breaker = Breaker(settings.max_removed_share, settings.min_removed_rows, options.force)
    limit = page_limit(collected.facts)
    language = collected.facts.content_language
    for update in progress(build_updates(collected, messages, breaker),
                           label="saving status pages", enabled=options.progress):  # fmt: skip
        title = update.page.snapshot.title
        if not options.writes(title):  # suspended after repeated failures (operations)
            continue
        report.notes.extend(update.notes)
        try:
            outcome, notes = publish(session, update, collected.markers, messages, options,
                                     content_language=language, max_bytes=limit)  # fmt: skip
        except BotStop:
            raise
        except Exception as exc:  # one page's failure never stops the others
            outcome, notes = Failed(title, f"could not be saved: {type(exc).__name__}: {exc}"), []
        report.notes.extend(notes)
        report.record(outcome)
        for failure in update.failures:
            report.notes.append(f"{title}: {failure}")
            report.record(Failed(title, failure))
    return report
