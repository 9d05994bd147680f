"""The digest's content and its wikitext: what changed in a period, per subscriber. Pure.

A digest covers one period (start, end] and has an id, the UTC date of the period's end
(``2026-11-30``). Its content is:

* new cases: pages that became case pages in the period (created, or given the case template);
* status changes: the case's ``status`` at the start of the period differs from the one at the
  end (``active`` -> ``success``);
* other notable updates, summarised per case: lessons learned changed, partners, methods,
  countries or topics added, an end date set (other edits, typo fixes included, are not news);
* new discussions: level-2 sections that appeared in the period on the talk pages of case pages
  and of the hub pages (sections the bot posted itself are left out);
* translation needs: pages whose translation into the subscriber's language is missing or
  outdated and whose source or translation changed in the period.

Contacts never appear in a digest, whether the case is sensitive or not: a digest goes to many
talk pages, and a user link there would ping the contact each time. Every value copied from a
page is escaped (``bots.wikitext.escape``) and isolated with ``<bdi>``.

Delivery is recorded twice, so a rerun can tell where a digest already arrived: an invisible
marker ``<!-- advocacy-hub-digest: ID -->`` opens the posted section, and the edit summary ends
with ``(advocacy-hub-digest:ID)``. The archive page (``config.digest.archive_prefix`` + id) starts
with ``<!-- advocacy-hub-digest-archive: id=… start=… end=… state=… -->``, from which the next run
reads where its period starts.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import mwparserfromhell

from bots.i18n.messages import Messages
from bots.wikitext.escape import escape_inline, internal_link
from bots.wikitext.markers import masked_spans
from bots.wikitext.problems import Problem

ARCHIVE_LANG = "en"
SUMMARY_MAX_LEN = 120  # characters of a case summary shown with a new case

_ID_RE = r"\d{4}-\d{2}-\d{2}"
_MARKER_RE = re.compile(rf"<!--\s*advocacy-hub-digest:\s*({_ID_RE})\s*-->")
_ARCHIVE_RE = re.compile(
    rf"<!--\s*advocacy-hub-digest-archive:\s*id=({_ID_RE})\s+start=(\S+)\s+end=(\S+)"
    r"\s+state=(complete|delivering)\s*-->"
)
_TIMESTAMP_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_HEADING_RE = re.compile(r"^(={1,6})(.+?)\1[ \t]*$", re.MULTILINE)


# ---------------------------------------------------------------------------------------------
# Ids and markers


def digest_id(period_end: str) -> str:
    """The id of the digest whose period ends at ``period_end`` (ISO 8601, UTC): its date."""
    if not _TIMESTAMP_RE.fullmatch(period_end):
        raise ValueError(f"not an ISO 8601 UTC timestamp: {period_end!r}")
    return period_end[:10]


def delivery_marker(digest: str) -> str:
    return f"<!-- advocacy-hub-digest: {digest} -->"


def has_delivery_marker(text: str | None, digest: str) -> bool:
    """Whether a page's text holds the marker of this digest (anywhere: headings move)."""
    return bool(text) and any(m.group(1) == digest for m in _MARKER_RE.finditer(text or ""))


def summary_token(digest: str) -> str:
    return f"advocacy-hub-digest:{digest}"


def summary_has_token(comment: str, digest: str) -> bool:
    token = summary_token(digest)
    return re.search(re.escape(token) + r"(?![\d-])", comment) is not None


@dataclass(frozen=True)
class ArchiveRecord:
    """The machine-readable head of an archive page."""

    digest_id: str
    start: str
    end: str
    complete: bool

    def marker(self) -> str:
        state = "complete" if self.complete else "delivering"
        return (
            f"<!-- advocacy-hub-digest-archive: id={self.digest_id} start={self.start} "
            f"end={self.end} state={state} -->"
        )


