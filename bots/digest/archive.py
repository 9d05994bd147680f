"""The digest's archive page: its record line, the digest as a whole (in English), and the
delivery report. Pure.

The archive page is ``config.digest.archive_prefix`` + the digest's id. It is saved before the
deliveries (state ``delivering``, the targets still to post to listed as pending) and after them
(state ``complete``); its first line is the :class:`~bots.digest.ids.ArchiveRecord` that
``bots.digest.period`` reads the period back from. The delivery report says, per subscriber
line, who received the digest and who was skipped and why (each reason rendered by
``bots.wikitext.problems.problem_text``, the one rendering of a problem).
"""

from __future__ import annotations

from bots.digest.content import DigestContent
from bots.digest.ids import ArchiveRecord
from bots.digest.ledger import REPORT_LANG, DeliveryLine, DeliveryReport
from bots.digest.message import RenderContext, Writer, bdi, digest_body
from bots.wikitext.escape import escape_inline, internal_link
from bots.wikitext.problems import problem_text


def _report_target(d: DeliveryLine) -> str:
    if not d.page:
        return ""
    link = internal_link(d.page) if d.linkable else bdi(escape_inline(d.page, 120))
    if d.delivered_to and d.delivered_to != d.page:
        link += " → " + internal_link(d.delivered_to)
    return link


def render_report(report: DeliveryReport, ctx: RenderContext) -> list[str]:
    w = Writer(ctx, REPORT_LANG)
    lines: list[str] = []
    groups = (
        ("report-received", report.received),
        ("report-pending", report.pending),
        ("report-skipped", report.skipped),
    )
    for key, entries in groups:
        if key == "report-pending" and not entries:
            continue
        lines.append(f"'''{w.msg(key, len(entries))}'''")
        if not entries:
            lines.append(f"* {w.msg('report-none')}")
        for d in sorted(entries, key=lambda e: (e.line, e.page)):
            where = w.msg("report-line", d.line)
            target = _report_target(d)
            item = f"{where}{w.msg('colon')}{target}" if target else where
            if d.lang and d.reason is None:
                item += f" ({escape_inline(d.lang, 20)})"
            if d.reason is not None:
                item += w.msg("colon") + problem_text(d.reason, ctx.messages, REPORT_LANG)
            lines.append(f"* {item}")
        lines.append("")
    if report.warnings:
        lines.append(f"'''{w.msg('report-warnings', len(report.warnings))}'''")
        for line, _page, problem in sorted(report.warnings, key=lambda x: (x[0], x[2].code)):
            lines.append(
                f"* {w.msg('report-line', line)}{w.msg('colon')}"
                f"{problem_text(problem, ctx.messages, REPORT_LANG)}"
            )
        lines.append("")
    return lines


def render_archive(
    content: DigestContent, report: DeliveryReport, ctx: RenderContext, *, complete: bool
) -> str:
    """The archive page: record, the digest as a whole (English), and the delivery report."""
    w = Writer(ctx, REPORT_LANG)
    record = ArchiveRecord(content.digest_id, content.start, content.end, complete)
    parts = [
        record.marker(),
        w.msg("archive-intro", content.digest_id, content.start[:10], content.end[:10],
              internal_link(ctx.subscriber_page)),
        "",
        f"== {w.msg('archive-content')} ==",
        *digest_body(w, content),
        "",
        f"== {w.msg('archive-report')} ==",
    ]
    if not complete:
        parts.append(w.msg("archive-in-progress"))
        parts.append("")
    parts.extend(render_report(report, ctx))
    return "\n".join(parts).rstrip() + "\n"


def archive_summary(report: DeliveryReport, ctx: RenderContext, digest: str) -> str:
    """The archive edit's summary: the digest's id and how many lines received it or not."""
    return ctx.messages.msg(
        "advocacyhub-digest-archive-summary", REPORT_LANG, digest,
        len(report.received), len(report.skipped),
    )
