"""The digest's archive page: its record line, the digest as a whole (in English), and the
delivery report. Pure.

The archive page is ``config.digest.archive_prefix`` + the digest's id. It is saved before the
deliveries (state ``delivering``, the targets still to post to listed as pending) and after them
(state ``complete``); its first line is the :class:`~bots.digest.ids.ArchiveRecord` that
``bots.digest.period`` reads the period back from. The delivery report says, per subscriber
line, who received the digest and who was skipped and why (each reason rendered by
``bots.wikitext.problems.problem_text``, the one rendering of a problem).

Every subscriber call has its own entry (``line 3, call 2`` when several calls share a line).
The page is bounded below the wiki's maximum page size: each group of the report lists at most
:data:`MAX_REPORT_ENTRIES` entries and counts the rest, and when the page would still be too
big (a huge period, or a list padded with junk calls) the lists are cut further and a notice
says so. Lines that are not subscriptions add nothing; a save can never fail for size while
posts went out.
"""

from __future__ import annotations

from collections.abc import Sequence

from bots.digest.content import DigestContent
from bots.digest.ids import ArchiveRecord
from bots.digest.ledger import REPORT_LANG, DeliveryLine, DeliveryReport
from bots.digest.message import RenderContext, Writer, bdi, digest_body
from bots.wiki.records import DEFAULT_MAX_PAGE_BYTES
from bots.wikitext.escape import escape_inline, internal_link
from bots.wikitext.problems import problem_text


def _link_or_text(title: str, linkable: bool = True) -> str:
    # A title made only of invisible characters has nothing left to link to: show it as text.
    if linkable:
        try:
            return internal_link(title)
        except ValueError:
            pass
    return bdi(escape_inline(title, 120))


def _report_target(d: DeliveryLine) -> str:
    if not d.page:
        return ""
    link = _link_or_text(d.page, d.linkable)
    if d.delivered_to and d.delivered_to != d.page:
        link += " → " + _link_or_text(d.delivered_to)
    return link


MAX_REPORT_ENTRIES = 200  # entries of one group of the delivery report
SIZE_MARGIN = 0.8  # share of the wiki's maximum page size the archive may use
DEFAULT_MAX_BYTES = DEFAULT_MAX_PAGE_BYTES  # MediaWiki's default; the job passes the wiki's own


def _where(w: Writer, line: int, call: int, shared: set[int]) -> str:
    return w.msg("report-line-call", line, call) if line in shared else w.msg("report-line", line)


def _shared_lines(report: DeliveryReport) -> set[int]:
    """Lines with several calls on them (their entries name the call too)."""
    calls = [d.key for d in report.lines] + list(report.calls)
    return {line for line, call in calls if call > 1}


def _more(w: Writer, lines: list[str], entries: Sequence[object], shown: int) -> None:
    if len(entries) > shown:
        lines.append(f"* {w.msg('more', len(entries) - shown)}")


def render_report(
    report: DeliveryReport, ctx: RenderContext, max_entries: int = MAX_REPORT_ENTRIES
) -> list[str]:
    w = Writer(ctx, REPORT_LANG)
    lines: list[str] = []
    shared = _shared_lines(report)
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
        ordered = sorted(entries, key=lambda e: (e.line, e.call, e.page))
        for d in ordered[:max_entries]:
            where = _where(w, d.line, d.call, shared)
            target = _report_target(d)
            item = f"{where}{w.msg('colon')}{target}" if target else where
            if d.lang and d.reason is None:
                item += f" ({escape_inline(d.lang, 20)})"
            if d.reason is not None:
                item += w.msg("colon") + problem_text(d.reason, ctx.messages, REPORT_LANG)
            lines.append(f"* {item}")
        _more(w, lines, ordered, max_entries)
        lines.append("")
    if report.warnings:
        lines.append(f"'''{w.msg('report-warnings', len(report.warnings))}'''")
        calls = list(report.calls) or [(line, 1) for line, _p, _q in report.warnings]
        warnings = sorted(zip(report.warnings, calls, strict=False),
                          key=lambda x: (x[1], x[0][2].code))
        for (_line, _page, problem), (line, call) in warnings[:max_entries]:
            lines.append(
                f"* {_where(w, line, call, shared)}{w.msg('colon')}"
                f"{problem_text(problem, ctx.messages, REPORT_LANG)}"
            )
        _more(w, lines, warnings, max_entries)
        lines.append("")
    return lines


def render_archive(
    content: DigestContent, report: DeliveryReport, ctx: RenderContext, *, complete: bool,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> str:
    """The archive page: record, the digest as a whole (English), and the delivery report,
    bounded below ``max_bytes`` (the wiki's maximum page size) with a margin."""
    limit = int(max_bytes * SIZE_MARGIN)
    text = _render_archive(content, report, ctx, complete, None, MAX_REPORT_ENTRIES, False)
    cap = MAX_REPORT_ENTRIES
    while len(text.encode("utf-8")) > limit and cap > 0:
        cap //= 4
        text = _render_archive(content, report, ctx, complete, cap, cap, True)
    return text


def _render_archive(
    content: DigestContent, report: DeliveryReport, ctx: RenderContext, complete: bool,
    max_items: int | None, max_entries: int, cut: bool,
) -> str:
    w = Writer(ctx, REPORT_LANG)
    record = ArchiveRecord(content.digest_id, content.start, content.end, complete,
                           content.marks)
    parts = [
        record.marker(),
        w.msg("archive-intro", content.digest_id, content.start[:10], content.end[:10],
              internal_link(ctx.subscriber_page)),
        "",
        *([w.msg("archive-cut"), ""] if cut else []),
        f"== {w.msg('archive-content')} ==",
        *digest_body(w, content, max_items),
        "",
        f"== {w.msg('archive-report')} ==",
    ]
    if not complete:
        parts.append(w.msg("archive-in-progress"))
        parts.append("")
    parts.extend(render_report(report, ctx, max_entries))
    return "\n".join(parts).rstrip() + "\n"


def archive_summary(report: DeliveryReport, ctx: RenderContext, digest: str) -> str:
    """The archive edit's summary: the digest's id and how many lines received it or not; while
    posts are still pending (the save before the deliveries), how many it is going to."""
    if report.pending:
        return ctx.messages.msg(
            "advocacyhub-digest-archive-summary-delivering", REPORT_LANG, digest,
            len(report.pending), len(report.received), len(report.skipped),
        )
    return ctx.messages.msg(
        "advocacyhub-digest-archive-summary", REPORT_LANG, digest,
        len(report.received), len(report.skipped),
    )