def parse_archive_record(text: str | None) -> ArchiveRecord | None:
    """The record at the head of an archive page, or None when it is missing or damaged."""
    m = _ARCHIVE_RE.search(text or "")
    if m is None:
        return None
    digest, start, end, state = m.groups()
    if not (_TIMESTAMP_RE.fullmatch(start) and _TIMESTAMP_RE.fullmatch(end)):
        return None
    if start >= end or digest_id(end) != digest:
        return None
    return ArchiveRecord(digest, start, end, state == "complete")


# ---------------------------------------------------------------------------------------------
# Content


@dataclass(frozen=True)
class CaseFacts:
    """What the digest may say about a case. Contacts are deliberately not here."""

    page: str
    title: str
    region: str = ""
    topics: tuple[str, ...] = ()
    status: str = ""
    summary: str = ""
    countries: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    lessons: str = ""
    end: str = ""


def case_facts(case: Any) -> CaseFacts:
    """The digest's view of a ``Case`` (contacts and the sensitive flag dropped)."""
    return CaseFacts(
        page=case.page,
        title=case.title or case.page,
        region=case.region,
        topics=tuple(case.topics),
        status=case.status,
        summary=case.summary,
        countries=tuple(case.countries),
        methods=tuple(case.methods),
        partners=tuple(case.partners),
        lessons=case.lessons,
        end=str(case.end) if case.end else "",
    )


@dataclass(frozen=True)
class CaseUpdate:
    """One summarised update: ``kind`` is lessons, partners, methods, countries, topics or end."""

    kind: str
    count: int = 0
    value: str = ""


@dataclass(frozen=True)
class CaseChange:
    case: CaseFacts  # at the end of the period
    new: bool = False
    old_status: str = ""  # set when the status changed
    updates: tuple[CaseUpdate, ...] = ()


def _added(before: Sequence[str], after: Sequence[str]) -> int:
    seen = {v.casefold() for v in before}
    return sum(1 for v in after if v.casefold() not in seen)


def compare_case(before: CaseFacts | None, after: CaseFacts) -> CaseChange | None:
    """What a digest reports about a case between two states; None when nothing notable."""
    if before is None:
        return CaseChange(after, new=True)
    updates: list[CaseUpdate] = []
    if after.lessons.strip() and after.lessons.split() != before.lessons.split():
        updates.append(CaseUpdate("lessons"))
    for kind in ("partners", "methods", "countries", "topics"):
        count = _added(getattr(before, kind), getattr(after, kind))
        if count:
            updates.append(CaseUpdate(kind, count))
    if after.end and after.end != before.end:
        updates.append(CaseUpdate("end", value=after.end))
    old_status = before.status if before.status != after.status else ""
    if not updates and not old_status:
        return None
    return CaseChange(after, old_status=old_status, updates=tuple(updates))


@dataclass(frozen=True)
class Discussion:
    """A section added in the period; ``case`` is None on a hub page's talk page."""

    talk_page: str
    heading: str  # plain text, as shown
    subject: str
    case: CaseFacts | None = None


@dataclass(frozen=True)
class TranslationNeed:
    page: str
    language: str
    total: int
    translated: int
    outdated: int
    case: CaseFacts | None = None

    @property
    def title(self) -> str:
        return self.case.title if self.case else self.page


def needs_translation(total: int, translated: int, outdated: int) -> bool:
    return outdated > 0 or translated < total


def _section_bodies(text: str) -> list[tuple[str, str]]:
    """(plain heading, body) of each level-2 section, in page order."""
    spans = masked_spans(text)
    heads = [
        m for m in _HEADING_RE.finditer(text)
        if len(m.group(1)) == 2 and not any(b <= m.start() < e for b, e in spans)
    ]
    out = []
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        plain = mwparserfromhell.parse(m.group(2)).strip_code(normalize=True, collapse=True)
        out.append((" ".join(plain.split()), text[m.end() : end]))
    return out


def added_sections(before: str | None, after: str | None) -> tuple[str, ...]:
    """Headings of the level-2 sections in ``after`` that ``before`` did not have.

    Sections are compared by heading (a repeated heading counts again); sections holding a
    digest's delivery marker are the bot's own posts and never count as discussions.
    """
    old = Counter(h for h, _ in _section_bodies(before or ""))
    new: list[str] = []
    for heading, body in reversed(_section_bodies(after or "")):
        if old[heading] > 0:
            old[heading] -= 1
        elif heading and not _MARKER_RE.search(body):
            new.append(heading)
    return tuple(reversed(new))


