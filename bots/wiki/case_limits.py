"""The wiki's largest page, for the index job's size bound.

``$wgMaxArticleSize`` comes with the site information (``meta=siteinfo``, ``general``:
``maxarticlesize``, in bytes) that Pywikibot reads when it logs in, so asking costs no request
of its own. Unknown (an old MediaWiki, a failed read): 2 MiB, MediaWiki's default.
"""

from __future__ import annotations

import logging

from bots.wiki.session import WikiSession

log = logging.getLogger(__name__)

DEFAULT_MAX_PAGE_BYTES = 2 * 1024 * 1024


def max_page_bytes(session: WikiSession) -> int:
    """The largest page the wiki saves, in bytes."""
    try:
        value = session.site.siteinfo.get("maxarticlesize")
    except Exception as exc:  # any failure here only costs the exact figure
        log.warning("the wiki's maximum page size is unknown (%s); assuming 2 MiB", exc)
        return DEFAULT_MAX_PAGE_BYTES
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return DEFAULT_MAX_PAGE_BYTES
