"""Edit summaries of translation status updates: which table cells changed, in words. Pure.

:func:`describe_changes` reads back the ``data-cell`` lines that ``bots.translations.table``
writes in the old and new region bodies; :func:`edit_summary` turns the changes of one page's
regions into the edit summary, in the page's (or the marker's) language;
:func:`regions_summary` does both for a page's regions before and after the update.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bots.i18n.messages import Messages
from bots.translations.grid import TOTAL
from bots.translations.view import view_lang
from bots.wikitext.markers import MarkerRegion, inner_was_edited_by_human, strip_stamp
from bots.wikitext.numbers import parse_count

__all__ = [
    "MAX_SUMMARY_CELLS",
    "CellChange",
    "ChangeSummary",
    "cell_pages",
    "describe_changes",
    "edit_summary",
    "regions_summary",
]

_CELL_LINE_RE = re.compile(r'^\| data-cell="([^"]*)" data-sort-value="(-?[0-9]+)"', re.M)


@dataclass(frozen=True)
class CellChange:
    key: str  # "<page>/<lang>" as written in the attribute (entities kept)
    old: int | None  # sort value: percent, or -1 for "nothing to show"
    new: int | None


@dataclass(frozen=True)
class ChangeSummary:
    changed: tuple[CellChange, ...] = ()
    added: int = 0
    removed: int = 0
    other: bool = False  # something else changed (layout, legend, needed list, error box)
    cut: int = 0  # cells left out at the table's size limit (their pages are still there)

    @property
    def anything(self) -> bool:
        return bool(self.changed or self.added or self.removed or self.other or self.cut)


def _sort_value(text: str) -> int | None:
    """A cell's sort value (-1 for "nothing to show", else 0-100); None for anything else a
    person may have written there."""
    return -1 if text == "-1" else parse_count(text, maximum=100)


def _cells_in(body: str) -> dict[str, tuple[str, int | None]]:
    out: dict[str, tuple[str, int | None]] = {}
    for line in body.splitlines():
        m = _CELL_LINE_RE.match(line)
        if m:
            out[m.group(1)] = (line, _sort_value(m.group(2)))
    return out


def _is_total(key: str) -> bool:
    page, _, lang = key.rpartition("/")
    return TOTAL in (page, lang)


def cell_pages(body: str) -> set[str]:
    """The pages (as the ``data-cell`` attributes write them) with a data cell in a body."""
    return {key.rpartition("/")[0] for key in _cells_in(body) if not _is_total(key)}


def describe_changes(
    old_body: str, new_body: str, hidden: frozenset[str] = frozenset()
) -> ChangeSummary:
    """Which page×language cells changed between two region bodies (totals not counted).
    Cells of ``hidden`` pages (left out at the new table's size limit) are ``cut``, not
    removed."""
    old, new = _cells_in(old_body), _cells_in(new_body)
    changed = tuple(
        CellChange(key, old[key][1], new[key][1])
        for key in sorted(old.keys() & new.keys())
        if old[key][0] != new[key][0] and not _is_total(key)
    )
    data_keys = {k for k in old.keys() ^ new.keys() if not _is_total(k)}
    added = sum(1 for k in data_keys if k in new)
    cut = sum(1 for k in data_keys if k not in new and k.rpartition("/")[0] in hidden)
    removed = len(data_keys) - added - cut

    def rest(body: str) -> list[str]:
        return [line for line in body.splitlines() if not _CELL_LINE_RE.match(line)]

    other = rest(old_body) != rest(new_body) and not (changed or added or removed or cut)
    return ChangeSummary(changed, added, removed, other, cut)


MAX_SUMMARY_CELLS = 4


def edit_summary(
    changes: Sequence[ChangeSummary],
    messages: Messages,
    lang: str,
    *,
    created: bool = False,
    errors: bool = False,
    failed: bool = False,
    human_revid: int | None = None,
) -> str:
    """The edit summary of one page's update, in ``lang``."""
    parts: list[str] = []
    changed = [c for s in changes for c in s.changed]
    added = sum(s.added for s in changes)
    removed = sum(s.removed for s in changes)
    cut = sum(s.cut for s in changes)
    if created:
        parts.append(messages.msg("advocacyhub-translations-summary-created", lang, added))
    else:
        if changed:
            shown = []
            for c in changed[:MAX_SUMMARY_CELLS]:
                page, _, language = c.key.rpartition("/")
                if c.old is not None and c.new is not None and c.old >= 0 and c.new >= 0:
                    shown.append(
                        messages.msg(
                            "advocacyhub-translations-summary-cell",
                            lang,
                            page,
                            language,
                            messages.msg("advocacyhub-translations-percent", lang, c.old),
                            messages.msg("advocacyhub-translations-percent", lang, c.new),
                        )
                    )
                else:
                    shown.append(f"{page} ({language})")
            listing = messages.msg("advocacyhub-label-separator", lang).join(shown)
            if len(changed) > MAX_SUMMARY_CELLS:
                listing += " …"
            key = "advocacyhub-translations-summary-changed"
            parts.append(messages.msg(key, lang, len(changed), listing))
        if added:
            parts.append(messages.msg("advocacyhub-translations-summary-added", lang, added))
        if removed:
            parts.append(messages.msg("advocacyhub-translations-summary-removed", lang, removed))
        if cut:
            parts.append(messages.msg("advocacyhub-translations-summary-cut", lang, cut))
        if not parts and any(s.other for s in changes):
            parts.append(messages.msg("advocacyhub-translations-summary-layout", lang))
    if errors:
        parts.append(messages.msg("advocacyhub-translations-summary-errors", lang))
    if failed:
        parts.append(messages.msg("advocacyhub-translations-summary-failed", lang))
    if human_revid is not None:
        parts.append(messages.msg("advocacyhub-translations-summary-human", lang, human_revid))
    if not parts:
        parts.append(messages.msg("advocacyhub-translations-summary-layout", lang))
    return messages.msg(
        "advocacyhub-translations-summary",
        lang,
        messages.msg("advocacyhub-translations-summary-separator", lang).join(parts),
    )


@dataclass(frozen=True)
class RegionsSummary:
    text: str
    replaced_human_edit: bool  # a person had edited inside a table the bot wrote


def regions_summary(
    old: Sequence[MarkerRegion],
    new: Sequence[MarkerRegion],
    messages: Messages,
    page_language: str,
    *,
    errors: bool,
    revid: int,
    failed: bool = False,
    hidden: Sequence[frozenset[str]] = (),
) -> RegionsSummary:
    """The summary of an update from the page's regions before and after it (``revid``: the
    revision it replaces, named when a person had edited inside the bot's table; ``hidden``:
    per new region, the pages left out at its size limit)."""
    pairs = list(zip(old, new, strict=False))
    cut = list(hidden) + [frozenset()] * (len(pairs) - len(hidden))
    changes = [
        describe_changes(strip_stamp(o.inner), strip_stamp(n.inner), cut[i])
        for i, (o, n) in enumerate(pairs)
    ]
    touched = [o for (o, _n), c in zip(pairs, changes, strict=False) if c.anything]
    # never written by the bot (empty, or the editor's "the bot will fill this in")
    created = bool(touched) and all(not _was_stamped(o.inner) for o in touched)
    human = any(_was_stamped(o.inner) and inner_was_edited_by_human(o.inner) for o in old)
    lang = next((view_lang(o.params) for o in old if view_lang(o.params)), page_language)
    text = edit_summary(
        changes,
        messages,
        lang,
        created=created,
        errors=errors,
        failed=failed,
        human_revid=revid if human else None,
    )
    return RegionsSummary(text, human)


def _was_stamped(inner: str) -> bool:
    return strip_stamp(inner) != inner.strip("\n")