@dataclass(frozen=True)
class DigestContent:
    digest_id: str
    start: str
    end: str
    new_cases: tuple[CaseChange, ...] = ()
    status_changes: tuple[CaseChange, ...] = ()
    updates: tuple[CaseChange, ...] = ()
    discussions: tuple[Discussion, ...] = ()
    translation_needs: tuple[TranslationNeed, ...] = ()

    @property
    def item_count(self) -> int:
        return (
            len(self.new_cases) + len(self.status_changes) + len(self.updates)
            + len(self.discussions) + len(self.translation_needs)
        )


def build_content(
    digest: str,
    start: str,
    end: str,
    changes: Iterable[CaseChange],
    discussions: Iterable[Discussion] = (),
    needs: Iterable[TranslationNeed] = (),
) -> DigestContent:
    """Sort everything (by title, then page) so that the same period gives the same text."""
    changes = list(changes)

    def by_case(c: CaseChange) -> tuple[str, str]:
        return (c.case.title.casefold(), c.case.page)

    return DigestContent(
        digest_id=digest,
        start=start,
        end=end,
        new_cases=tuple(sorted((c for c in changes if c.new), key=by_case)),
        status_changes=tuple(
            sorted((c for c in changes if not c.new and c.old_status), key=by_case)
        ),
        updates=tuple(sorted((c for c in changes if not c.new and c.updates), key=by_case)),
        discussions=tuple(
            sorted(discussions, key=lambda d: (d.talk_page, d.heading.casefold(), d.heading))
        ),
        translation_needs=tuple(
            sorted(
                (n for n in needs if needs_translation(n.total, n.translated, n.outdated)),
                key=lambda n: (n.language, n.title.casefold(), n.page),
            )
        ),
    )


def case_matches(case: CaseFacts | None, regions: Sequence[str], topics: Sequence[str]) -> bool:
    """Whether a subscriber's filters let an item through; items of no case always pass."""
    if case is None:
        return True
    if regions and case.region not in regions:
        return False
    return not topics or bool(set(case.topics) & set(topics))


def for_subscriber(
    content: DigestContent, lang: str, regions: Sequence[str] = (), topics: Sequence[str] = ()
) -> DigestContent:
    """The part of a digest one subscriber receives: filters applied, needs in their language."""

    def keep(c: CaseChange) -> bool:
        return case_matches(c.case, regions, topics)

    return replace(
        content,
        new_cases=tuple(filter(keep, content.new_cases)),
        status_changes=tuple(filter(keep, content.status_changes)),
        updates=tuple(filter(keep, content.updates)),
        discussions=tuple(
            d for d in content.discussions if case_matches(d.case, regions, topics)
        ),
        translation_needs=tuple(
            n for n in content.translation_needs
            if n.language == lang and case_matches(n.case, regions, topics)
        ),
    )


# ---------------------------------------------------------------------------------------------
# Rendering


@dataclass(frozen=True)
class RenderContext:
    messages: Messages
    subscriber_page: str
    unsubscribe_page: str = ""


class _Writer:
    """Messages in one language (the first of the chain that has the digest's messages)."""

    def __init__(self, ctx: RenderContext, lang: str) -> None:
        self.ctx = ctx
        self.requested = lang
        chain = ctx.messages.fallback_chain(lang)
        self.lang = next(
            (c for c in chain if ctx.messages.has("advocacyhub-digest-heading", c)), "en"
        )

    def msg(self, key: str, *params: object) -> str:
        return self.ctx.messages.msg(f"advocacyhub-digest-{key}", self.requested, *params)

    def label(self, kind: str, code: str) -> str:
        """A vocabulary label in the reader's language; an unknown code shows escaped."""
        key = f"advocacyhub-{kind}-{code}"
        chain = self.ctx.messages.fallback_chain(self.requested)
        if not code:
            return self.ctx.messages.msg("advocacyhub-label-unknown", self.requested)
        if any(self.ctx.messages.has(key, c) for c in chain):
            return self.ctx.messages.msg(key, self.requested)
        return escape_inline(code, 60)


