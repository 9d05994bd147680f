"""Where a translator does the work a status table cell shows: the cell's link. Pure.

* a page with translation units, on a wiki with the Translate extension: Translate's own tool
  for that page and language (``Special:Translate?group=page-<title>&language=<code>``);
  without the extension, the translation page ``<page>/<code>``;
* a page translated by hand into subpages: the subpage ``<page>/<code>`` (a red link to create
  it when it does not exist); when that translation is outdated, the source's changes since the
  revision it was made from (``Special:Diff/<revision>/cur``) where the bot looked that up,
  else the source's history;
* a translation kept on another wiki (issue 16): that wiki's page, through the interwiki prefix
  (or its URL);
* under the table, pages with no translation at all, each with a link per language to start one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from urllib.parse import quote

from bots.translation_status.records import (
    KIND_UNITS,
    SOURCE_OTHER_WIKI,
    SOURCE_SUBPAGE,
    PageKind,
    TranslationRecord,
)
from bots.wikitext.escape import escape_link_label, internal_link

__all__ = ["MAX_UNTRANSLATED_SHOWN", "cell_link", "translate_tool_url", "untranslated_lines"]

MAX_UNTRANSLATED_SHOWN = 50  # pages listed as untranslated under one table; the rest counted


def translate_tool_url(page: str, language: str) -> str:
    """Wikitext of the URL of Translate's tool for ``page`` in ``language`` (``{{fullurl:}}``
    makes it absolute on whatever wiki renders it). Everything from the title is
    percent-encoded, ``~`` too, so nothing in it is wikitext."""
    group = quote(f"page-{page}", safe="").replace("~", "%7E")
    code = quote(language, safe="").replace("~", "%7E")
    return f"{{{{fullurl:Special:Translate|group={group}&language={code}&action=page&filter=}}}}"


def cell_link(
    kind: PageKind,
    record: TranslationRecord,
    label: str,
    *,
    translate_tool: bool,
) -> str:
    """``label`` (plain text) as a link to where the cell's work is done."""
    page, language = record.page, record.language
    if record.source == SOURCE_OTHER_WIKI:
        return other_wiki_link(record, label)
    if kind == KIND_UNITS and translate_tool:
        shown = escape_link_label(label)
        url = translate_tool_url(page, language)
        return f'<span class="plainlinks">[{url} {shown}]</span>'
    if record.source == SOURCE_SUBPAGE and record.outdated:
        if record.since_revision:
            return internal_link(f"Special:Diff/{record.since_revision}/cur", label)
        return internal_link(f"Special:History/{page}", label)
    return internal_link(f"{page}/{language}", label)


def other_wiki_link(record: TranslationRecord, label: str) -> str:
    """``label`` linked to the translation on another wiki (interwiki target or URL)."""
    target = record.wiki_link
    if target.startswith(("http://", "https://")):
        url = target.replace("[", "%5B").replace("]", "%5D").replace(" ", "%20")
        return f'<span class="plainlinks">[{url} {escape_link_label(label)}]</span>'
    if target.lstrip(":"):
        return internal_link(target.lstrip(":"), label)
    return escape_link_label(label)


def untranslated_lines(
    pages: Sequence[str],
    languages: Sequence[str],
    msg: Callable[..., str],
    page_label: Callable[[str], str],
    limit: int = MAX_UNTRANSLATED_SHOWN,
) -> list[str]:
    """The list of pages with no translation at all, each with a link per language to the
    subpage that would hold its translation; at most ``limit`` pages, the others counted."""
    if not pages:
        return []
    lines = ["", f"'''{msg('advocacyhub-translations-untranslated-heading', len(pages))}'''"]
    for page in pages[:limit]:
        starts = " · ".join(internal_link(f"{page}/{code}", code) for code in languages)
        lines.append(f"* {page_label(page)}" + (f": {starts}" if starts else ""))
    if len(pages) > limit:
        lines.append(f"* {msg('advocacyhub-translations-untranslated-more', len(pages) - limit)}")
    return lines
