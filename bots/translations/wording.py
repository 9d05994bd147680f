"""The words of a status table: messages in the table's language, language and page labels,
and the "most needed" list under the table. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bots.i18n.messages import Messages
from bots.translation_status.records import SOURCE_SUBPAGE, PageStatus
from bots.translations.needed import most_needed
from bots.translations.view import StatusView
from bots.wikitext.escape import escape_inline, internal_link

__all__ = ["TableText", "needed_lines"]


class TableText:
    """Message lookups in one language, and language labels."""

    def __init__(
        self,
        messages: Messages,
        lang: str,
        names: Mapping[str, str],
        prefix: str = "",
        translate_tool: bool = False,
    ) -> None:
        self.messages = messages
        self.translate_tool = translate_tool  # the wiki has Translate: unit cells link to it
        self.lang = lang
        self.names = names
        self.rtl = messages.is_rtl(lang)
        # under a prefix, rows are labelled by the rest of the title ("Guide", not "Advocacy/Guide")
        prefix = " ".join(prefix.replace("_", " ").split())
        self.prefix = prefix[:1].upper() + prefix[1:]

    def msg(self, key: str, *params: str | int) -> str:
        return self.messages.msg(key, self.lang, *params)

    def language(self, code: str) -> str:
        """Autonym and code; right-to-left names isolated so they display correctly."""
        name = self.messages.autonym(code)
        if name == code:
            name = self.names.get(code, code)
        shown = escape_inline(name, 80)
        if self.messages.is_rtl(code):
            label = f'<bdi dir="rtl" lang="{code}">{shown}</bdi> ({code})'
        else:
            label = f"{shown} ({code})"
        # in a right-to-left table a left-to-right label needs isolating too, or its closing
        # parenthesis would be drawn at the wrong end
        return f"<bdi>{label}</bdi>" if self.rtl else label

    def page(self, title: str) -> str:
        rest = title[len(self.prefix) :] if self.prefix and title.startswith(self.prefix) else ""
        link = internal_link(title, rest.strip() or None)
        return f"<bdi>{link}</bdi>" if self.rtl else link

    def percent(self, value: int) -> str:
        return self.msg("advocacyhub-translations-percent", value)


def needed_lines(
    statuses: Sequence[PageStatus], languages: Sequence[str], view: StatusView, text: TableText
) -> list[str]:
    if view.needed == 0:
        return []
    closest, behind_languages, behind_pages = most_needed(statuses, languages, view.needed)
    lines = ["", f"'''{text.msg('advocacyhub-translations-needed-heading')}'''"]
    if not (closest or behind_languages or behind_pages):
        lines.append(text.msg("advocacyhub-translations-needed-none"))
        return lines
    if closest:
        lines.append(text.msg("advocacyhub-translations-needed-closest"))
        for item in closest:
            rec = item.record
            if rec.source == SOURCE_SUBPAGE:
                line = text.msg(
                    "advocacyhub-translations-needed-update",
                    text.page(item.page),
                    text.language(item.language),
                    rec.behind_days,
                )
            else:
                line = text.msg(
                    "advocacyhub-translations-needed-units",
                    text.page(item.page),
                    text.language(item.language),
                    rec.remaining,
                    rec.outdated,
                )
            lines.append(f"* {line}")
    if behind_languages or behind_pages:
        lines.append(text.msg("advocacyhub-translations-needed-behind"))
        behind = [(text.language(i.language), i.record) for i in behind_languages]
        behind += [(text.page(i.page), i.record) for i in behind_pages]
        for label, record in behind:
            total = text.msg(
                "advocacyhub-translations-needed-total",
                label,
                text.percent(record.percent),
                record.outdated,
            )
            lines.append(f"* {total}")
    return lines