def _bdi(wikitext: str) -> str:
    return f"<bdi>{wikitext}</bdi>"


def _case_link(case: CaseFacts) -> str:
    return _bdi(internal_link(case.page, case.title))


def _section_link(d: Discussion) -> str:
    # A heading with characters that cannot be in a link target gets a link to the page only.
    if d.heading and not re.search(r"[\[\]{}|<>#]", d.heading):
        return _bdi(internal_link(f"{d.talk_page}#{d.heading}", d.heading))
    return _bdi(internal_link(d.talk_page, d.heading or d.talk_page))


def _update_text(w: _Writer, update: CaseUpdate) -> str:
    if update.kind == "lessons":
        return w.msg("update-lessons")
    if update.kind == "end":
        return w.msg("update-end", escape_inline(update.value, 20))
    return w.msg(f"update-{update.kind}", update.count)


def _items(w: _Writer, content: DigestContent) -> list[tuple[str, list[str]]]:
    """(section label, list items) of the non-empty sections, in reading order."""
    sections: list[tuple[str, list[str]]] = []
    new = []
    for c in content.new_cases:
        line = w.msg("new-case", _case_link(c.case), w.label("region", c.case.region),
                     w.label("status", c.case.status))
        if c.case.summary:
            line += w.msg("colon") + _bdi(escape_inline(c.case.summary, SUMMARY_MAX_LEN))
        new.append(line)
    status = [
        w.msg("status-change", _case_link(c.case), w.label("status", c.old_status),
              w.label("status", c.case.status))
        for c in content.status_changes
    ]
    updates = [
        w.msg("update", _case_link(c.case),
              w.msg("list-separator").join(_update_text(w, u) for u in c.updates))
        for c in content.updates
    ]
    discussions = [
        w.msg("discussion", _section_link(d),
              _case_link(d.case) if d.case else _bdi(internal_link(d.subject)))
        for d in content.discussions
    ]
    for key, items, count in (
        ("section-new-cases", new, len(new)),
        ("section-status-changes", status, len(status)),
        ("section-updates", updates, len(updates)),
        ("section-discussions", discussions, len(discussions)),
    ):
        if items:
            sections.append((w.msg(key, count), items))
    # One section per language (a subscriber's digest has only theirs; the archive has all).
    by_language: dict[str, list[str]] = {}
    for n in content.translation_needs:
        link = _bdi(internal_link(n.page, n.title))
        if n.translated == 0 and n.outdated == 0:
            line = w.msg("translation-missing", link)
        else:
            line = w.msg("translation-partial", link, n.translated, n.total, n.outdated)
        by_language.setdefault(n.language, []).append(line)
    for language, lines in by_language.items():
        name = escape_inline(w.ctx.messages.autonym(language), 60)
        sections.append((w.msg("section-translations", name, len(lines)), lines))
    return sections


def _body(w: _Writer, content: DigestContent) -> list[str]:
    start, end = content.start[:10], content.end[:10]
    sections = _items(w, content)
    lines = [w.msg("intro" if sections else "empty", start, end)]
    for label, items in sections:
        lines.append("")
        lines.append(f"'''{label}'''")
        lines.extend(f"* {item}" for item in items)
    return lines


@dataclass(frozen=True)
class DigestMessage:
    heading: str
    text: str
    summary: str
    lang: str  # the language the text is in (after fallback)
    item_count: int


