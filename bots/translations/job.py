"""`advocacy-hub run translations`: keep every translation status table on the wiki current.

Recipe: **collect** (site facts, marker pages, page listings, batched reads or the Translate
API) -> **build** (``bots.translation_status.records`` records, ``bots.translations.view`` and
``bots.translations.table`` tables, ``bots.translations.summary`` summaries; pure) -> **publish**
(``save_page``, only between the markers, only on pages the configuration allows).

Reads: the pages carrying ``{{<translation_start>}}`` (``embeddedin`` with content, in
``permissions.edit_namespaces``); the pages each marker names; for pages with translation units
either Translate's statistics (``meta=messagegroupstats``/``languagestats``, when the wiki has
the extension and ``translations.source`` allows it) or the unit pages in namespace
``translations.unit_namespace`` (listed by prefix, read in batches); for pages translated by
hand, their language subpages (listed by prefix, read in batches, revision times only).
Writes: the inner content of marker regions, nothing else.

Other jobs use :func:`collect_statuses`, :func:`translation_needs` (digest) and
:func:`case_translations` (the case index's languages column).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TextIO

from bots.config.model import Config
from bots.config.permissions import edit_refusal
from bots.i18n.messages import Messages
from bots.outcomes import EditOutcome, Failed, JobReport, Skipped
from bots.run_options import RunOptions
from bots.translation_status.collect import (
    SiteFacts,
    StatusCollector,
    read_site_facts,
    use_translate_api,
)
from bots.translations.summary import describe_changes, edit_summary
from bots.translations.table import render_status_view, render_view_errors
from bots.translations.view import StatusView, parse_status_view, view_lang
from bots.wiki.records import PageSnapshot
from bots.wiki.saves import save_page
from bots.wiki.session import WikiSession
from bots.wiki.templates import template_names
from bots.wikitext.markers import (
    MarkerScan,
    find_marker_regions,
    inner_was_edited_by_human,
    replace_regions,
    stamp_content,
    strip_stamp,
)
from bots.wikitext.problems import Problem


@dataclass(frozen=True)
class _Markers:
    start: str
    end: str
    start_aliases: frozenset[str]
    end_aliases: frozenset[str]

    def scan(self, text: str) -> MarkerScan:
        return find_marker_regions(
            text,
            self.start,
            self.end,
            extra_names=self.start_aliases,
            extra_end_names=self.end_aliases,
        )


@dataclass
class _Context:
    session: WikiSession
    config: Config
    facts: SiteFacts
    messages: Messages
    collector: StatusCollector
    markers: _Markers
    report: JobReport


def _render_region(
    params: Mapping[str, str], page_lang: str, ctx: _Context
) -> tuple[str | None, bool]:
    """(region body or None to leave the region as it is, whether it is an error box)."""
    view = parse_status_view(params)
    lang = view_lang(params) or page_lang
    if isinstance(view, list):
        return render_view_errors(view, ctx.messages, lang), True
    statuses = ctx.collector.statuses(view)
    if statuses is None:
        return None, False
    if statuses and isinstance(statuses[0], Problem):
        return render_view_errors(statuses, ctx.messages, lang), True  # type: ignore[arg-type]
    body = render_status_view(
        view,
        statuses,  # type: ignore[arg-type]
        ctx.messages,
        page_lang,
        content_language=ctx.facts.content_language,
        language_names=ctx.facts.language_names,
    )
    return body, False


def _publish(snapshot: PageSnapshot, ctx: _Context, *, diff: bool, out: TextIO) -> EditOutcome:
    errors: list[bool] = []

    def page_lang(base: PageSnapshot) -> str:
        return base.language or ctx.facts.content_language

    def build(base: PageSnapshot) -> str | None:
        text = base.text or ""
        scan = ctx.markers.scan(text)
        if not scan.ok or not scan.regions:
            return None
        errors.clear()
        new_inner = {}
        for region in scan.regions:
            body, is_error = _render_region(region.params, page_lang(base), ctx)
            if body is None:
                ctx.report.notes.append(
                    f"{base.title}: region on line {region.line} left as it was "
                    "(Translate's statistics are not ready yet)"
                )
                continue
            errors.append(is_error)
            new_inner[region.index] = stamp_content(body)
        if not new_inner:
            return None
        return replace_regions(text, scan.regions, new_inner)

    def summary(base: PageSnapshot, new_text: str) -> str:
        old = ctx.markers.scan(base.text or "").regions
        new = ctx.markers.scan(new_text).regions
        pairs = list(zip(old, new, strict=False))
        changes = [describe_changes(strip_stamp(o.inner), strip_stamp(n.inner)) for o, n in pairs]
        touched = [o for (o, _n), c in zip(pairs, changes, strict=False) if c.anything]
        # never written by the bot (empty, or the editor's "the bot will fill this in")
        created = bool(touched) and all(not _was_stamped(o.inner) for o in touched)
        human = [o for o in old if _was_stamped(o.inner) and inner_was_edited_by_human(o.inner)]
        if human:
            ctx.report.notes.append(
                f"{base.title}: replaced a manual edit inside the status table "
                f"(revision {base.revid} by {base.user})"
            )
        lang = next((view_lang(o.params) for o in old if view_lang(o.params)), page_lang(base))
        return edit_summary(
            changes,
            ctx.messages,
            lang,
            created=created,
            errors=any(errors),
            human_revid=base.revid if human else None,
        )

    return save_page(
        ctx.session,
        snapshot.title,
        build,
        summary,
        base=snapshot,
        show_diff=diff,
        diff_out=out,
    )


def _was_stamped(inner: str) -> bool:
    return strip_stamp(inner) != inner.strip("\n")


def run(
    session: WikiSession, config: Config, options: RunOptions, report: JobReport | None = None
) -> JobReport:
    """Update every translation status table on the wiki (the job contract of
    ``bots.operations.jobs``)."""
    # run_job passes the report in, so what was done before a mid-run stop is still reported
    report = report if report is not None else JobReport(job="translations")
    messages = Messages.load()
    facts = read_site_facts(session)
    if config.translations.source == "translate" and not facts.has_translate:
        reason = "translations.source is 'translate' but the wiki has no Translate extension"
        report.record(Failed(config.path, reason))
        return report
    templates = config.templates
    names = template_names(session, [templates.translation_start, templates.translation_end])
    markers = _Markers(
        templates.translation_start,
        templates.translation_end,
        names[templates.translation_start],
        names[templates.translation_end],
    )
    marker_pages = sorted(
        session.embedded_in(
            templates.translation_start,
            namespaces=config.permissions.edit_namespaces,
            content=True,
        ),
        key=lambda s: s.title,
    )
    report.pages_read += len(marker_pages)
    plans: list[tuple[PageSnapshot, MarkerScan]] = []
    for snap in marker_pages:
        refusal = edit_refusal(snap.title, snap.namespace, config)
        if refusal:
            report.record(Skipped(snap.title, refusal))
            continue
        scan = markers.scan(snap.text or "")
        if scan.error is not None:
            reason = f"markers not usable, page left untouched: {scan.error.reason}"
            report.record(Skipped(snap.title, reason))
            report.notes.append(f"{snap.title}: {reason}")
            continue
        if scan.regions:
            plans.append((snap, scan))
    collector = StatusCollector(
        session,
        config,
        facts,
        exclude=(s.title for s in marker_pages),
        use_api=use_translate_api(config, facts),
    )
    views = [
        view
        for _snap, scan in plans
        for region in scan.regions
        if isinstance(view := parse_status_view(region.params), StatusView)
    ]
    collector.collect(views)
    ctx = _Context(session, config, facts, messages, collector, markers, report)
    for snap, _scan in plans:
        report.record(_publish(snap, ctx, diff=options.diff, out=options.out))
    report.pages_read += collector.pages_read
    return report
