"""Keep every index page below the wiki's maximum page size. Pure.

One list of many cases, or many lists on one page, can make a page larger than the wiki saves
(MediaWiki refuses it with ``contenttoobig``). A rendering over the budget (the wiki's
``maxarticlesize`` less :data:`MARGIN`; ``bots.wiki.limits``) is rendered again, smaller:

1. every list shortened to its first N cases (and as many needs-attention items), the largest N
   of :data:`ROW_CAPS` that fits, with a notice on the list;
2. else every list replaced by a short error box;
3. else (the text outside the lists alone is too big) the page is left as it is.

Each of these fails the run (exit 1, the reason in the report) and puts the page in the
needs-attention lists (``page-shortened``, ``page-too-big``), so that someone splits the page.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from bots.i18n.messages import Messages
from bots.index.pages import PageRender
from bots.wikitext.problems import Problem

MARGIN = 0.10  # of the wiki's maximum page size, kept free
ROW_CAPS = (1000, 300, 100, 30, 10)

# render(max_rows, replacement): the page rendered with every list shortened to max_rows cases,
# or with every list replaced by ``replacement`` (bots.index.pages.render_marker_page)
Renderer = Callable[[int | None, str | None], PageRender]


def page_budget(max_page_bytes: int) -> int:
    """The most bytes the bot writes on one page."""
    return int(max_page_bytes * (1 - MARGIN))


DEFAULT_BUDGET = page_budget(2 * 1024 * 1024)  # MediaWiki's default maximum: 2 MiB


def size_of(text: str) -> int:
    return len(text.encode("utf-8"))


def too_big_box(messages: Messages, lang: str, budget: int) -> str:
    """What replaces each list of a page that does not fit even with shortened lists."""
    text = messages.msg("advocacyhub-index-too-big", lang, budget // 1024)
    return f'<div class="error advocacyhub-index-error">\n{text}\n</div>'


def fitted(render: Renderer, budget: int, box: str) -> PageRender:
    """The page's rendering within ``budget`` bytes (see the module's description)."""
    full = render(None, None)
    if full.text is None or size_of(full.text) <= budget:
        return full
    longest = max((region.new_rows for region in full.regions), default=0)
    for cap in (c for c in ROW_CAPS if c < longest):  # a larger cap changes nothing
        short = render(cap, None)
        if short.text is not None and size_of(short.text) <= budget:
            return dataclasses.replace(short, shortened=cap)
    boxed = render(None, box)
    if boxed.text is not None and size_of(boxed.text) <= budget:
        return dataclasses.replace(boxed, too_big=True)
    return PageRender(text=None, too_big=True)


def size_fault(render: PageRender, budget: int) -> tuple[str, Problem] | None:
    """Why a fitted page fails the run, and its needs-attention entry (None: it fits as is)."""
    kb = str(budget // 1024)
    if render.shortened is not None:
        reason = (f"the page would be larger than the wiki allows ({kb} KB): each list shows "
                  f"only its first {render.shortened} cases")  # fmt: skip
        return reason, Problem("page-shortened", (str(render.shortened), kb))
    if render.too_big and render.text is not None:
        reason = (f"the page would be larger than the wiki allows ({kb} KB) even with short "
                  "lists: each list is replaced by an error box")  # fmt: skip
        return reason, Problem("page-too-big", (kb,))
    if render.too_big:
        reason = (f"the text outside the lists is larger than the bot may write ({kb} KB): "
                  "page left untouched")  # fmt: skip
        return reason, Problem("page-too-big", (kb,))
    return None
