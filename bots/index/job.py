"""The case index job: every case page, parsed, in every index view on the wiki.

Recipe: collect (the case pages of every taking-part wiki, parsed or from the cache,
``bots.index.collect_wikis``; the pages with index markers that the bot may edit,
``bots.index.marker_pages``; which translations are outdated, when a view shows them) ->
build (each marker page rendered once, ``bots.index.build``) -> publish (the guarded save,
circuit breaker first, ``bots.index.publish``). The on-wiki contract of the views is in
``bots.index.view_params``; editors' and operators' guide: docs/index.md; several wikis:
docs/multiwiki.md.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bots.config.model import Config
from bots.i18n.messages import Messages
from bots.index.build import IndexContent, build_pages
from bots.index.collect_wikis import collect_wiki_cases
from bots.index.marker_pages import collect_marker_pages, marker_names
from bots.index.outdated_languages import with_outdated_languages
from bots.index.page_size import page_budget
from bots.index.publish import publish_pages
from bots.outcomes import JobReport
from bots.run_options import RunOptions
from bots.wiki.languageinfo import language_data
from bots.wiki.limits import max_page_bytes
from bots.wiki.session import WikiSession
from bots.wiki.siteinfo import extension_names
from bots.wiki.templates import template_names

__all__ = ["run"]


def run(
    session: WikiSession, config: Config, options: RunOptions, report: JobReport | None = None
) -> JobReport:
    # run_job passes the report in, so what was done before a mid-run stop is still reported
    report = report if report is not None else JobReport(job="index")
    messages = Messages.load(languages=language_data(session, config.state_path))
    templates = config.templates
    names = template_names(session, [templates.case, templates.index_start, templates.index_end])

    # collect
    collected, wikis = collect_wiki_cases(session, config, messages, report,  # every wiki's
                                          names=names[templates.case],
                                          show_progress=options.progress)  # fmt: skip
    report.notes.append(collected.summary())
    markers = marker_names(config, names)
    marker_pages = collect_marker_pages(session, config, messages, markers)
    page_problems = marker_pages.problems  # of every page: they show in every attention list
    if options.only_pages or options.skip_pages:  # watch mode, refresh requests, suspensions
        marker_pages = replace(marker_pages, pages=tuple(
            p for p in marker_pages.pages if options.writes(p.title)))
    report.pages_read += len(marker_pages.pages)
    report.notes.extend(marker_pages.notes())
    if any(page.shows_languages for page in marker_pages.pages):
        collected = with_outdated_languages(session, config, collected)

    # build
    content = IndexContent(
        names=markers,
        cases=tuple(collected.cases),
        attention=(*collected.results, *page_problems),
        messages=messages,
        config=config,
        force=options.force,
        budget=page_budget(max_page_bytes(session)),  # from the login's siteinfo: no request
        today=datetime.now(UTC).date().isoformat(),  # dates only views whose content changes
        extensions=extension_names(session) if marker_pages.ask_create else frozenset(),
        wikis=wikis,
    )
    content, builds = build_pages(content, marker_pages.pages)

    # publish
    publish_pages(session, options, content, builds, report)
    return report
