"""The "create a case" box of an index view (``create=yes``). Pure.

With MediaWiki's InputBox extension (the job asks the wiki's ``siteinfo`` for its extensions),
a title field and a button that open a new page under the case prefix, pre-filled from
``Template:<case template>/preload/<lang>`` (``bots.index.case_box_data`` generates those pages
in every language the box's messages are translated into; other languages get English).
Without InputBox, a link that opens the same new page with the same preload.
"""

from __future__ import annotations

from bots.i18n.languages import SOURCE_LANG
from bots.index.view_params import IndexView
from bots.index.view_text import ViewText, escape_inline

NEW_PAGE_NAME = "New case"  # the title the fallback link opens (renamed by the editor)


def preload_page(view: IndexView, text: ViewText) -> str:
    """The preload page in the view's language, or in English when it has none."""
    translated = text.messages.has("advocacyhub-casebox-preload-title", text.lang)
    return f"Template:{view.case_template}/preload/{text.lang if translated else SOURCE_LANG}"


def _field(value: str) -> str:
    # one InputBox line: no line break, nothing that closes the tag
    return escape_inline(" ".join(value.split()), 200)


def create_box_lines(view: IndexView, text: ViewText) -> list[str]:
    """The box's wikitext lines (none when the view does not ask for it)."""
    if not view.create or not view.case_prefix:
        return []
    preload = preload_page(view, text)
    lines = ['<div class="advocacyhub-index-create" style="margin:0.5em 0;">']
    lines.append(f"'''{text.msg('advocacyhub-casebox-create-heading')}'''")
    if view.inputbox:
        lines += [
            "<inputbox>",
            "type=create",
            "break=no",
            f"prefix={_field(view.case_prefix)}",
            f"preload={_field(preload)}",
            f"buttonlabel={_field(text.msg('advocacyhub-casebox-create-button'))}",
            f"placeholder={_field(text.msg('advocacyhub-casebox-create-placeholder'))}",
            "</inputbox>",
        ]
    else:
        target = f"{view.case_prefix}{NEW_PAGE_NAME}"
        label = text.msg("advocacyhub-casebox-create-link")
        lines.append(
            f"[{{{{fullurl:{target}|action=edit&preload={preload.replace(' ', '_')}}}}} {label}]"
        )
    lines.append("</div>")
    return lines