def render_message(content: DigestContent, lang: str, ctx: RenderContext) -> DigestMessage:
    """The new section for one subscriber (already filtered with :func:`for_subscriber`)."""
    w = _Writer(ctx, lang)
    direction = "rtl" if ctx.messages.is_rtl(w.lang) else "ltr"
    unsubscribe = ctx.unsubscribe_page or ctx.subscriber_page
    footer = w.msg(
        "footer",
        internal_link(ctx.subscriber_page),
        internal_link(unsubscribe),
        "<code><nowiki>{{nobots}}</nowiki></code>",
    )
    text = "\n".join(
        [
            delivery_marker(content.digest_id),
            f'<div lang="{w.lang}" dir="{direction}" class="advocacy-hub-digest">',
            *_body(w, content),
            "",
            f"<small>{footer}</small>",
            "</div>",
            "~~~~",
        ]
    )
    summary = w.msg("summary", content.digest_id, content.item_count)
    return DigestMessage(
        heading=w.msg("heading", content.digest_id),
        text=text,
        summary=f"{summary} ({summary_token(content.digest_id)})",
        lang=w.lang,
        item_count=content.item_count,
    )


# ---------------------------------------------------------------------------------------------
# The delivery report and the archive page


@dataclass(frozen=True)
class DeliveryLine:
    """What happened to one subscriber line. ``reason`` is None for a delivered digest."""

    page: str  # as listed (normalised), or the raw value of an unusable line
    line: int
    lang: str = ""
    delivered_to: str = ""  # the page that holds the digest, when it is not ``page``
    reason: Problem | None = None
    pending: bool = False
    linkable: bool = True  # False for a value that is no title (shown as text)


@dataclass(frozen=True)
class DeliveryReport:
    lines: tuple[DeliveryLine, ...] = ()
    warnings: tuple[tuple[int, str, Problem], ...] = field(default=())

    @property
    def received(self) -> tuple[DeliveryLine, ...]:
        return tuple(d for d in self.lines if d.reason is None and not d.pending)

    @property
    def pending(self) -> tuple[DeliveryLine, ...]:
        return tuple(d for d in self.lines if d.pending)

    @property
    def skipped(self) -> tuple[DeliveryLine, ...]:
        return tuple(d for d in self.lines if d.reason is not None)


def reason_text(messages: Messages, problem: Problem, lang: str = ARCHIVE_LANG) -> str:
    """A skip reason or line problem in words (``advocacyhub-problem-<code>``); params escaped."""
    params = [escape_inline(p, 120) for p in problem.params]
    return messages.msg(f"advocacyhub-problem-{problem.code}", lang, *params)


def _report_target(d: DeliveryLine) -> str:
    if not d.page:
        return ""
    link = internal_link(d.page) if d.linkable else _bdi(escape_inline(d.page, 120))
    if d.delivered_to and d.delivered_to != d.page:
        link += " → " + internal_link(d.delivered_to)
    return link


def render_report(report: DeliveryReport, ctx: RenderContext) -> list[str]:
    w = _Writer(ctx, ARCHIVE_LANG)
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
                item += w.msg("colon") + reason_text(ctx.messages, d.reason)
            lines.append(f"* {item}")
        lines.append("")
    if report.warnings:
        lines.append(f"'''{w.msg('report-warnings', len(report.warnings))}'''")
        for line, _page, problem in sorted(report.warnings, key=lambda x: (x[0], x[2].code)):
            lines.append(
                f"* {w.msg('report-line', line)}{w.msg('colon')}"
                f"{reason_text(ctx.messages, problem)}"
            )
        lines.append("")
    return lines


def render_archive(
    content: DigestContent, report: DeliveryReport, ctx: RenderContext, *, complete: bool
) -> str:
    """The archive page: record, the digest as a whole (English), and the delivery report."""
    w = _Writer(ctx, ARCHIVE_LANG)
    record = ArchiveRecord(content.digest_id, content.start, content.end, complete)
    parts = [
        record.marker(),
        w.msg("archive-intro", content.digest_id, content.start[:10], content.end[:10],
              internal_link(ctx.subscriber_page)),
        "",
        f"== {w.msg('archive-content')} ==",
        *_body(w, content),
        "",
        f"== {w.msg('archive-report')} ==",
    ]
    if not complete:
        parts.append(w.msg("archive-in-progress"))
        parts.append("")
    parts.extend(render_report(report, ctx))
    return "\n".join(parts).rstrip() + "\n"
