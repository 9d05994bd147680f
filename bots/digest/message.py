"""The digest as a new talk page section in the subscriber's language. Pure.

Every value copied from a page is escaped (``bots.wikitext.escape``) and isolated with
``<bdi>``; links are colon links, so no category, file or interlanguage link can form. The
section opens with the digest's delivery marker and its edit summary ends with the summary
token (``bots.digest.ids``): what lets a rerun tell where the digest already arrived.
:class:`Writer` and :func:`digest_body` also write the archive page (``bots.digest.archive``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from bots.digest.content import (
    CaseFacts,
    CaseUpdate,
    CaseVersion,
    DigestContent,
    Discussion,
    PositionNews,
    for_subscriber,
)
from bots.digest.ids import delivery_marker, summary_token
from bots.digest.subscribers import Subscriber
from bots.i18n.messages import Messages
from bots.sources.records import WikiTag
from bots.wikitext.escape import escape_inline, escape_link_label, internal_link

SUMMARY_MAX_LEN = 120  # characters of a case summary shown with a new case
LESSONS_MAX_LEN = 200  # characters of a case's lessons shown when they changed
# Items of one section in a post: the rest is counted, and listed on the archive page. A week
# of mass edits must not make a talk page post too big for the wiki (or for a reader).
MAX_POST_ITEMS = 50
# what changed in a position (``PositionNews.fields``) -> its message
_FIELD_MESSAGES = {field: key for key, field in (
    ("position-field-topics", "topics"), ("position-field-summary", "summary"),
    ("position-field-reviewed", "reviewed"), ("position-field-affiliates", "affiliates"),
)}


@dataclass(frozen=True)
class RenderContext:
    messages: Messages
    subscriber_page: str
    unsubscribe_page: str = ""
    archive_page: str = ""  # this digest's archive page: "read online"
    hub_page: str = ""  # the first hub page, linked from every message
    # reader's language -> the hub's translation subpage in it, linked instead where it exists
    hub_versions: Mapping[str, str] = field(default_factory=dict)


class Writer:
    """Messages in one language (the first of the chain that has the digest's messages), and
    the cases in that language where they have a translation (``versions``)."""

    def __init__(
        self, ctx: RenderContext, lang: str,
        versions: Mapping[str, Mapping[str, CaseVersion]] | None = None,
        position_pages: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        self.ctx = ctx
        self.requested = lang
        self.versions = versions or {}
        self.position_pages = position_pages or {}
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

    def version(self, case: CaseFacts) -> CaseVersion | None:
        """The case's translation in the reader's language (never of a sensitive case, nor of
        a source wiki's case: translations are the central wiki's)."""
        if case.sensitive or case.wiki is not None:
            return None
        return self.versions.get(case.page, {}).get(self.requested)


def bdi(wikitext: str) -> str:
    return f"<bdi>{wikitext}</bdi>"


_URL_UNSAFE = re.compile(r"[\s\[\]<>\"'{}|]")


def wiki_link(wiki: WikiTag | None, title: str, label: str | None = None) -> str:
    """A link from the central wiki to ``title`` on ``wiki`` (None: the central wiki): an
    internal or interwiki link (``WikiTag.link_target``), else an external link
    (``WikiTag.url``), else the label as text; a source wiki's page is tagged with its id."""
    if wiki is None or wiki.central:
        return internal_link(title, label)
    target, url = wiki.link_target(title), wiki.url(title)
    if target:
        link = internal_link(target.lstrip(":"), label or title)
    elif url and not _URL_UNSAFE.search(url):
        link = f"[{url} {escape_link_label(label or title) or escape_link_label(title)}]"
    else:
        link = escape_inline(label or title)
    return f"{link} <small>({escape_inline(wiki.id, 40)})</small>"


def _case_link(w: Writer, case: CaseFacts) -> str:
    version = w.version(case)
    if version is not None:
        return bdi(internal_link(version.page, version.title or case.title))
    return bdi(wiki_link(case.wiki, case.page, case.title))


def _summary(w: Writer, case: CaseFacts) -> str:
    version = w.version(case)
    return version.summary if version is not None and version.summary else case.summary


def _lessons(w: Writer, case: CaseFacts) -> str:
    version = w.version(case)
    return version.lessons if version is not None and version.lessons else case.lessons


def _section_link(d: Discussion) -> str:
    # A heading with characters that cannot be in a link target gets a link to the page only.
    if d.heading and not re.search(r"[\[\]{}|<>#]", d.heading):
        return bdi(wiki_link(d.wiki, f"{d.talk_page}#{d.heading}", d.heading))
    return bdi(wiki_link(d.wiki, d.talk_page, d.heading or d.talk_page))


def _update_text(w: Writer, update: CaseUpdate, case: CaseFacts) -> str:
    if update.kind == "lessons":
        lessons = _lessons(w, case)  # empty for a sensitive case: withheld by the parser
        if not lessons.strip():
            return w.msg("update-lessons")
        return w.msg("update-lessons") + w.msg("colon") + bdi(escape_inline(lessons,
                                                                           LESSONS_MAX_LEN))
    if update.kind == "end":
        return w.msg("update-end", escape_inline(update.value, 20))
    return w.msg(f"update-{update.kind}", update.count)


def _position_line(w: Writer, news: PositionNews) -> str:
    """A new or changed position: its title linked to its page (its translation in the
    reader's language, when there is one), its topics in the reader's language, what changed,
    and its summary."""
    p = news.position
    topics = w.msg("list-separator").join(w.label("topic", t) for t in p.topics)
    page = w.position_pages.get(p.page, {}).get(w.requested, p.page)
    link = bdi(internal_link(page, p.title))
    if news.new:
        line = w.msg("position-new", link, topics or w.label("topic", ""))
    else:
        changed = w.msg("list-separator").join(w.msg(_FIELD_MESSAGES[f]) for f in news.fields)
        line = w.msg("position-changed", link, topics or w.label("topic", ""), changed)
    if p.summary:
        line += w.msg("colon") + bdi(escape_inline(p.summary, SUMMARY_MAX_LEN))
    return line


def _items(w: Writer, content: DigestContent) -> list[tuple[str, list[str]]]:
    """(section label, list items) of the non-empty sections, in reading order."""
    sections: list[tuple[str, list[str]]] = []
    new = []
    for c in content.new_cases:
        line = w.msg("new-case", _case_link(w, c.case), w.label("region", c.case.region),
                     w.label("status", c.case.status))
        summary = _summary(w, c.case)
        if summary:
            line += w.msg("colon") + bdi(escape_inline(summary, SUMMARY_MAX_LEN))
        new.append(line)
    status = [
        w.msg("status-change", _case_link(w, c.case), w.label("status", c.old_status),
              w.label("status", c.case.status))
        for c in content.status_changes
    ]
    updates = [
        w.msg("update", _case_link(w, c.case),
              w.msg("list-separator").join(_update_text(w, u, c.case) for u in c.updates))
        for c in content.updates
    ]
    discussions = [
        w.msg("discussion", _section_link(d),
              _case_link(w, d.case) if d.case else bdi(wiki_link(d.wiki, d.subject)))
        for d in content.discussions
    ]
    for key, items, count in (
        ("section-new-cases", new, len(new)),
        ("section-status-changes", status, len(status)),
        ("section-updates", updates, len(updates)),
        ("section-discussions", discussions, len(discussions)),
        ("section-positions", [_position_line(w, n) for n in content.positions],
         len(content.positions)),
    ):
        if items:
            sections.append((w.msg(key, count), items))
    # One section per language (a subscriber's digest has only theirs; the archive has all).
    by_language: dict[str, list[str]] = {}
    for n in content.translation_needs:
        link = bdi(internal_link(n.page, n.title))
        if n.translated == 0 and n.outdated == 0:
            line = w.msg("translation-missing", link)
        else:
            line = w.msg("translation-partial", link, n.translated, n.total, n.outdated)
        by_language.setdefault(n.language, []).append(line)
    for language, lines in by_language.items():
        name = escape_inline(w.ctx.messages.autonym(language), 60)
        sections.append((w.msg("section-translations", name, len(lines)), lines))
    return sections


def digest_body(w: Writer, content: DigestContent, max_items: int | None = None) -> list[str]:
    """The digest's sections; with ``max_items`` each lists at most that many items and
    counts the rest."""
    start, end = content.start[:10], content.end[:10]
    sections = _items(w, content)
    lines = [w.msg("intro" if sections else "empty", start, end)]
    if content.waiting:
        lines += ["", w.msg("wikis-waiting", w.msg("list-separator").join(
            escape_inline(wiki, 40) for wiki in content.waiting), len(content.waiting))]
    for label, items in sections:
        lines.append("")
        lines.append(f"'''{label}'''")
        shown = items if max_items is None else items[:max_items]
        lines.extend(f"* {item}" for item in shown)
        if len(shown) < len(items):
            lines.append(f"* {w.msg('more', len(items) - len(shown))}")
    return lines


def _links(w: Writer) -> list[str]:
    """"Read online" (this digest's archive page) and the hub, each on a line of its own."""
    lines = []
    if w.ctx.archive_page:
        lines.append(w.msg("read-online", internal_link(w.ctx.archive_page)))
    if w.ctx.hub_page:
        hub = w.ctx.hub_versions.get(w.requested, w.ctx.hub_page)
        lines.append(w.msg("hub", internal_link(hub)))
    return [" · ".join(lines), ""] if lines else []


@dataclass(frozen=True)
class DigestMessage:
    heading: str
    text: str
    summary: str
    lang: str  # the language the text is in (after fallback)
    item_count: int


def render_message(content: DigestContent, lang: str, ctx: RenderContext) -> DigestMessage:
    """The new section for one subscriber (already filtered with :func:`for_subscriber`)."""
    w = Writer(ctx, lang, content.versions, content.position_pages)
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
            *digest_body(w, content, MAX_POST_ITEMS),
            "",
            *_links(w),
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


def subscriber_message(
    content: DigestContent, sub: Subscriber, ctx: RenderContext
) -> DigestMessage:
    """What ``sub`` receives: the digest filtered by their regions and topics, in their language.

    The one rendering of a delivery: the run posts exactly this (``bots.digest.plan``)."""
    mine = for_subscriber(content, sub.lang, sub.regions, sub.topics)
    return render_message(mine, sub.lang, ctx)
