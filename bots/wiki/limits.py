"""The wiki's limits every writer respects: its maximum page size.

:func:`max_page_bytes` is the one place jobs learn how big a page may be: they render bounded
output below it, with a margin, and show a notice or an error box instead of a bigger text. The
save gate (:mod:`bots.wiki.saves`) refuses a text over it before sending it, as a failure of
that page (:func:`too_big`): too big is never a silent skip.
"""

from __future__ import annotations

from bots.outcomes import Failed
from bots.wiki.session import WikiSession


def max_page_bytes(session: WikiSession) -> int:
    """The wiki's maximum page size in bytes (siteinfo ``maxarticlesize``, read once per
    session at login; MediaWiki's default of 2 MiB when the wiki does not say).

    A save over it is refused before it is sent, as a :class:`Failed` outcome. Jobs render
    bounded output below it, with a margin, and show a notice or an error box instead."""
    return session.site_limits().max_page_bytes


def too_big(session: WikiSession, title: str, size: int) -> Failed | None:
    """The failure of a save of ``size`` bytes over the wiki's maximum page size, or None."""
    limit = max_page_bytes(session)
    if size <= limit:
        return None
    return Failed(title, f"the new text is {size} bytes, more than the wiki's maximum page size "
                         f"of {limit} bytes; not saved")  # fmt: skip
